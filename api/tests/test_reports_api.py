from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from api.tests.base import ApiTestCase
from campaigns.models import Cluster
from lib.testing import EnglishMixin, make_user
from reports.models import Report
from reports.services.reports import report_get_or_create, report_save
from reports.tests.factories_rollup import make_form, make_request
from reports.tests.test_rollup_selectors import FACTORY, SCHOOL

GOOD = {**SCHOOL, "initiatives": "4"}


class ReportsApiTests(EnglishMixin, ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.version = make_form(unit=cls.root)
        cls.req = make_request(
            version=cls.version, unit=cls.root, recipients=[cls.school, cls.factory, cls.dongha, cls.port]
        )
        report_save(
            report=report_get_or_create(request=cls.req, unit=cls.factory),
            raw=FACTORY,
            by=cls.alice,
            submit=True,
        )
        cls.qt_version = make_form(unit=cls.quangtri, code="QT-ONLY")

    def post(self, body: dict):
        return self.client.post("/api/reports/", body, content_type="application/json")

    def test_it_lists_forms_with_their_indicators(self):
        self.auth(self.alice)
        forms = {f["code"]: f for f in self.get_json("/api/report-forms/")}
        self.assertEqual(set(forms), {"BC-RU", "QT-ONLY"})
        self.assertEqual(
            [i["code"] for i in forms["BC-RU"]["indicators"]][:2], ["initiatives", "initiative_value"]
        )
        self.auth(self.charlie)
        self.assertEqual([f["code"] for f in self.get_json("/api/report-forms/")], ["BC-RU"])

    def test_it_lists_requests_for_the_callers_units(self):
        self.auth(self.alice)
        rows = self.get_json("/api/report-requests/")
        self.assertEqual(
            [(r["id"], r["unit"], r["status"]) for r in rows], [(self.req.pk, self.dongha.pk, None)]
        )
        self.assertEqual(rows[0]["due_on"], "2026-06-30")
        self.assertFalse(rows[0]["sent_by_caller"])

    def test_a_province_officer_sees_the_requests_his_province_sent(self):
        tinh = make_user("tinh.quangtri", self.quangtri, Role.Kind.OFFICER)
        sent = make_request(
            version=self.qt_version, unit=self.quangtri, recipients=[self.dongha], due_on=date(2026, 9, 30)
        )
        self.auth(tinh)
        rows = self.get_json("/api/report-requests/")
        self.assertEqual(
            [(r["id"], r["unit"], r["status"], r["sent_by_caller"]) for r in rows],
            [(sent.pk, None, None, True)],
        )
        self.assertEqual(rows[0]["due_on"], "2026-09-30")
        self.assertEqual(rows[0]["requested_by"], self.quangtri.pk)

    def test_a_request_sent_and_addressed_to_the_caller_comes_once_with_its_status(self):
        own = make_request(version=self.qt_version, unit=self.dongha, recipients=[self.dongha, self.school])
        report_save(report=report_get_or_create(request=own, unit=self.dongha), raw=SCHOOL, by=self.alice)
        self.auth(self.alice)
        rows = self.get_json("/api/report-requests/")
        self.assertEqual(
            [(r["id"], r["unit"], r["status"], r["sent_by_caller"]) for r in rows],
            [(own.pk, self.dongha.pk, "draft", True), (self.req.pk, self.dongha.pk, None, False)],
        )

    def test_charlie_does_not_see_requests_sent_by_quang_tri(self):
        make_request(version=self.qt_version, unit=self.quangtri, recipients=[self.dongha])
        self.auth(self.charlie)
        self.assertEqual(self.get_json("/api/report-requests/"), [])

    def test_a_good_post_saves_and_submits(self):
        self.auth(self.alice)
        r = self.post({"request": self.req.pk, "unit": self.school.pk, "values": GOOD, "submit": True})
        self.assertEqual(r.status_code, 201, r.content)
        body = r.json()
        self.assertEqual(body["status"], "submitted")
        self.assertEqual(Decimal(str(body["values"]["initiatives"])), Decimal(4))
        report = Report.objects.get(request=self.req, unit=self.school)
        self.assertEqual(report.current_version.source, "api")

    def test_a_bad_post_lists_every_error(self):
        self.auth(self.alice)
        values = {**GOOD, "initiatives": "abc", "coverage": 150, "lowest": -1, "has_model": "maybe"}
        r = self.post({"request": self.req.pk, "unit": self.school.pk, "values": values})
        self.assertEqual(r.status_code, 400)
        errors = {e["indicator"]: e for e in r.json()["errors"]}
        self.assertEqual(set(errors), {"initiatives", "coverage", "lowest", "has_model"})
        self.assertEqual(errors["initiatives"]["message"], "This is not a number.")
        self.assertEqual(errors["initiatives"]["value"], "abc")
        self.assertFalse(Report.objects.filter(request=self.req, unit=self.school).exists())

    def test_a_refused_first_post_leaves_no_empty_draft(self):
        self.auth(self.alice)
        reports = Report.objects.count()
        stale = self.post({"request": self.req.pk, "unit": self.school.pk, "values": GOOD, "revision": 7})
        broken = self.post(
            {"request": self.req.pk, "unit": self.dongha.pk, "values": {**GOOD, "initiatives": "abc"}}
        )
        self.assertEqual((stale.status_code, broken.status_code), (409, 400))
        self.assertEqual(Report.objects.count(), reports)

    def test_a_stale_revision_is_refused(self):
        self.auth(self.alice)
        self.assertEqual(
            self.post({"request": self.req.pk, "unit": self.school.pk, "values": GOOD}).status_code, 201
        )
        r = self.post({"request": self.req.pk, "unit": self.school.pk, "values": GOOD, "revision": 1})
        self.assertEqual(r.status_code, 409)

    def test_posting_for_a_unit_outside_scope_is_404(self):
        self.auth(self.charlie)
        r = self.post({"request": self.req.pk, "unit": self.school.pk, "values": GOOD})
        self.assertEqual(r.status_code, 404)

    def test_a_viewer_cannot_post(self):
        self.auth(self.bob)
        r = self.post({"request": self.req.pk, "unit": self.school.pk, "values": GOOD})
        self.assertEqual(r.status_code, 404)

    def test_posting_for_a_unit_not_asked_is_404(self):
        other = make_request(version=self.version, unit=self.root, recipients=[self.port])
        self.auth(self.alice)
        self.assertEqual(
            self.post({"request": other.pk, "unit": self.school.pk, "values": GOOD}).status_code, 404
        )

    def test_it_shows_a_report_with_its_history(self):
        report = Report.objects.get(request=self.req, unit=self.factory)
        self.auth(self.alice)
        body = self.get_json(f"/api/reports/{report.pk}/")
        self.assertEqual(body["status"], "submitted")
        self.assertEqual([v["number"] for v in body["versions"]], [1])
        self.assertEqual([a["kind"] for a in body["actions"]], ["submit"])
        self.assertEqual(body["values"]["remarks"], "b")

    def test_charlie_gets_404_on_a_report(self):
        report = Report.objects.get(request=self.req, unit=self.factory)
        self.auth(self.charlie)
        self.get_json(f"/api/reports/{report.pk}/", status=404)

    def test_the_rollup_gives_figures_and_missing_units(self):
        self.auth(self.alice)
        body = self.get_json("/api/rollup/", {"form": self.version.form_id, "unit": self.dongha.pk})
        self.assertEqual(body["request"], self.req.pk)
        figures = {f["code"]: f for f in body["figures"]}
        self.assertEqual(figures["initiatives"]["value"], 5)
        self.assertEqual(figures["coverage"]["value"], 80)
        self.assertEqual((body["recipients"], body["submitted"], body["missing_count"]), (3, 1, 2))
        self.assertEqual([u["id"] for u in body["missing"]["results"]], [self.dongha.pk, self.school.pk])

    def test_the_rollup_defaults_to_the_callers_unit_and_takes_a_request(self):
        self.auth(self.alice)
        body = self.get_json("/api/rollup/", {"request": self.req.pk})
        self.assertEqual(body["unit"], self.dongha.pk)

    def test_the_rollup_costs_a_fixed_number_of_queries(self):
        self.auth(self.alice)
        with CaptureQueriesContext(connection) as few:
            self.get_json("/api/rollup/", {"request": self.req.pk, "unit": self.dongha.pk})
        report = report_get_or_create(request=self.req, unit=self.school)
        report_save(report=report, raw=SCHOOL, by=self.alice, submit=True)  # more rows, same queries
        with self.assertNumQueries(len(few)):
            self.get_json("/api/rollup/", {"request": self.req.pk, "unit": self.dongha.pk})

    def test_charlie_gets_404_on_quang_tri_rollup(self):
        self.auth(self.charlie)
        self.get_json("/api/rollup/", {"request": self.req.pk, "unit": self.quangtri.pk}, status=404)
        self.get_json(
            "/api/rollup/", {"form": self.qt_version.form_id, "unit": self.quangbinh.pk}, status=404
        )

    def test_rankings_are_scoped(self):
        cluster = Cluster.objects.create(unit=self.dongha, name="Cụm 1")
        self.auth(self.alice)
        self.assertEqual(self.get_json("/api/rankings/", {"cluster": cluster.pk, "year": 2026}), [])
        self.auth(self.charlie)
        self.get_json("/api/rankings/", {"cluster": cluster.pk, "year": 2026}, status=404)


class ReportsApiQueryTests(ApiTestCase):
    def test_lists_cost_the_same_queries_for_more_rows(self):
        version = make_form(unit=self.root)
        make_request(version=version, unit=self.root, recipients=[self.dongha])
        self.auth(self.alice)
        with CaptureQueriesContext(connection) as forms_few:
            self.get_json("/api/report-forms/")
        with CaptureQueriesContext(connection) as requests_few:
            self.get_json("/api/report-requests/")
        make_request(
            version=make_form(unit=self.dongha, code="DH"), unit=self.quangtri, recipients=[self.dongha]
        )
        with self.assertNumQueries(len(forms_few)):
            self.assertEqual(len(self.get_json("/api/report-forms/")), 2)
        with self.assertNumQueries(len(requests_few)):
            self.assertEqual(len(self.get_json("/api/report-requests/")), 2)

    def test_the_request_list_costs_the_same_queries_for_sent_requests(self):
        tinh = make_user("tinh.quangtri", self.quangtri, Role.Kind.OFFICER)
        version = make_form(unit=self.quangtri)
        make_request(version=version, unit=self.quangtri, recipients=[self.dongha])
        make_request(version=version, unit=self.root, recipients=[self.quangtri])
        self.auth(tinh)
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(len(self.get_json("/api/report-requests/")), 2)
        for n in range(3):
            make_request(version=version, unit=self.dongha, recipients=[self.school], title=f"R{n}")
        make_request(version=version, unit=self.root, recipients=[self.quangtri, self.port])
        with self.assertNumQueries(len(few)):
            rows = self.get_json("/api/report-requests/")
        self.assertEqual(len(rows), 6)
        self.assertEqual(sum(r["sent_by_caller"] for r in rows), 4)
