"""Issued means frozen, in the database too (issue 11, item 2).

An issued decision keeps what its papers printed on the day it was issued, whatever is renamed
afterwards, and its .docx and PDF are served byte for byte as issued. Issued decisions and their
lines, published rankings and frozen score sheets are refused by the model layer (also the raw
saves of `loaddata`) and by database triggers (PostgreSQL: UPDATE and DELETE; SQLite: UPDATE)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from decimal import Decimal

from django.core import serializers
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.urls import reverse

from api.tests.base import ApiTestCase
from awards.models import AwardRecord, DecisionFile, DecisionLine, ImmutableError
from awards.services import catalogue
from awards.tests.factories_snapshot import docx_text, issue_decision, pdf_text
from lib.frozen import model_checks_off
from lib.testing import BaseTestCase, EnglishMixin, require_postgresql
from org.services.units import unit_update
from reports.models import RankingPublication, RankingSnapshotRow, Score, ScoreSheet
from reports.services import scoring
from reports.tests.factories_scoring import YEAR, ScoringTestCase

OLD_AWARD, NEW_AWARD = "Giấy khen", "Phần thưởng Đổi Tên"
OLD_ISSUER, NEW_ISSUER = "LĐLĐ thành phố Đông Hà", "Liên đoàn Lao động Đổi Tên"
OLD_SCHOOL, NEW_SCHOOL = "Công đoàn Trường THPT Lê Lợi", "Công đoàn Trường Đổi Tên"
NEW_HEADING = "BẰNG KHEN ĐỔI TÊN"

FROZEN_TABLES = {
    "awards_decision",
    "awards_decisionline",
    "awards_decisionfile",
    "reports_scoresheet",
    "reports_score",
    "reports_rankingpublication",
    "reports_rankingsnapshot",
    "reports_rankingsnapshotrow",
    "reports_rankingfile",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rename_everything(t) -> None:
    """The award in the catalogue, the issuing unit and the recipient's unit get new names."""
    catalogue.award_update(award=t.award, updated_by=t.alice, name=NEW_AWARD, certificate_heading=NEW_HEADING)
    unit_update(unit=t.dongha, updated_by=t.alice, name=NEW_ISSUER)
    unit_update(unit=t.school, updated_by=t.alice, name=NEW_SCHOOL)


