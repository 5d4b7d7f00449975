import io
import threading

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, connection
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from PIL import Image

from accounts.models import Role
from lib.testing import BaseTestCase, EnglishMixin, TreeMixin, make_user, require_postgresql
from reports.models import Evidence, Report, ReportVersion, ReviewAction
from reports.services.reports import report_get_or_create, report_review, report_save
from reports.tests.factories_core import GOOD, make_request, make_version


def posted(values: dict, revision: int = 1, submit: bool = False) -> dict:
    data = {f"f-{k}": v for k, v in values.items()}
    data["revision"] = str(revision)
    data["submit" if submit else "save"] = "1"
    return data


class ReportFillTests(EnglishMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.officer = make_user("school_officer", self.school, Role.Kind.OFFICER)
        self.version = make_version(unit=self.dongha, by=self.alice)
        self.req = make_request(version=self.version, unit=self.dongha, by=self.alice)
        self.fill_url = reverse("reports:report-fill", kwargs={"pk": self.req.pk, "unit_pk": self.school.pk})

    def test_the_form_shows_typed_inputs(self):
        self.login(self.officer)
        r = self.client.get(self.fill_url)
        self.assertContains(r, 'name="f-amount"')
        self.assertContains(r, 'inputmode="numeric"')
        self.assertContains(r, 'data-testid="computed-per_head"')
        self.assertContains(r, '<option value="co"')
        self.assertNotContains(r, 'name="f-per_head"')
        self.assertFalse(Report.objects.exists())  # opening the page creates nothing

    def test_bad_values_list_every_error_and_save_nothing(self):
        self.login(self.officer)
        bad = {**GOOD, "helped": "abc", "amount": "-5", "rate": "120", "held": "maybe"}
        r = self.client.post(self.fill_url, posted(bad, submit=True))
        self.assertEqual(r.status_code, 200)
        for code in ("helped", "amount", "rate", "held"):
            self.assertContains(r, f'data-testid="error-{code}"')
        self.assertContains(r, "4 errors")
        self.assertFalse(Report.objects.exists())
        self.assertFalse(ReportVersion.objects.exists())

    def test_rule_errors_are_shown_on_top(self):
        self.login(self.officer)
        r = self.client.post(self.fill_url, posted({**GOOD, "helped_women": "9"}))
        self.assertContains(r, 'data-testid="rule-error"')
        self.assertContains(r, "Women helped exceed all helped.")
        self.assertFalse(Report.objects.exists())

    def test_save_draft_then_submit(self):
        self.login(self.officer)
        r = self.client.post(self.fill_url, posted(GOOD))
        report = Report.objects.get()
        self.assertRedirects(r, reverse("reports:report-fill", kwargs={"report_pk": report.pk}))
        self.assertEqual(report.status, Report.Status.DRAFT)
        r = self.client.get(reverse("reports:report-fill", kwargs={"report_pk": report.pk}))
        self.assertContains(r, 'value="2000000"')
        self.assertContains(r, 'name="revision" value="2"')
        r = self.client.post(
            reverse("reports:report-fill", kwargs={"report_pk": report.pk}), posted(GOOD, 2, True)
        )
        self.assertRedirects(r, reverse("reports:report-detail", args=[report.pk]))
        report.refresh_from_db()
        self.assertEqual(report.status, Report.Status.SUBMITTED)
        self.assertEqual(report.versions.count(), 2)
        r = self.client.get(reverse("reports:report-detail", args=[report.pk]))
        self.assertContains(r, "2.000.000 đ")
        self.assertContains(r, "500.000 đ")

    def test_a_stale_revision_is_refused(self):
        self.login(self.officer)
        self.client.post(self.fill_url, posted(GOOD))
        report = Report.objects.get()
        url = reverse("reports:report-fill", kwargs={"report_pk": report.pk})
        r1 = self.client.post(url, posted({**GOOD, "helped": "5"}, revision=2))
        self.assertEqual(r1.status_code, 302)
        r2 = self.client.post(url, posted({**GOOD, "helped": "6"}, revision=2, submit=True))
        self.assertEqual(r2.status_code, 200)
        self.assertContains(r2, "Someone else saved this report")
        report.refresh_from_db()
        self.assertEqual(report.versions.count(), 2)
        self.assertEqual(report.status, Report.Status.DRAFT)

    def test_return_needs_a_comment_and_resubmission_keeps_both_versions(self):
        report = report_get_or_create(request=self.req, unit=self.school)
        report_save(report=report, raw=GOOD, by=self.officer, submit=True)
        self.login(self.alice)
        url = reverse("reports:report-review", args=[report.pk])
        self.client.post(url, {"decision": "return", "comment": "  "})
        report.refresh_from_db()
        self.assertEqual(report.status, Report.Status.SUBMITTED)
        self.client.post(url, {"decision": "return", "comment": "Số tiền chưa đúng"})
        report.refresh_from_db()
        self.assertEqual(report.status, Report.Status.RETURNED)
        self.login(self.officer)
        r = self.client.get(reverse("reports:report-fill", kwargs={"report_pk": report.pk}))
        self.assertContains(r, "Số tiền chưa đúng")
        self.client.post(
            reverse("reports:report-fill", kwargs={"report_pk": report.pk}),
            posted({**GOOD, "amount": "3.000.000"}, report.revision, True),
        )
        report.refresh_from_db()
        self.assertEqual(report.status, Report.Status.SUBMITTED)
        self.assertEqual(list(report.versions.values_list("number", flat=True)), [2, 1])
        self.login(self.alice)
        r = self.client.get(reverse("reports:report-detail", args=[report.pk]))
        self.assertContains(r, 'data-testid="report-diff"')
        self.assertContains(r, "3.000.000 đ")
        self.client.post(url, {"decision": "accept", "comment": ""})
        report.refresh_from_db()
        self.assertEqual(report.status, Report.Status.ACCEPTED)
        kinds = list(report.actions.order_by("id").values_list("kind", flat=True))
        self.assertEqual(kinds, ["submit", "return", "submit", "accept"])

    def test_submit_and_accept_are_audited(self):
        report = report_get_or_create(request=self.req, unit=self.school)
        report_save(report=report, raw=GOOD, by=self.officer, submit=True)
        report_review(report=report, accept=True, comment="", by=self.alice)
        entries = LogEntry.objects.get_for_model(ReviewAction)
        self.assertEqual({e.actor for e in entries}, {self.officer, self.alice})
        self.assertTrue(LogEntry.objects.get_for_object(report).filter(actor=self.alice).exists())

    def test_scoping_charlie_404_and_bob_403(self):
        report = report_get_or_create(request=self.req, unit=self.school)
        report_save(report=report, raw=GOOD, by=self.officer, submit=True)
        self.login(self.charlie)
        for url in (
            self.fill_url,
            reverse("reports:report-fill", kwargs={"report_pk": report.pk}),
            reverse("reports:report-detail", args=[report.pk]),
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertEqual(
            self.client.post(
                reverse("reports:report-review", args=[report.pk]), {"decision": "accept"}
            ).status_code,
            404,
        )
        self.assertNotContains(self.client.get(reverse("reports:report-list")), "Sơ kết")
        self.login(self.bob)
        self.assertEqual(self.client.get(reverse("reports:report-detail", args=[report.pk])).status_code, 200)
        self.assertEqual(self.client.get(self.fill_url).status_code, 403)
        self.assertEqual(
            self.client.post(
                reverse("reports:report-review", args=[report.pk]), {"decision": "accept"}
            ).status_code,
            403,
        )
        self.login(self.officer)  # the grassroots officer cannot review its own report
        self.assertEqual(
            self.client.post(
                reverse("reports:report-review", args=[report.pk]), {"decision": "accept"}
            ).status_code,
            403,
        )
        report.refresh_from_db()
        self.assertEqual(report.status, Report.Status.SUBMITTED)

    def test_a_unit_that_was_not_asked_cannot_fill(self):
        req = make_request(
            version=self.version, unit=self.dongha, by=self.alice, unit_ids=[self.factory.pk], level=None
        )
        self.login(self.officer)
        url = reverse("reports:report-fill", kwargs={"pk": req.pk, "unit_pk": self.school.pk})
        self.assertEqual(self.client.get(url).status_code, 404)


@override_settings(MEDIA_ROOT="/tmp/thidua-reports-core-media")
class EvidenceTests(EnglishMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        version = make_version(unit=self.dongha, by=self.alice)
        req = make_request(version=version, unit=self.dongha, by=self.alice)
        self.report = report_get_or_create(request=req, unit=self.school)
        self.url = reverse("reports:evidence-add", args=[self.report.pk])
        self.login(self.alice)

    def png(self) -> bytes:
        buf = io.BytesIO()
        Image.new("RGB", (4, 4), "red").save(buf, "PNG")
        return buf.getvalue()

    def test_a_photo_and_a_pdf_are_attached_and_served_in_scope(self):
        self.client.post(self.url, {"file": SimpleUploadedFile("anh.png", self.png(), "image/png")})
        self.client.post(
            self.url, {"file": SimpleUploadedFile("bb.pdf", b"%PDF-1.4\n...", "application/pdf")}
        )
        self.assertEqual(Evidence.objects.count(), 2)
        ev = Evidence.objects.get(original_name="bb.pdf")
        r = self.client.get(reverse("reports:evidence-file", args=[ev.pk]))
        self.assertEqual(b"".join(r.streaming_content)[:5], b"%PDF-")
        self.login(self.charlie)
        self.assertEqual(self.client.get(reverse("reports:evidence-file", args=[ev.pk])).status_code, 404)
        self.assertEqual(
            self.client.post(self.url, {"file": SimpleUploadedFile("x.pdf", b"%PDF-1")}).status_code, 404
        )

    def test_wrong_types_fakes_and_big_files_are_refused(self):
        for name, content in [
            ("virus.exe", b"MZ"),
            ("fake.png", b"not a picture"),
            ("fake.pdf", b"hello"),
            ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)),
        ]:
            r = self.client.post(self.url, {"file": SimpleUploadedFile(name, content)}, follow=True)
            self.assertEqual(r.status_code, 200)
        self.assertFalse(Evidence.objects.exists())
        self.login(self.bob)
        r = self.client.post(self.url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
        self.assertEqual(r.status_code, 403)


class ConcurrentSubmitTests(TreeMixin, TransactionTestCase):
    """Two submissions of the same report at once: one version, one refusal (PostgreSQL only)."""

    serialized_rollback = True  # the flush at its end must not take the award catalogue along

    def test_two_concurrent_submissions_make_one_version(self):
        require_postgresql("needs PostgreSQL row locks")
        self.build_tree()
        alice = make_user("alice", self.dongha, Role.Kind.OFFICER)
        version = make_version(unit=self.dongha, by=alice)
        req = make_request(version=version, unit=self.dongha, by=alice)
        report = report_get_or_create(request=req, unit=self.school)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def submit():
            try:
                barrier.wait()
                report_save(
                    report=Report.objects.get(pk=report.pk), raw=GOOD, by=alice, revision=1, submit=True
                )
                outcomes.append("saved")
            except ValidationError:
                outcomes.append("refused")
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=submit) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(outcomes), ["refused", "saved"])
        self.assertEqual(ReportVersion.objects.filter(report=report).count(), 1)
        self.assertEqual(ReviewAction.objects.filter(report=report, kind="submit").count(), 1)
