import datetime
from decimal import Decimal

from django.core.paginator import Paginator

from lib.testing import BaseTestCase, make_unit
from org.models import Unit, UnitKind
from org.services.restructure import unit_move
from reports.models import Report
from reports.selectors.rollup import missing_units, rollup, rollup_diff, rollup_not_rolled
from reports.services.reports import report_get_or_create, report_review, report_save
from reports.services.rollup import rollup_prefill
from reports.tests.factories_rollup import make_form, make_request

D = Decimal

SCHOOL = {
    "initiatives": 3,
    "initiative_value": 1_000_000,
    "coverage": 50,
    "has_model": "có",
    "lowest": 10,
    "highest": 10,
    "remarks": "a",
}
FACTORY = {
    "initiatives": 5,
    "initiative_value": 2_000_000,
    "coverage": 80,
    "has_model": "không",
    "lowest": 4,
    "highest": 20,
    "remarks": "b",
}
HOSPITAL = {
    "initiatives": 7,
    "initiative_value": 500_000,
    "coverage": 20,
    "has_model": "có",
    "lowest": 6,
    "highest": 30,
    "remarks": "c",
}


class RollupFixture(BaseTestCase):
    """root asks every grassroots union: school (100 members), factory (300) in Đông Hà,
    hospital (600) in Vĩnh Linh (Quảng Trị); port (Quảng Bình) only saved a draft."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.vinhlinh = make_unit(cls.quangtri, "QT.VL", "LĐLĐ huyện Vĩnh Linh", UnitKind.DISTRICT)
        cls.hospital = make_unit(
            cls.vinhlinh, "QT.VL.001", "Công đoàn Bệnh viện Vĩnh Linh", UnitKind.GRASSROOTS
        )
        for unit, members in ((cls.school, 100), (cls.factory, 300), (cls.hospital, 600), (cls.port, 50)):
            Unit.objects.filter(pk=unit.pk).update(member_count=members)
        cls.version = make_form(unit=cls.root)
        cls.req = make_request(
            version=cls.version,
            unit=cls.root,
            recipients=[cls.school, cls.factory, cls.hospital, cls.port],
            title="National 2026",
        )
        for unit, raw in ((cls.school, SCHOOL), (cls.factory, FACTORY), (cls.hospital, HOSPITAL)):
            report = report_get_or_create(request=cls.req, unit=unit)
            report_save(report=report, raw=raw, by=cls.alice, submit=True)
        hospital_report = Report.objects.get(request=cls.req, unit=cls.hospital)
        report_review(report=hospital_report, accept=True, comment="", by=cls.alice)
        port_report = report_get_or_create(request=cls.req, unit=cls.port)
        report_save(report=port_report, raw={**SCHOOL, "initiatives": 1000}, by=cls.charlie)
        for unit in (cls.quangtri, cls.dongha, cls.vinhlinh, cls.school, cls.factory, cls.hospital, cls.port):
            unit.refresh_from_db()


class RollupRulesTests(RollupFixture):
    def test_it_rolls_up_the_province_by_each_rule(self):
        result = rollup(request=self.req, unit=self.quangtri)
        self.assertEqual(
            result.values,
            {
                "initiatives": D(15),
                "initiative_value": D(3_500_000),
                # (50*100 + 80*300 + 20*600) / (100 + 300 + 600)
                "coverage": D("41.00"),
                "has_model": D(2),
                "lowest": D(4),
                "highest": D(30),
                "remarks": None,
            },
        )
        self.assertEqual((result.recipients, result.submitted, result.accepted, result.missing), (3, 2, 1, 0))

    def test_it_rolls_up_a_district(self):
        values = rollup(request=self.req, unit=self.dongha).values
        self.assertEqual(values["initiatives"], D(8))
        self.assertEqual(values["coverage"], D("72.50"))  # (5000 + 24000) / 400
        self.assertEqual(values["has_model"], D(1))
        self.assertEqual((values["lowest"], values["highest"]), (D(4), D(20)))

    def test_a_draft_does_not_count_and_its_unit_is_missing(self):
        result = rollup(request=self.req, unit=self.root)
        self.assertEqual(result.values["initiatives"], D(15))  # the port's draft 1000 is left out
        self.assertEqual((result.recipients, result.missing), (4, 1))
        self.assertEqual(list(result.missing_units), [self.port])

    def test_drafts_count_when_asked(self):
        result = rollup(request=self.req, unit=self.root, include=("draft", "submitted", "accepted"))
        self.assertEqual(result.values["initiatives"], D(1015))
        self.assertEqual(list(result.missing_units), [])

    def test_it_lists_units_still_missing_at_any_moment(self):
        report = Report.objects.get(request=self.req, unit=self.factory)
        report_review(report=report, accept=False, comment="Sai số liệu", by=self.alice)
        result = rollup(request=self.req, unit=self.quangtri)
        self.assertEqual(list(result.missing_units), [self.factory])
        self.assertEqual(result.values["initiatives"], D(10))
        self.assertEqual(result.missing, 1)
        self.assertEqual(list(missing_units(request=self.req, unit=self.vinhlinh)), [])

    def test_not_rolled_figures_are_listed_per_unit(self):
        rows = rollup_not_rolled(request=self.req, unit=self.quangtri)
        self.assertEqual(
            [(r["unit"], r["value"]) for r in rows],
            [(self.school, "a"), (self.factory, "b"), (self.hospital, "c")],
        )

    def test_it_breaks_down_by_child(self):
        children = rollup(request=self.req, unit=self.quangtri, children=True).children
        by_unit = {c["unit"]: c for c in children}
        self.assertEqual(set(by_unit), {self.dongha, self.vinhlinh})
        self.assertEqual(by_unit[self.dongha]["values"]["initiatives"], D(8))
        self.assertEqual(by_unit[self.dongha]["values"]["coverage"], D("72.50"))
        self.assertEqual(by_unit[self.vinhlinh]["values"]["initiatives"], D(7))
        self.assertEqual(
            (
                by_unit[self.dongha]["recipients"],
                by_unit[self.dongha]["submitted"],
                by_unit[self.dongha]["missing"],
            ),
            (2, 2, 0),
        )
        self.assertEqual(by_unit[self.vinhlinh]["accepted"], 1)

    def test_a_moved_unit_counts_where_it_is_now(self):
        unit_move(unit=self.factory, new_parent=self.vinhlinh, effective_on=datetime.date(2026, 7, 1))
        for unit in (self.dongha, self.vinhlinh, self.quangtri):
            unit.refresh_from_db()
        self.assertEqual(rollup(request=self.req, unit=self.dongha).values["initiatives"], D(3))
        self.assertEqual(rollup(request=self.req, unit=self.vinhlinh).values["initiatives"], D(12))
        self.assertEqual(rollup(request=self.req, unit=self.vinhlinh).recipients, 2)
        self.assertEqual(rollup(request=self.req, unit=self.quangtri).values["initiatives"], D(15))
        children = {
            c["unit"].pk: c for c in rollup(request=self.req, unit=self.quangtri, children=True).children
        }
        self.assertEqual(children[self.vinhlinh.pk]["values"]["initiatives"], D(12))

    def test_the_roll_up_costs_the_same_queries_whatever_the_tree(self):
        self.req.refresh_from_db()
        request = type(self.req).objects.select_related("version").get(pk=self.req.pk)
        with self.assertNumQueries(4):  # counts, indicators, non-leaf weights, aggregates
            rollup(request=request, unit=self.root)
        with self.assertNumQueries(
            9
        ):  # the 4 above + children, their counts, indicators, weights, aggregates
            rollup_children_only = rollup(request=request, unit=self.quangtri, children=True)
            rollup_children_only.children  # noqa: B018
        with self.assertNumQueries(2):  # count + page
            page = Paginator(missing_units(request=request, unit=self.root), 50).page(1)
            list(page.object_list)


class RollupPrefillTests(RollupFixture):
    """Quảng Trị answers the confederation's request with the roll-up of its own request."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.up = make_request(
            version=cls.version, unit=cls.root, recipients=[cls.quangtri], title="To the top"
        )
        cls.down = make_request(
            version=cls.version,
            unit=cls.quangtri,
            recipients=[cls.school, cls.factory, cls.hospital],
            title="Down",
        )
        for unit, raw in ((cls.school, SCHOOL), (cls.hospital, HOSPITAL)):
            report = report_get_or_create(request=cls.down, unit=unit)
            report_save(report=report, raw=raw, by=cls.alice, submit=True)

    def test_it_prefills_a_draft_from_the_roll_up(self):
        saved = rollup_prefill(up_request=self.up, down_request=self.down, unit=self.quangtri, by=self.alice)
        self.assertEqual(saved.source, "rollup")
        report = Report.objects.get(request=self.up, unit=self.quangtri)
        self.assertEqual(report.status, Report.Status.DRAFT)
        diff = rollup_diff(report=report, down_request=self.down)
        self.assertEqual(diff["initiatives"], (D(10), D(10)))
        self.assertEqual(diff["coverage"], (D("24.29"), D("24.29")))  # (5000 + 12000) / 700

    def test_the_diff_shows_an_edited_figure(self):
        rollup_prefill(up_request=self.up, down_request=self.down, unit=self.quangtri, by=self.alice)
        report = Report.objects.get(request=self.up, unit=self.quangtri)
        report_save(report=report, raw={**SCHOOL, "initiatives": 12, "coverage": 30}, by=self.alice)
        diff = rollup_diff(report=report, down_request=self.down)
        self.assertEqual(diff["initiatives"], (D(12), D(10)))
        self.assertNotIn("remarks", diff)

    def test_a_refresh_keeps_text_figures_and_takes_new_reports(self):
        rollup_prefill(up_request=self.up, down_request=self.down, unit=self.quangtri, by=self.alice)
        report = report_get_or_create(request=self.down, unit=self.factory)
        report_save(report=report, raw=FACTORY, by=self.alice, submit=True)
        rollup_prefill(up_request=self.up, down_request=self.down, unit=self.quangtri, by=self.alice)
        up_report = Report.objects.get(request=self.up, unit=self.quangtri)
        diff = rollup_diff(report=up_report, down_request=self.down)
        self.assertEqual(diff["initiatives"], (D(15), D(15)))
        self.assertEqual(up_report.versions.count(), 2)

    def test_it_refuses_a_request_not_addressed_to_the_unit(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            rollup_prefill(up_request=self.req, down_request=self.down, unit=self.quangtri, by=self.alice)

    def test_a_prefill_that_fails_leaves_no_empty_draft(self):
        from unittest import mock

        from django.core.exceptions import ValidationError

        refused = ValidationError("refused while saving")
        with mock.patch("reports.services.rollup.report_save", side_effect=refused):
            with self.assertRaises(ValidationError):
                rollup_prefill(up_request=self.up, down_request=self.down, unit=self.quangtri, by=self.alice)
        self.assertFalse(Report.objects.filter(request=self.up, unit=self.quangtri).exists())


class RollupWeightTests(RollupFixture):
    def test_a_district_reporting_is_weighted_by_its_subtrees_members(self):
        req = make_request(version=self.version, unit=self.quangtri, recipients=[self.dongha, self.vinhlinh])
        for unit, coverage in ((self.dongha, 50), (self.vinhlinh, 20)):
            report = report_get_or_create(request=req, unit=unit)
            report_save(report=report, raw={**SCHOOL, "coverage": coverage}, by=self.alice, submit=True)
        # Đông Hà: 100 + 300 members below it; Vĩnh Linh: 600. (50*400 + 20*600) / 1000
        self.assertEqual(rollup(request=req, unit=self.quangtri).values["coverage"], D("32.00"))
