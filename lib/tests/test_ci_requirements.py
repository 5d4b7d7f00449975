"""A test needing a browser, a service or PostgreSQL skips on a developer's machine, with its
message, and fails on CI (CI=true), where a silent skip would leave that code untested."""

from types import SimpleNamespace

import pytest

from lib import testing
from lib.testing import require_postgresql, require_service

SQLITE = SimpleNamespace(vendor="sqlite")
POSTGRESQL = SimpleNamespace(vendor="postgresql")


@pytest.fixture
def ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("CI_POSTGRESQL_FOLLOWS", raising=False)


@pytest.fixture
def laptop(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CI_POSTGRESQL_FOLLOWS", raising=False)


def test_a_present_service_goes_on_everywhere(ci):
    require_service(True, "never shown")


def test_a_missing_service_skips_with_its_message_on_a_laptop(laptop):
    with pytest.raises(pytest.skip.Exception, match="chromium is missing"):
        require_service(False, "chromium is missing")


def test_a_missing_service_fails_on_ci(ci):
    with pytest.raises(pytest.fail.Exception, match="chromium is missing.*required on CI"):
        require_service(False, "chromium is missing")


def test_a_postgresql_test_runs_on_postgresql(ci, monkeypatch):
    monkeypatch.setattr(testing, "connection", POSTGRESQL)
    require_postgresql("needs row locks")


def test_a_postgresql_test_skips_on_sqlite_on_a_laptop(laptop, monkeypatch):
    monkeypatch.setattr(testing, "connection", SQLITE)
    with pytest.raises(pytest.skip.Exception, match="needs row locks"):
        require_postgresql("needs row locks")


def test_a_postgresql_test_skips_on_the_ci_sqlite_run_only_when_the_postgresql_run_follows(ci, monkeypatch):
    monkeypatch.setattr(testing, "connection", SQLITE)
    with pytest.raises(pytest.fail.Exception, match="no PostgreSQL run follows"):
        require_postgresql("needs row locks")
    monkeypatch.setenv("CI_POSTGRESQL_FOLLOWS", "true")
    with pytest.raises(pytest.skip.Exception, match="needs row locks"):
        require_postgresql("needs row locks")
