import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from lib.testing import BaseTestCase, EnglishMixin, make_user
from org.services.units import unit_create
from reports.models import Report, RequestRecipient
from reports.selectors.requests import my_reports, status_counts
from reports.services.reports import report_get_or_create, report_review, report_save
from reports.tasks import send_report_reminders
from reports.tests.factories_core import GOOD, make_request, make_version


class RequestCreateTests(EnglishMixin, BaseTestCase):
    def post_for_units(self, version, title: str, unit_codes: str, **extra):
        """Alice, on the new-request page, asks the units listed by code for a report due 30/06/2030."""
        self.login(self.alice)
        data = {
            "unit": self.dongha.pk,
            "version": version.pk,
            "title": title,
            "unit_codes": unit_codes,
            "due_on": "30/06/2030",
            "remind_days_before": "3",
            **extra,
        }
        return self.client.post(reverse("reports:request-create"), data)

    def test_recipients_are_materialised_with_bounded_queries(self):
        version = make_version(unit=self.quangtri, by=self.alice)
        with CaptureQueriesContext(connection) as small:
            req = make_request(version=version, unit=self.quangtri, by=self.alice)
        self.assertEqual(
            set(req.recipient_rows.values_list("unit__code", flat=True)), {"QT.DH.001", "QT.DH.002"}
        )
        for i in range(5):
            unit_create(parent=self.dongha, code=f"QT.DH.1{i}", name=f"CĐCS {i}", kind="grassroots")
        with CaptureQueriesContext(connection) as big:
            req2 = make_request(version=version, unit=self.quangtri, by=self.alice)
        self.assertEqual(req2.recipient_rows.count(), 7)
        self.assertEqual(len(small), len(big))
        self.assertLessEqual(len(big), 12)

    def test_it_creates_a_request_from_the_page_for_a_list_of_units(self):
        version = make_version(unit=self.dongha, by=self.alice)
        r = self.post_for_units(version, "Báo cáo quý", "QT.DH.002\n", unit_level="")
        req = version.requests.get()
        self.assertRedirects(r, reverse("reports:request-detail", args=[req.pk]))
        self.assertEqual(list(req.recipient_rows.values_list("unit", flat=True)), [self.factory.pk])
        self.assertEqual(req.due_on, datetime.date(2030, 6, 30))

    def test_units_outside_the_subtree_are_refused(self):
        version = make_version(unit=self.dongha, by=self.alice)
        r = self.post_for_units(version, "x", "QB.DHO.001")
        self.assertEqual(r.status_code, 200)
        self.assertFalse(version.requests.exists())

    def test_bob_gets_403_and_charlie_404(self):
        version = make_version(unit=self.dongha, by=self.alice)
        req = make_request(version=version, unit=self.dongha, by=self.alice)
        self.login(self.bob)
        self.assertEqual(self.client.get(reverse("reports:request-create")).status_code, 403)
        self.assertEqual(self.client.get(reverse("reports:request-detail", args=[req.pk])).status_code, 200)
        self.login(self.charlie)
        self.assertEqual(self.client.get(reverse("reports:request-detail", args=[req.pk])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("reports:request-list")), "Sơ kết đợt 1")


