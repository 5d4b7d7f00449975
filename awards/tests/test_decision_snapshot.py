"""What issuing stores (names printed, files with their SHA-256), how a draft still reads today's
names, how a decision issued without stored papers gets them, and how a stored file that fails
its checksum is refused. The renames after issue: lib/tests/test_immutability.py."""

from __future__ import annotations

import datetime
import hashlib

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.urls import reverse

from awards.models import AwardRecord, Decision, DecisionFile, DecisionLine
from awards.services import catalogue
from awards.services import decisions as services
from awards.tests import factories as f
from awards.tests.factories_certificates import issued_decision
from awards.tests.factories_snapshot import docx_text, issue_decision, pdf_text
from lib.testing import BaseTestCase, EnglishMixin
from org.services.units import unit_update

BEFORE_SNAPSHOT = ("awards", "0005_valid_award_year_index")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class IssueStoresTheSnapshotTests(EnglishMixin, BaseTestCase):
    def test_issuing_stores_the_names_and_both_files(self):
        decision = issue_decision(self)
        decision.refresh_from_db()
        self.assertEqual(
            {k: getattr(decision, k) for k in services.SNAPSHOT},
            {
                "award_name": "Giấy khen",
                "award_kind": "form",
                "certificate_heading": "GIẤY KHEN",
                "unit_name": self.dongha.name,
                "parent_body": self.dongha.name.upper(),
                "issuing_body": "BAN THƯỜNG VỤ",
            },
        )
        person, collective = decision.lines.order_by("position")
        self.assertEqual((person.unit_name, person.parent_name), (self.school.name, ""))
        self.assertEqual(
            (collective.unit_name, collective.parent_name), (self.factory.name, self.dongha.name)
        )
        self.assertEqual(
            set(AwardRecord.objects.filter(decision=decision).values_list("award_name", "issuer_name")),
            {("Giấy khen", self.dongha.name)},
        )
        files = {x.format: x for x in DecisionFile.objects.filter(decision=decision)}
        self.assertEqual(set(files), {"docx", "pdf"})
        for file in files.values():
            data = bytes(file.content)
            self.assertEqual((sha256(data), len(data)), (file.sha256, file.size))
        self.assertTrue(bytes(files["pdf"].content).startswith(b"%PDF"))
        self.assertIn("Điều 1. Tặng Giấy khen năm 2025", docx_text(bytes(files["docx"].content)))

    def test_the_page_shows_the_fingerprints(self):
        decision = issue_decision(self)
        self.login(self.alice)
        response = self.client.get(reverse("awards:decision-detail", args=[decision.pk]))
        for file in DecisionFile.objects.filter(decision=decision):
            self.assertContains(response, file.sha256)

    def test_a_draft_reads_todays_names_and_stores_no_file(self):
        award = f.award("giay-khen")
        draft = services.decision_create(unit=self.dongha, award=award, year=2025, created_by=self.alice)
        services.decision_line_add(decision=draft, member=self.ha, added_by=self.alice)
        catalogue.award_update(award=award, updated_by=self.alice, name="Giấy khen đổi tên")
        unit_update(unit=self.school, updated_by=self.alice, name="Trường đổi tên")
        self.login(self.alice)
        text = pdf_text(self.client.get(reverse("awards:decision-pdf", args=[draft.pk])).content)
        self.assertIn("Giấy khen đổi tên", text)
        self.assertIn("Trường đổi tên", text)
        self.assertFalse(DecisionFile.objects.exists())
        draft.refresh_from_db()
        self.assertEqual(draft.award_name, "")


