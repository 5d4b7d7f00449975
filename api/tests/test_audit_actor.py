"""What is written through the API is logged with its caller as the actor, token or session
alike (issue 11: reports saved through the API had no actor in the audit log)."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from api.tests.test_awards_api import AwardsApiTestCase
from api.tests.test_reports_api import GOOD
from awards.models import Nomination
from reports.models import Report
from reports.tests.factories_rollup import make_form, make_request


def entries_for(obj) -> list[LogEntry]:
    ct = ContentType.objects.get_for_model(type(obj))
    return list(LogEntry.objects.filter(content_type=ct, object_pk=str(obj.pk)).select_related("actor"))


class AuditActorTests(AwardsApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.req = make_request(version=make_form(unit=cls.root), unit=cls.root, recipients=[cls.school])

    def post_report(self):
        body = {"request": self.req.pk, "unit": self.school.pk, "values": GOOD, "submit": True}
        return self.client.post("/api/reports/", body, content_type="application/json")

    def test_a_report_saved_with_a_token_is_logged_with_its_caller(self):
        self.auth(self.alice)
        r = self.post_report()
        self.assertEqual(r.status_code, 201, r.content)
        entries = entries_for(Report.objects.get(pk=r.json()["id"]))
        self.assertTrue(entries)
        self.assertEqual({e.actor for e in entries}, {self.alice})
        self.assertEqual({e.remote_addr for e in entries}, {"127.0.0.1"})  # the request's, kept

    def test_a_nomination_created_with_a_token_is_logged_with_its_caller(self):
        self.auth(self.alice)
        r = self.client.post("/api/nominations/", self.body(), content_type="application/json")
        self.assertEqual(r.status_code, 201, r.content)
        entries = entries_for(Nomination.objects.get(pk=r.json()["id"]))
        self.assertTrue(entries)
        self.assertEqual({e.actor for e in entries}, {self.alice})

    def test_a_session_login_still_logs_its_user(self):
        self.client.force_login(self.alice)
        r = self.post_report()
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual({e.actor for e in entries_for(Report.objects.get(pk=r.json()["id"]))}, {self.alice})

    def test_a_refused_call_logs_nothing_and_no_actor_leaks_to_the_next(self):
        self.auth(self.charlie)  # writes nothing for Alice's school: 404, nothing saved
        self.assertEqual(self.post_report().status_code, 404)
        self.assertFalse(Report.objects.exists())
        self.client.defaults.pop("HTTP_AUTHORIZATION")
        self.client.force_login(self.alice)
        r = self.post_report()
        self.assertEqual({e.actor for e in entries_for(Report.objects.get(pk=r.json()["id"]))}, {self.alice})