class RequestDetailTests(EnglishMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.version = make_version(unit=self.dongha, by=self.alice)
        self.req = make_request(
            version=self.version, unit=self.dongha, by=self.alice, due_on=datetime.date(2020, 1, 1)
        )

    def test_counts_by_status_including_late(self):
        report = report_get_or_create(request=self.req, unit=self.school)
        report_save(report=report, raw=GOOD, by=self.alice, submit=True)
        counts = status_counts(request=self.req, user=self.alice)
        self.assertEqual(counts["submitted"], 1)
        self.assertEqual(counts["not_started"], 1)
        self.assertEqual(counts["late"], 1)
        self.assertEqual(counts["total"], 2)
        self.login(self.alice)
        r = self.client.get(reverse("reports:request-detail", args=[self.req.pk]) + "?status=late")
        self.assertContains(r, 'data-testid="recipient-QT.DH.002"')
        self.assertNotContains(r, 'data-testid="recipient-QT.DH.001"')

    def test_the_page_does_not_query_per_recipient(self):
        self.login(self.alice)
        url = reverse("reports:request-detail", args=[self.req.pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for i in range(6):
            u = unit_create(parent=self.dongha, code=f"QT.DH.2{i}", name=f"CĐCS {i}", kind="grassroots")
            RequestRecipient.objects.create(request=self.req, unit=u)
            if i % 2:
                report_save(report=report_get_or_create(request=self.req, unit=u), raw=GOOD, by=self.alice)
        with CaptureQueriesContext(connection) as many:
            r = self.client.get(url)
        self.assertContains(r, "QT.DH.25")
        self.assertEqual(len(few), len(many))


class ReminderTests(BaseTestCase):
    def test_it_emails_only_units_without_a_submitted_report(self):
        version = make_version(unit=self.dongha, by=self.alice)
        req = make_request(version=version, unit=self.dongha, by=self.alice, due_on=datetime.date.today())
        make_user("school_officer", self.school, Role.Kind.OFFICER, email="school@example.org")
        make_user("factory_officer", self.factory, Role.Kind.OFFICER, email="factory@example.org")
        make_user("factory_viewer", self.factory, Role.Kind.VIEWER, email="viewer@example.org")
        report = report_get_or_create(request=req, unit=self.school)
        report_save(report=report, raw=GOOD, by=self.alice, submit=True)
        sent = send_report_reminders.call()
        self.assertEqual(sent, 1)
        self.assertEqual([m.to for m in mail.outbox], [["factory@example.org"]])
        self.assertIn("Sơ kết đợt 1", mail.outbox[0].body)
        self.assertIsNotNone(RequestRecipient.objects.get(request=req, unit=self.factory).reminded_at)
        self.assertEqual(send_report_reminders.call(), 0)  # once a day

    def test_requests_not_yet_in_the_window_send_nothing(self):
        version = make_version(unit=self.dongha, by=self.alice)
        make_request(
            version=version,
            unit=self.dongha,
            by=self.alice,
            due_on=datetime.date.today() + datetime.timedelta(days=20),
        )
        make_user("factory_officer", self.factory, Role.Kind.OFFICER, email="factory@example.org")
        call_command("send_report_reminders", "--now", verbosity=0, stdout=io.StringIO())
        self.assertEqual(mail.outbox, [])

    def test_the_command_queues_the_task(self):
        version = make_version(unit=self.dongha, by=self.alice)
        make_request(version=version, unit=self.dongha, by=self.alice, due_on=datetime.date(2020, 1, 1))
        make_user("factory_officer", self.factory, Role.Kind.OFFICER, email="factory@example.org")
        call_command("send_report_reminders", stdout=io.StringIO())  # immediate backend in tests
        self.assertEqual(len(mail.outbox), 1)


class MyReportsTests(EnglishMixin, BaseTestCase):
    def test_it_lists_due_and_returned_reports_with_badges(self):
        officer = make_user("school_officer", self.school, Role.Kind.OFFICER)
        version = make_version(unit=self.dongha, by=self.alice)
        late = make_request(
            version=version, unit=self.dongha, by=self.alice, due_on=datetime.date(2020, 1, 1)
        )
        soon = make_request(
            version=version,
            unit=self.dongha,
            by=self.alice,
            due_on=datetime.date.today() + datetime.timedelta(days=2),
        )
        done = make_request(version=version, unit=self.dongha, by=self.alice)
        report = report_get_or_create(request=done, unit=self.school)
        report_save(report=report, raw=GOOD, by=officer, submit=True)
        self.assertEqual([r.request_id for r in my_reports(user=officer)], [late.pk, soon.pk])
        report_review(report=report, accept=False, comment="fix", by=self.alice)
        self.assertEqual(len(my_reports(user=officer)), 3)
        self.login(officer)
        r = self.client.get(reverse("reports:report-list"))
        self.assertContains(r, 'data-testid="badge-late"')
        self.assertContains(r, 'data-testid="badge-soon"')
        self.assertContains(r, "Returned for correction")
        self.assertEqual(Report.objects.get(pk=report.pk).status, Report.Status.RETURNED)