class RenamedAfterIssueTests(EnglishMixin, ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.decision = issue_decision(cls)
        cls.award = cls.decision.award
        cls.person = AwardRecord.objects.get(decision=cls.decision, member=cls.ha)

    def get(self, name: str, *args) -> bytes:
        return self.get_bytes(reverse(name, args=args))

    def get_bytes(self, url: str) -> bytes:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, response.content[:300])
        return response.content

    def assert_old_names(self, text: str, *, where: str, upper: bool = False) -> None:
        for old in (OLD_AWARD, OLD_ISSUER.upper() if upper else OLD_ISSUER, OLD_SCHOOL):
            self.assertIn(old, text, where)
        for new in (NEW_AWARD, NEW_ISSUER, NEW_ISSUER.upper(), NEW_SCHOOL):
            self.assertNotIn(new, text, where)

    def test_the_papers_are_served_byte_for_byte_as_issued_after_the_renames(self):
        self.login(self.alice)
        stored = {x.format: x for x in DecisionFile.objects.filter(decision=self.decision)}
        self.assertEqual(set(stored), {"docx", "pdf"})
        before = {fmt: self.get(f"awards:decision-{fmt}", self.decision.pk) for fmt in stored}
        rename_everything(self)
        for fmt, file in stored.items():
            data = self.get(f"awards:decision-{fmt}", self.decision.pk)
            self.assertEqual(data, before[fmt], fmt)
            self.assertEqual(sha256(data), file.sha256, fmt)
            self.assertEqual(len(data), file.size, fmt)
        docx, pdf = docx_text(before["docx"]), pdf_text(before["pdf"])
        self.assertIn("BAN THƯỜNG VỤ LĐLĐ THÀNH PHỐ ĐÔNG HÀ", docx)
        self.assertIn(f"Điều 1. Tặng {OLD_AWARD} năm 2025", docx)
        self.assert_old_names(docx, where="docx")
        self.assertIn("LĐLĐ THÀNH PHỐ ĐÔNG HÀ", pdf)
        self.assertIn(OLD_AWARD, pdf)
        self.assertIn(self.ha.full_name, pdf)
        for new in (NEW_AWARD, NEW_ISSUER.upper(), NEW_SCHOOL):
            self.assertNotIn(new, pdf)

    def test_the_page_the_api_the_register_and_the_verify_page_keep_the_names_as_issued(self):
        rename_everything(self)
        self.login(self.alice)
        page = self.get("awards:decision-detail", self.decision.pk).decode()
        self.assert_old_names(page, where="decision page")
        record_page = self.get("awards:register-record", self.person.pk).decode()
        self.assertIn(OLD_AWARD, record_page)
        self.assertIn(OLD_ISSUER, record_page)
        self.assertNotIn(NEW_AWARD, record_page)
        register = self.client.get(reverse("awards:register"), {"q": "thu ha"}).content.decode()
        register = register.split('data-testid="register-table"')[1].split("</table>")[0]  # not the filters
        self.assertIn(OLD_AWARD, register)
        self.assertIn(OLD_SCHOOL, register)
        self.assertNotIn(NEW_AWARD, register)
        self.client.logout()
        verify = self.get("verify", self.person.verify_code).decode()
        self.assertIn(OLD_AWARD, verify)
        self.assertIn(OLD_ISSUER, verify)
        for new in (NEW_AWARD, NEW_ISSUER):
            self.assertNotIn(new, verify)

        self.auth(self.alice)
        data = self.get_json(reverse("api-decision-detail", args=[self.decision.pk]))
        self.assertEqual(
            (data["award_name"], data["unit_name"], data["certificate_heading"]),
            (OLD_AWARD, OLD_ISSUER, "GIẤY KHEN"),
        )
        self.assertEqual((data["parent_body"], data["issuing_body"]), (OLD_ISSUER.upper(), "BAN THƯỜNG VỤ"))
        self.assertEqual(data["award"]["name"], NEW_AWARD)  # the catalogue's name of today, as before
        person, collective = data["lines"]
        self.assertEqual(person["unit_name"], OLD_SCHOOL)
        self.assertEqual((collective["name"], collective["parent_name"]), (self.factory.name, OLD_ISSUER))
        stored = dict(DecisionFile.objects.filter(decision=self.decision).values_list("format", "sha256"))
        self.assertEqual({x["format"]: x["sha256"] for x in data["files"]}, stored)
        self.login(self.alice)  # the download is a page of the site
        for x in data["files"]:
            self.assertEqual(sha256(self.get_bytes(x["url"])), x["sha256"])
        register = self.get_json(reverse("api-register-list"), {"q": "thu ha"})
        self.assertEqual([r["award_name"] for r in register["results"]], [OLD_AWARD])

    def test_certificates_print_the_names_as_issued(self):
        rename_everything(self)
        self.login(self.alice)
        text = pdf_text(self.get("awards:certificate-pdf", self.person.pk))
        self.assertIn("GIẤY KHEN", text)
        self.assertIn(OLD_ISSUER.upper(), text)
        self.assertIn(OLD_SCHOOL, text)
        for new in (NEW_HEADING, NEW_ISSUER.upper(), NEW_SCHOOL):
            self.assertNotIn(new, text)


def changed_fixture(obj, **changes) -> str:
    """A fixture file of `obj` as stored, with `changes` applied: what a hand-edited dump holds."""
    data = json.loads(serializers.serialize("json", [type(obj)._base_manager.get(pk=obj.pk)]))
    data[0]["fields"].update(changes)
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    return path


class FrozenRowsMixin:
    """Each row of `targets()` (object, field, a new value) is frozen: a changed fixture fails to
    load and leaves it as it was, through the model layer and, without it, through the trigger;
    raw SQL UPDATE is refused by the trigger, and DELETE too on PostgreSQL."""

    def targets(self) -> list[tuple]:
        raise NotImplementedError

    def stored(self, obj, field: str):
        return type(obj)._base_manager.values_list(field, flat=True).get(pk=obj.pk)

    def load(self, path: str) -> None:
        with transaction.atomic():
            call_command("loaddata", path, verbosity=0)

    def test_loaddata_of_a_changed_fixture_fails_and_changes_nothing(self):
        for obj, field, value in self.targets():
            with self.subTest(model=type(obj).__name__):
                before = self.stored(obj, field)
                path = changed_fixture(obj, **{field: value})
                self.addCleanup(os.remove, path)
                with self.assertRaises(ImmutableError):
                    self.load(path)
                self.assertEqual(self.stored(obj, field), before)

    def test_without_the_model_layer_the_trigger_refuses_loaddata(self):
        for obj, field, value in self.targets():
            with self.subTest(model=type(obj).__name__):
                before = self.stored(obj, field)
                path = changed_fixture(obj, **{field: value})
                self.addCleanup(os.remove, path)
                with model_checks_off(type(obj)), self.assertRaises(IntegrityError):
                    self.load(path)
                self.assertEqual(self.stored(obj, field), before)

    def test_raw_sql_update_is_refused_by_the_database(self):
        for obj, field, value in self.targets():
            table, column = type(obj)._meta.db_table, type(obj)._meta.get_field(field).column
            with self.subTest(table=table):
                before = self.stored(obj, field)
                with self.assertRaises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, obj.pk])
                self.assertEqual(self.stored(obj, field), before)

    def test_raw_sql_delete_is_refused_by_postgresql(self):
        require_postgresql(
            "SQLite has no DELETE trigger (the test runner empties its tables with DELETE); "
            "the model layer refuses deletes there"
        )
        for obj, _field, _value in reversed(self.targets()):
            table = type(obj)._meta.db_table
            with self.subTest(table=table):
                with self.assertRaises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {table} WHERE id = %s", [obj.pk])
                self.assertTrue(type(obj)._base_manager.filter(pk=obj.pk).exists())

    def test_the_model_layer_refuses_save_update_and_delete(self):
        for obj, field, value in self.targets():
            model = type(obj)
            with self.subTest(model=model.__name__):
                before = self.stored(obj, field)
                fresh = model._base_manager.get(pk=obj.pk)
                setattr(fresh, field, value)
                with self.assertRaises(ImmutableError):
                    fresh.save()
                with self.assertRaises(ImmutableError):
                    model.objects.filter(pk=obj.pk).update(**{field: value})
                with self.assertRaises(ImmutableError):
                    model.objects.filter(pk=obj.pk).delete()
                with self.assertRaises(ImmutableError):
                    model._base_manager.get(pk=obj.pk).delete()
                self.assertEqual(self.stored(obj, field), before)


