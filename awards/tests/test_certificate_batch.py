"""A decision's certificates as one background batch: a merged PDF (one page per valid record)
or a zip (one PDF per record), with progress, failures recorded, and never run twice."""

from __future__ import annotations

import io
import zipfile
from unittest import mock

import pypdfium2 as pdfium
from django.core.exceptions import ValidationError

from awards.models import BlankLayout, CertificateBatch, Decision
from awards.services import certificate_batches as batches
from awards.services import certificates as cs
from awards.tasks import certificate_batch_run
from awards.tests import factories_certificates as fc
from awards.tests.test_certificate_pdf import pdf_text, qr_values
from lib.testing import BaseTestCase

BASE = "https://thidua.example.vn"
PERSONS = ["Hoàng Thị Mỹ Duyên", "Đặng Văn Đông", "Phạm Thị Ngọc Ánh"]


def page_count(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


class BatchTests(fc.TempMediaMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.decision = fc.issued_decision(
            unit=cls.dongha,
            members=[cls.ha, cls.duc],
            persons=[(name, cls.school) for name in PERSONS],
            number="130/QĐ-LĐLĐ",
        )
        cls.revoked = cls.decision.records.get(member=cls.duc)
        fc.revoke(cls.revoked)
        cls.layout = BlankLayout.objects.create(unit=cls.dongha, name="Phôi giấy khen")

    def make(self, **kwargs) -> CertificateBatch:
        kwargs.setdefault("base_url", BASE)
        return batches.batch_create(decision=self.decision, created_by=self.alice, **kwargs)

    def read(self, batch: CertificateBatch) -> bytes:
        with batch.file.open("rb") as fh:
            return fh.read()

    def test_a_merged_batch_has_one_page_per_valid_record_in_the_decision_order(self):
        batch = self.make()
        self.assertEqual(batch.status, CertificateBatch.Status.DONE)
        self.assertEqual((batch.done, batch.total), (4, 4))
        self.assertEqual(batch.unit, self.dongha)
        self.assertIsNotNone(batch.finished_at)
        data = self.read(batch)
        self.assertEqual(page_count(data), 4)
        texts = [pdf_text(data, i) for i in range(4)]
        self.assertIn("Nguyễn Thị Thu Hà", texts[0])
        for text, name in zip(texts[1:], PERSONS, strict=True):
            self.assertIn(name, text)
            self.assertIn("GIẤY KHEN", text)
        self.assertFalse(any("Trần Văn Đức" in t for t in texts))  # revoked: left out
        first = self.decision.records.get(member=self.ha)
        self.assertEqual(qr_values(data, 0), [f"{BASE}/verify/{first.verify_code}/"])

    def test_a_zip_batch_has_one_pdf_per_valid_record(self):
        batch = self.make(format=CertificateBatch.Format.ZIP)
        self.assertEqual(batch.status, CertificateBatch.Status.DONE)
        with zipfile.ZipFile(io.BytesIO(self.read(batch))) as archive:
            names = archive.namelist()
            self.assertEqual(len(names), 4)
            codes = set(
                self.decision.records.exclude(pk=self.revoked.pk).values_list("verify_code", flat=True)
            )
            self.assertEqual({n.rsplit("-", 1)[1].removesuffix(".pdf") for n in names}, codes)
            self.assertTrue(names[0].startswith("0001-Nguyen-Thi-Thu-Ha-"))
            for name in names:
                data = archive.read(name)
                self.assertEqual(page_count(data), 1)
                self.assertIn("GIẤY KHEN", pdf_text(data))

    def test_a_blank_batch_prints_only_the_variable_text(self):
        batch = self.make(layout=CertificateBatch.Layout.BLANK, blank=self.layout)
        self.assertEqual(batch.blank, self.layout)
        data = self.read(batch)
        self.assertEqual(page_count(data), 4)
        text = pdf_text(data, 0)
        self.assertIn("Nguyễn Thị Thu Hà", text)
        self.assertIn("130/QĐ-LĐLĐ", text)
        self.assertNotIn("GIẤY KHEN", text)
        self.assertNotIn("CỘNG HÒA", text)
        self.assertEqual(qr_values(data, 0), [])  # the QR code is off by default on blanks
        self.assertIn("phôi", batches.batch_filename(batch))

    def test_the_full_layout_ignores_a_chosen_blank(self):
        batch = self.make(blank=self.layout)
        self.assertIsNone(batch.blank)

    def test_it_refuses_a_draft_decision(self):
        draft = Decision.objects.create(
            unit=self.dongha, award=self.decision.award, year=2025, title="Dự thảo"
        )
        with self.assertRaises(ValidationError):
            batches.batch_create(decision=draft, created_by=self.alice, base_url=BASE)
        self.assertFalse(CertificateBatch.objects.filter(decision=draft).exists())

    def test_it_refuses_a_decision_whose_awards_were_all_revoked(self):
        decision = fc.issued_decision(unit=self.dongha, members=[self.ha])
        fc.revoke(decision.records.get())
        with self.assertRaises(ValidationError):
            batches.batch_create(decision=decision, created_by=self.alice, base_url=BASE)

    def test_blanks_need_a_layout(self):
        with self.assertRaises(ValidationError):
            self.make(layout=CertificateBatch.Layout.BLANK)

    def test_a_failure_is_recorded_on_the_batch(self):
        with mock.patch.object(cs, "draw_certificate", side_effect=RuntimeError("ink ran out")):
            batch = self.make()
        self.assertEqual(batch.status, CertificateBatch.Status.FAILED)
        self.assertIn("ink ran out", batch.error)
        self.assertFalse(batch.file)

    def test_a_batch_is_never_run_twice(self):
        batch = self.make()
        name = batch.file.name
        result = certificate_batch_run.enqueue(batch.pk, BASE)
        self.assertEqual(result.return_value, CertificateBatch.Status.DONE)
        batch.refresh_from_db()
        self.assertEqual(batch.file.name, name)

    def test_progress_is_written_while_it_runs(self):
        seen = []
        draw = cs.draw_certificate

        def spy(*args, **kwargs):
            seen.append(CertificateBatch.objects.get().done)
            return draw(*args, **kwargs)

        with (
            mock.patch.object(batches, "PROGRESS_SECONDS", 0),
            mock.patch.object(cs, "draw_certificate", spy),
        ):
            batch = self.make()
        self.assertEqual(seen, [0, 1, 2, 3])
        self.assertEqual(batches.batch_progress(batch), 100)

    def test_it_reads_the_records_in_a_bounded_number_of_queries(self):
        decision = fc.issued_decision(
            unit=self.dongha, persons=[(f"Người {i}", self.school) for i in range(30)], bulk=True
        )
        batch = CertificateBatch.objects.create(decision=decision, unit=self.dongha, total=30)
        # status running, every record with its joins (one query), the outcome; progress writes
        # (at most one per PROGRESS_SECONDS) are held off here
        with mock.patch.object(batches, "PROGRESS_SECONDS", 3600), self.assertNumQueries(3):
            batches.batch_run(batch=batch, base_url=BASE)
        self.assertEqual(batch.done, 30)
