"""Shared test base with a small named cast (healthchecks' hc/test.py).

Tree: confederation > Quảng Trị (province) > Đông Hà (district) > two grassroots unions;
      confederation > Quảng Bình (province) > Đồng Hới (district) > one grassroots union.
alice:   officer at Đông Hà district federation (writes its subtree)
bob:     read-only viewer at Đông Hà
charlie: officer at Quảng Bình province: sees nothing of Alice's
"""

import datetime
import os

import pytest
from django.db import connection
from django.test import TestCase

from accounts.models import Role, User
from org.models import Sex, Unit, UnitKind
from org.services.members import member_create
from org.services.units import unit_create

PASSWORD = "correct horse battery"


def make_user(username: str, unit, kind: str | None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, unit=unit, **extra)
    if kind:
        Role.objects.create(user=user, unit=unit, kind=kind)
    return user


ESTABLISHED = datetime.date(2020, 1, 1)


def make_unit(parent, code: str, name: str, kind: str, **extra) -> Unit:
    """Add a unit to a test tree; every test unit dates from 2020 unless the test says otherwise,
    so that restructuring and as-of tests have a history to go back to."""
    extra.setdefault("established_on", ESTABLISHED)
    return unit_create(parent=parent, code=code, name=name, kind=kind, **extra)


class TreeMixin:
    @classmethod
    def build_tree(cls) -> None:
        K = UnitKind
        cls.root = make_unit(None, "TLD", "Tổng Liên đoàn Lao động Việt Nam", K.CONFEDERATION)
        cls.quangtri = make_unit(cls.root, "QT", "Liên đoàn Lao động tỉnh Quảng Trị", K.PROVINCE)
        cls.dongha = make_unit(cls.quangtri, "QT.DH", "LĐLĐ thành phố Đông Hà", K.DISTRICT)
        cls.school = make_unit(
            cls.dongha, "QT.DH.001", "Công đoàn Trường THPT Lê Lợi", K.GRASSROOTS, sector="public_service"
        )
        cls.factory = make_unit(
            cls.dongha, "QT.DH.002", "Công đoàn Công ty May Đông Hà", K.GRASSROOTS, sector="non_state"
        )
        cls.quangbinh = make_unit(cls.root, "QB", "Liên đoàn Lao động tỉnh Quảng Bình", K.PROVINCE)
        cls.donghoi = make_unit(cls.quangbinh, "QB.DHO", "LĐLĐ thành phố Đồng Hới", K.DISTRICT)
        cls.port = make_unit(
            cls.donghoi, "QB.DHO.001", "Công đoàn Cảng Nhật Lệ", K.GRASSROOTS, sector="state"
        )


class BaseTestCase(TreeMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_tree()
        cls.alice = make_user("alice", cls.dongha, Role.Kind.OFFICER, full_name="Alice")
        cls.bob = make_user("bob", cls.dongha, Role.Kind.VIEWER, full_name="Bob")
        cls.charlie = make_user("charlie", cls.quangbinh, Role.Kind.OFFICER, full_name="Charlie")
        cls.ha = member_create(
            unit=cls.school,
            full_name="Nguyễn Thị Thu Hà",
            sex=Sex.FEMALE,
            cccd="045190000001",
            date_of_birth=datetime.date(1980, 5, 1),
        )
        cls.duc = member_create(unit=cls.factory, full_name="Trần Văn Đức", sex=Sex.MALE, cccd="045090000002")
        cls.lan = member_create(unit=cls.port, full_name="Lê Thị Lan", sex=Sex.FEMALE, cccd="044190000003")
        for obj in (
            cls.root,
            cls.quangtri,
            cls.dongha,
            cls.school,
            cls.factory,
            cls.quangbinh,
            cls.donghoi,
            cls.port,
        ):
            obj.refresh_from_db()

    def login(self, user) -> None:
        self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


class EnglishMixin:
    """Run a test case in English (pages and messages), for tests that assert on message text.

    The site defaults to Vietnamese; these tests pin the language so that they check the
    behaviour, while lib/tests/test_catalogue.py checks that every message is translated."""

    def setUp(self) -> None:
        super().setUp()
        from django.conf import settings
        from django.utils import translation

        translation.activate("en")
        self.addCleanup(translation.activate, settings.LANGUAGE_CODE)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


# --- services and browsers a test needs --------------------------------------------------------


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_service(available: bool, message: str) -> None:
    """Go on when a service or browser the test needs is there; else skip with `message` on a
    developer's machine, but fail on CI (CI=true), where a skip would let the test pass unseen."""
    if available:
        return
    if on_ci():
        pytest.fail(f"{message} (required on CI)")
    pytest.skip(message)


def require_postgresql(message: str) -> None:
    """Go on when the suite runs on PostgreSQL; else skip with `message`. On CI the SQLite run may
    skip only when .ci/run has reached PostgreSQL and will run the suite there too
    (CI_POSTGRESQL_FOLLOWS=true); otherwise the PostgreSQL-only test would never run."""
    if connection.vendor == "postgresql":
        return
    if on_ci() and os.environ.get("CI_POSTGRESQL_FOLLOWS", "").lower() != "true":
        pytest.fail(f"{message}: no PostgreSQL run follows this one on CI")
    pytest.skip(message)
