"""Certificate pages: who may list, download and batch a decision's certificates (alice writes,
bob reads, charlie of another province sees nothing), and how many queries the lists take."""

from __future__ import annotations

import io
import zipfile

from django.urls import reverse

from awards.models import BlankLayout, CertificateBatch, Decision
from awards.tests import factories_certificates as fc
from awards.tests.test_certificate_batch import page_count
from awards.tests.test_certificate_pdf import pdf_text, qr_values
from lib.testing import BaseTestCase, EnglishMixin


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class CertificateViewTests(EnglishMixin, fc.TempMediaMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.decision = fc.issued_decision(
            unit=cls.dongha, members=[cls.ha, cls.duc], units=[cls.school], number="140/QĐ-LĐLĐ"
        )
        cls.record = cls.decision.records.get(member=cls.ha)
        cls.layout = BlankLayout.objects.create(unit=cls.dongha, name="Phôi Đông Hà")
        cls.qb_layout = BlankLayout.objects.create(unit=cls.quangbinh, name="Phôi Quảng Bình")
        cls.qb_decision = fc.issued_decision(unit=cls.donghoi, members=[cls.lan], number="9/QĐ-LĐLĐ")

    # --- lists ---------------------------------------------------------------------------------

    def test_the_list_shows_the_issued_decisions_in_scope(self):
        draft = Decision.objects.create(
            unit=self.dongha, award=self.decision.award, year=2025, title="Dự thảo riêng"
        )
        self.login(self.alice)
        response = self.client.get(reverse("awards:certificate-list"))
        self.assertContains(response, "140/QĐ-LĐLĐ")
        self.assertNotContains(response, draft.title)
        self.assertNotContains(response, "9/QĐ-LĐLĐ")
        revocation = fc.revoke(self.decision.records.get(member=self.duc))
        self.assertNotContains(self.client.get(reverse("awards:certificate-list")), revocation.number)
        self.login(self.charlie)
        response = self.client.get(reverse("awards:certificate-list"))
        self.assertContains(response, "9/QĐ-LĐLĐ")
        self.assertNotContains(response, "140/QĐ-LĐLĐ")

    def test_the_list_takes_a_fixed_number_of_queries(self):
        for _i in range(5):
            fc.issued_decision(unit=self.dongha, members=[self.ha])
        self.login(self.alice)
        # session, user, roles, count, page
        with self.assertNumQueries(5):
            self.client.get(reverse("awards:certificate-list"))

    def test_the_decision_page_lists_records_with_their_codes(self):
        self.login(self.alice)
        response = self.client.get(reverse("awards:certificate-decision", args=[self.decision.pk]))
        self.assertContains(response, self.record.verify_code)
        self.assertContains(response, "Trần Văn Đức")
        self.assertContains(response, reverse("awards:certificate-pdf", args=[self.record.pk]))
        self.assertContains(
            response, reverse("awards:certificate-blank", args=[self.record.pk, self.layout.pk])
        )
        self.assertNotContains(response, "Phôi Quảng Bình")
        self.assertContains(response, 'data-testid="certificate-batch-form"')

    def test_the_decision_page_takes_the_same_queries_for_more_records(self):
        self.login(self.alice)
        url = reverse("awards:certificate-decision", args=[self.decision.pk])
        self.client.get(url)
        big = fc.issued_decision(
            unit=self.dongha, persons=[(f"Người {i}", self.school) for i in range(40)], bulk=True
        )
        fc.revoke(big.records.first())
        with self.assertNumQueries(9) as small:
            self.client.get(url)
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(reverse("awards:certificate-decision", args=[big.pk]))

    def test_a_viewer_sees_the_page_without_the_batch_form(self):
        self.login(self.bob)
        response = self.client.get(reverse("awards:certificate-decision", args=[self.decision.pk]))
        self.assertContains(response, self.record.verify_code)
        self.assertNotContains(response, 'data-testid="certificate-batch-form"')

    def test_another_province_gets_404_for_the_decision(self):
        self.login(self.charlie)
        response = self.client.get(reverse("awards:certificate-decision", args=[self.decision.pk]))
        self.assertEqual(response.status_code, 404)

    def test_a_draft_decision_has_no_certificate_page(self):
        draft = Decision.objects.create(
            unit=self.dongha, award=self.decision.award, year=2025, title="Dự thảo"
        )
        self.login(self.alice)
        response = self.client.get(reverse("awards:certificate-decision", args=[draft.pk]))
        self.assertEqual(response.status_code, 404)

    # --- one certificate -----------------------------------------------------------------------

    def test_an_officer_and_a_viewer_download_a_certificate(self):
        for user in (self.alice, self.bob):
            self.login(user)
            response = self.client.get(reverse("awards:certificate-pdf", args=[self.record.pk]))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["Content-Type"], "application/pdf")
            self.assertIn("attachment;", response["Content-Disposition"])
            self.assertIn("Nguyễn Thị Thu Hà", pdf_text(response.content))
            # the QR code points at the site the officer is using
            self.assertEqual(
                qr_values(response.content), [f"http://testserver/verify/{self.record.verify_code}/"]
            )

    def test_another_province_gets_404_for_a_certificate(self):
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("awards:certificate-pdf", args=[self.record.pk])).status_code, 404
        )
        url = reverse("awards:certificate-blank", args=[self.record.pk, self.qb_layout.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_anonymous_users_are_sent_to_log_in(self):
        response = self.client.get(reverse("awards:certificate-pdf", args=[self.record.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_a_revoked_certificate_is_refused_with_the_reason(self):
        fc.revoke(self.record)
        self.login(self.alice)
        response = self.client.get(reverse("awards:certificate-pdf", args=[self.record.pk]))
        self.assertContains(response, "was revoked", status_code=409)
        url = reverse("awards:certificate-blank", args=[self.record.pk, self.layout.pk])
        self.assertContains(self.client.get(url), "was revoked", status_code=409)

    def test_a_record_prints_on_a_blank_of_its_unit_or_above(self):
        root_layout = BlankLayout.objects.create(unit=self.root, name="Phôi Tổng Liên đoàn")
        self.login(self.bob)
        for layout in (self.layout, root_layout):
            response = self.client.get(reverse("awards:certificate-blank", args=[self.record.pk, layout.pk]))
            self.assertEqual(response.status_code, 200)
            text = pdf_text(response.content)
            self.assertIn("Bà Nguyễn Thị Thu Hà", text)
            self.assertNotIn("GIẤY KHEN", text)
        other = reverse("awards:certificate-blank", args=[self.record.pk, self.qb_layout.pk])
        self.assertEqual(self.client.get(other).status_code, 404)

    # --- batches -------------------------------------------------------------------------------

    def start(self, **data):
        url = reverse("awards:certificate-batch-create", args=[self.decision.pk])
        return self.client.post(url, {"format": "pdf", "layout": "full", **data})

    def test_an_officer_starts_a_batch_and_downloads_it(self):
        self.login(self.alice)
        response = self.start()
        batch = CertificateBatch.objects.get()
        self.assertRedirects(response, reverse("awards:certificate-batch-detail", args=[batch.pk]))
        self.assertEqual(batch.created_by, self.alice)
        detail = self.client.get(response["Location"])
        self.assertContains(detail, reverse("awards:certificate-batch-download", args=[batch.pk]))
        self.assertNotContains(detail, "hx-get")  # done: nothing left to poll
        download = self.client.get(reverse("awards:certificate-batch-download", args=[batch.pk]))
        self.assertEqual(download["Content-Type"], "application/pdf")
        self.assertIn("Gi%E1%BA%A5y%20khen%20140-Q%C4%90", download["Content-Disposition"])
        self.assertEqual(page_count(body(download)), 3)

    def test_a_zip_batch_downloads_as_a_zip(self):
        self.login(self.alice)
        self.start(format="zip")
        batch = CertificateBatch.objects.get()
        download = self.client.get(reverse("awards:certificate-batch-download", args=[batch.pk]))
        self.assertEqual(download["Content-Type"], "application/zip")
        with zipfile.ZipFile(io.BytesIO(body(download))) as archive:
            self.assertEqual(len(archive.namelist()), 3)

    def test_a_blank_batch_needs_a_layout_in_scope(self):
        self.login(self.alice)
        response = self.start(layout="blank")
        self.assertRedirects(response, reverse("awards:certificate-decision", args=[self.decision.pk]))
        self.assertFalse(CertificateBatch.objects.exists())
        self.start(layout="blank", blank=self.qb_layout.pk)
        self.assertFalse(CertificateBatch.objects.exists())
        self.start(layout="blank", blank=self.layout.pk)
        self.assertEqual(CertificateBatch.objects.get().blank, self.layout)

    def test_a_viewer_cannot_start_a_batch_but_reads_one(self):
        self.login(self.alice)
        self.start()
        batch = CertificateBatch.objects.get()
        self.login(self.bob)
        self.assertEqual(self.start().status_code, 403)
        self.assertEqual(CertificateBatch.objects.count(), 1)
        for name in ("detail", "progress", "download"):
            url = reverse(f"awards:certificate-batch-{name}", args=[batch.pk])
            self.assertEqual(self.client.get(url).status_code, 200, name)

    def test_another_province_cannot_start_or_read_a_batch(self):
        self.login(self.alice)
        self.start()
        batch = CertificateBatch.objects.get()
        self.login(self.charlie)
        self.assertEqual(self.start().status_code, 404)
        for name in ("detail", "progress", "download"):
            url = reverse(f"awards:certificate-batch-{name}", args=[batch.pk])
            self.assertEqual(self.client.get(url).status_code, 404, name)

    def test_starting_a_batch_needs_a_post(self):
        self.login(self.alice)
        url = reverse("awards:certificate-batch-create", args=[self.decision.pk])
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_a_running_batch_is_polled_and_cannot_be_downloaded_yet(self):
        batch = CertificateBatch.objects.create(
            decision=self.decision, unit=self.dongha, total=3, done=1, status=CertificateBatch.Status.RUNNING
        )
        self.login(self.alice)
        response = self.client.get(reverse("awards:certificate-batch-progress", args=[batch.pk]))
        self.assertContains(
            response, 'hx-get="{}"'.format(reverse("awards:certificate-batch-progress", args=[batch.pk]))
        )
        self.assertContains(response, "33%")
        self.assertContains(response, "1 of 3 certificates made")
        download = self.client.get(reverse("awards:certificate-batch-download", args=[batch.pk]))
        self.assertEqual(download.status_code, 404)

    def test_a_failed_batch_shows_its_error(self):
        batch = CertificateBatch.objects.create(
            decision=self.decision,
            unit=self.dongha,
            total=3,
            status=CertificateBatch.Status.FAILED,
            error="hết mực",
        )
        self.login(self.alice)
        response = self.client.get(reverse("awards:certificate-batch-detail", args=[batch.pk]))
        self.assertContains(response, "hết mực")
        self.assertNotContains(response, "hx-get")