class IssuedDecisionFrozenTests(FrozenRowsMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.decision = issue_decision(cls)

    def targets(self) -> list[tuple]:
        line = DecisionLine.objects.filter(decision=self.decision).first()
        file = DecisionFile.objects.get(decision=self.decision, format="pdf")
        return [
            (self.decision, "number", "99/QĐ-GIẢ"),
            (self.decision, "signer_name", "Người Ký Giả"),
            (line, "name", "Tên Sửa Lén"),
            (file, "sha256", "0" * 64),
        ]

    def test_a_line_cannot_be_added_to_an_issued_decision(self):
        with self.assertRaises(ImmutableError):
            DecisionLine.objects.create(
                decision=self.decision, recipient_kind="member", unit=self.school, name="Thêm Lén"
            )
        self.assertEqual(self.decision.lines.count(), 2)


class PublishedRankingFrozenTests(FrozenRowsMixin, EnglishMixin, ScoringTestCase, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for unit, manual in ((cls.school, 50), (cls.factory, 55)):
            sheet = scoring.sheet_get_or_create(table=cls.table, unit=unit, year=YEAR, cluster=cls.cluster)
            c4 = cls.table.criteria.get(code="c4")
            scoring.sheet_self_assess(sheet=sheet, entries={c4.pk: (Decimal(manual), "Hồ sơ")}, by=None)
            scoring.sheet_submit(sheet=sheet, by=None)
        cls.publication = scoring.ranking_publish(
            table=cls.table, cluster=cls.cluster, year=YEAR, decision_number="12/QĐ-LĐLĐ", by=cls.alice
        )
        cls.sheet = ScoreSheet.objects.get(unit=cls.school)

    def targets(self) -> list[tuple]:
        score = Score.objects.get(sheet=self.sheet, criterion__code="c4")
        row = RankingSnapshotRow.objects.get(publication=self.publication, sheet=self.sheet)
        return [
            (self.publication, "decision_number", "99/QĐ-GIẢ"),
            (self.sheet, "rank", 1 if self.sheet.rank != 1 else 2),
            (self.sheet, "total", "99.00"),
            (score, "points", "60.00"),
            (self.publication.snapshot, "cluster_name", "Cụm Sửa Lén"),
            (row, "unit_name", "Tên Sửa Lén"),
            (self.publication.files.get(), "sha256", "0" * 64),
        ]

    def test_a_row_cannot_be_added_to_a_published_ranking(self):
        with self.assertRaises(ImmutableError):
            RankingSnapshotRow.objects.create(
                publication=self.publication,
                position=9,
                sheet=self.sheet,
                unit=self.school,
                unit_name="Thêm Lén",
                rank=1,
                total="99.00",
                grade="Strong",
            )
        self.assertEqual(self.publication.rows.count(), 2)

    def test_the_ranking_was_published_as_expected(self):
        self.assertEqual(
            dict(ScoreSheet.objects.values_list("unit__code", "rank")), {"QT.DH.002": 1, "QT.DH.001": 2}
        )
        self.assertEqual(set(ScoreSheet.objects.values_list("status", flat=True)), {"frozen"})
        self.assertEqual(RankingPublication.objects.get(), self.publication)


class TriggersExistTests(TestCase):
    """A migration that rebuilds one of these tables on SQLite drops its trigger: caught here."""

    def test_every_frozen_table_has_its_trigger(self):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE t.tgname LIKE '%%_frozen' AND NOT t.tgisinternal AND t.tgenabled = 'O'"
                )
            else:
                cursor.execute(
                    "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_frozen_update'"
                )
            tables = {row[0] for row in cursor.fetchall()}
        self.assertEqual(tables, FROZEN_TABLES)