class StoredFileTests(EnglishMixin, BaseTestCase):
    """A decision issued before papers were kept (made here straight through the ORM, as the
    certificate factories do)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.decision = issued_decision(unit=cls.dongha, members=[cls.ha], number="31/QĐ-LĐLĐ")

    def download(self, fmt: str):
        self.login(self.alice)
        return self.client.get(reverse(f"awards:decision-{fmt}", args=[self.decision.pk]))

    def test_its_files_are_made_at_the_first_download_and_served_as_stored_afterwards(self):
        self.assertFalse(DecisionFile.objects.exists())
        first = self.download("docx")
        stored = DecisionFile.objects.get(decision=self.decision, format="docx")
        self.assertEqual(sha256(first.content), stored.sha256)
        self.assertEqual(first["Repr-Digest"].split("=", 1)[0], "sha-256")
        unit_update(unit=self.school, updated_by=self.alice, name="Trường đổi tên")
        again = self.download("docx")
        self.assertEqual(again.content, first.content)
        self.assertEqual(DecisionFile.objects.filter(decision=self.decision).count(), 1)
        self.assertNotIn("Trường đổi tên", docx_text(again.content))

    def test_a_stored_file_failing_its_checksum_is_not_served(self):
        original = b"%PDF-1.4 the paper as issued"
        DecisionFile.objects.create(
            decision=self.decision,
            format="pdf",
            content=b"%PDF-1.4 a paper changed later",
            sha256=sha256(original),
            size=len(original),
        )
        with self.assertLogs("awards.services.decision_files", "ERROR"):
            response = self.download("pdf")
        self.assertEqual(response.status_code, 500)
        self.assertNotIn(b"changed later", response.content)
        self.assertContains(response, "does not match", status_code=500)


class SnapshotMigrationTests(TransactionTestCase):
    """Migration 0006 fills the snapshot of decisions issued before it from today's data."""

    serialized_rollback = True  # the flush at its end must not take the award catalogue along

    def migrate(self, targets) -> MigrationExecutor:
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return executor

    def test_issued_decisions_get_todays_names_and_drafts_stay_blank(self):
        # Whatever happens, the tests after this one get the database at its latest migration.
        self.addCleanup(lambda: self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes()))
        executor = self.migrate([BEFORE_SNAPSHOT])
        old = executor.loader.project_state([BEFORE_SNAPSHOT]).apps
        Unit, Award = old.get_model("org", "Unit"), old.get_model("awards", "Award")
        Decision_, Line = old.get_model("awards", "Decision"), old.get_model("awards", "DecisionLine")
        Record = old.get_model("awards", "AwardRecord")
        d = datetime.date(2020, 1, 1)
        root = Unit.objects.create(
            path="0001", depth=1, numchild=1, code="TLD", name="Tổng Liên đoàn", kind="confederation"
        )
        province = Unit.objects.create(
            path="00010001", depth=2, numchild=1, code="QT", name="Liên đoàn Lao động tỉnh Quảng Trị",
            short_name="LĐLĐ tỉnh Quảng Trị", kind="province", established_on=d,
        )  # fmt: skip
        school = Unit.objects.create(
            path="000100010001", depth=3, numchild=0, code="QT.001", name="Công đoàn Trường Lê Lợi",
            kind="grassroots", established_on=d,
        )  # fmt: skip
        award = Award.objects.create(
            code="bk-thu", name="Bằng khen thử", kind="form", certificate="bang_khen", certificate_heading=""
        )
        made = {}
        for status in ("issued", "draft"):
            made[status] = Decision_.objects.create(
                unit=province, award=award, year=2024, title="khen thưởng", status=status,
                number=f"1{status}/QĐ", signed_on=d, signer_authority="",
            )  # fmt: skip
            line = Line.objects.create(
                decision=made[status], recipient_kind="collective", unit=school, name=school.name
            )
        Record.objects.create(
            award=award, year=2024, recipient_kind="collective", unit=school, name=school.name,
            decision=made["issued"], verify_code="ABCDEFGHJK",
        )  # fmt: skip
        self.assertIsNotNone(root.pk)

        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        issued = Decision.objects.get(pk=made["issued"].pk)
        self.assertEqual(
            {k: getattr(issued, k) for k in services.SNAPSHOT},
            {
                "award_name": award.name,
                "award_kind": award.kind,
                "certificate_heading": "BẰNG KHEN",
                "unit_name": province.name,
                "parent_body": "TỔNG LIÊN ĐOÀN",
                "issuing_body": "LĐLĐ TỈNH QUẢNG TRỊ",
            },
        )
        line = DecisionLine.objects.get(decision=issued)
        self.assertEqual((line.unit_name, line.parent_name), (school.name, province.name))
        draft = Decision.objects.get(pk=made["draft"].pk)
        self.assertEqual([getattr(draft, k) for k in services.SNAPSHOT], [""] * len(services.SNAPSHOT))
        self.assertEqual(DecisionLine.objects.get(decision=draft).unit_name, "")
        self.assertEqual(AwardRecord.objects.get(verify_code="ABCDEFGHJK").award_name, award.name)
