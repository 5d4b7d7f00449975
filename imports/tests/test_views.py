import io
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from imports.models import ImportJob
from imports.tests.rosters import member_rows, write_csv
from lib.testing import BaseTestCase
from org.models import Member


class ImportViewTestCase(BaseTestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = Path(tmp.name)
        media = override_settings(MEDIA_ROOT=self.dir / "media")
        media.enable()
        self.addCleanup(media.disable)

    def upload(self, rows, *, unit=None, name="roster.csv", **kwargs):
        path = write_csv(self.dir / name, rows, **kwargs)
        upload = SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")
        return self.client.post(
            reverse("imports:job-create"), {"unit": (unit or self.dongha).code, "file": upload}
        )

    def alice_job(self, rows=None) -> ImportJob:
        self.login(self.alice)
        response = self.upload(rows or member_rows(3))
        self.assertEqual(response.status_code, 302)
        return ImportJob.objects.latest("id")


class JobCreateTests(ImportViewTestCase):
    def test_it_shows_the_form_with_the_writable_units(self):
        self.login(self.alice)
        response = self.client.get(reverse("imports:job-create"))
        self.assertContains(response, 'data-testid="import-form"')
        self.assertContains(response, f'value="{self.school.code}"')
        self.assertNotContains(response, self.port.code)

    def test_an_upload_runs_the_job_and_shows_the_summary(self):
        job = self.alice_job()

        self.assertEqual(job.status, ImportJob.Status.SUCCEEDED)
        self.assertEqual((job.added, job.updated, job.unchanged, job.rows), (3, 0, 0, 3))
        self.assertEqual(
            (job.unit, job.created_by, job.original_filename), (self.dongha, self.alice, "roster.csv")
        )
        self.assertTrue(job.file.name.startswith("imports/"))
        self.assertEqual(Member.objects.filter(unit=self.dongha).count(), 3)
        response = self.client.get(reverse("imports:job-detail", args=[job.pk]))
        self.assertContains(response, 'data-testid="import-summary"')
        self.assertContains(response, 'data-status="succeeded"')
        self.assertNotContains(response, "hx-trigger")  # done: no more polling

    def test_a_failed_import_lists_every_error_and_offers_downloads(self):
        rows = member_rows(3)
        rows[1][3] = "999"
        rows[2][2] = "?"
        job = self.alice_job(rows)

        self.assertEqual((job.status, job.error_count, job.added), (ImportJob.Status.FAILED, 2, 0))
        self.assertFalse(Member.objects.filter(unit=self.dongha).exists())
        response = self.client.get(reverse("imports:job-detail", args=[job.pk]))
        self.assertContains(response, 'data-testid="import-error-row"', count=2)
        self.assertContains(response, "999")

        xlsx = self.client.get(reverse("imports:job-errors", args=[job.pk, "xlsx"]))
        ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        self.assertEqual([c.value for c in ws[2]][:3], [3, "Số CCCD", "999"])
        csv = self.client.get(reverse("imports:job-errors", args=[job.pk, "csv"]))
        self.assertTrue(csv.content.startswith(b"\xef\xbb\xbf"))
        self.assertIn("Giới tính", csv.content.decode("utf-8-sig"))

    def test_a_broken_file_is_refused_on_the_form_before_any_job(self):
        self.login(self.alice)
        upload = SimpleUploadedFile("roster.xlsx", b"PK\x03\x04 broken")
        response = self.client.post(reverse("imports:job-create"), {"unit": self.dongha.code, "file": upload})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tệp bị hỏng")
        self.assertFalse(ImportJob.objects.exists())

    def test_a_file_the_reader_cannot_read_fails_the_job_with_a_message(self):
        """A well-formed zip that passes the gate but is no workbook: the worker's reader says so."""
        self.login(self.alice)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
        upload = SimpleUploadedFile("roster.xlsx", out.getvalue())
        self.client.post(reverse("imports:job-create"), {"unit": self.dongha.code, "file": upload})
        job = ImportJob.objects.get()
        self.assertEqual(job.status, ImportJob.Status.FAILED)
        self.assertTrue(job.message)

    def test_alice_cannot_import_into_charlies_unit(self):
        self.login(self.alice)
        response = self.upload(member_rows(3), unit=self.port)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is-invalid")
        self.assertFalse(ImportJob.objects.exists())
        self.assertFalse(Member.objects.filter(unit=self.port).exclude(pk=self.lan.pk).exists())

    def test_a_read_only_viewer_cannot_import(self):
        self.login(self.bob)
        self.upload(member_rows(3))
        self.assertFalse(ImportJob.objects.exists())

    @override_settings(IMPORT_MAX_UPLOAD_BYTES=100)
    def test_it_refuses_files_over_the_size_limit_and_other_extensions(self):
        self.login(self.alice)
        self.upload(member_rows(10))
        self.upload(member_rows(1), name="roster.pdf")
        self.assertFalse(ImportJob.objects.exists())

    def test_it_requires_login(self):
        response = self.client.get(reverse("imports:job-create"))
        self.assertEqual(response.status_code, 302)


class JobScopeTests(ImportViewTestCase):
    def setUp(self) -> None:
        super().setUp()
        rows = member_rows(2)
        rows[0][1] = "bad date"
        self.job = self.alice_job(rows)
        self.client.logout()

    def test_charlie_gets_404_on_every_job_page(self):
        self.login(self.charlie)
        urls = [
            reverse("imports:job-detail", args=[self.job.pk]),
            reverse("imports:job-progress", args=[self.job.pk]),
            reverse("imports:job-errors", args=[self.job.pk, "xlsx"]),
            reverse("imports:job-errors", args=[self.job.pk, "csv"]),
            reverse("imports:job-file", args=[self.job.pk]),
        ]
        for url in urls:
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_charlie_does_not_see_alices_jobs_in_the_list(self):
        self.login(self.charlie)
        response = self.client.get(reverse("imports:job-list"))
        self.assertNotContains(response, 'data-testid="import-job-row"')

    def test_bob_can_read_the_jobs_of_his_unit(self):
        self.login(self.bob)
        self.assertContains(
            self.client.get(reverse("imports:job-list")), 'data-testid="import-job-row"', count=1
        )
        self.assertEqual(self.client.get(reverse("imports:job-detail", args=[self.job.pk])).status_code, 200)
        response = self.client.get(reverse("imports:job-file", args=[self.job.pk]))
        self.assertEqual(
            b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0][:9], "Họ và tên"
        )

    def test_the_progress_view_polls_while_the_job_runs(self):
        self.login(self.alice)
        ImportJob.objects.filter(pk=self.job.pk).update(status=ImportJob.Status.RUNNING, progress_rows=0)
        Path(self.job.file.path + ".progress").write_text("500/2000")
        response = self.client.get(reverse("imports:job-progress", args=[self.job.pk]))
        self.assertContains(response, 'hx-trigger="every 1s"')
        self.assertContains(response, 'aria-valuenow="25"')

    def test_the_template_downloads(self):
        self.login(self.bob)
        response = self.client.get(reverse("imports:template"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(ws["A1"].value, "Họ và tên")
