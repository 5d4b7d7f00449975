from decimal import Decimal

from lib.testing import BaseTestCase
from reports.models import Criterion, Report
from reports.services import scoring as services
from reports.tests.factories_scoring import YEAR, ScoringTestCase, make_report, make_request


def crit(method, rule, cap=10) -> Criterion:
    return Criterion(code="x", label="x", max_points=Decimal(cap), method=method, rule=rule)


class RulePointsTests(BaseTestCase):
    def test_threshold_gives_points_at_the_value_and_none_below(self):
        c = crit(Criterion.Method.THRESHOLD, {"indicator": "a", "at_least": 2, "points": 7})
        self.assertEqual(services.rule_points(criterion=c, values={"a": Decimal("2")}), Decimal("7.00"))
        self.assertEqual(services.rule_points(criterion=c, values={"a": Decimal("1.99")}), Decimal("0.00"))
        self.assertEqual(services.rule_points(criterion=c, values={}), Decimal("0.00"))

    def test_threshold_is_capped_at_the_maximum(self):
        c = crit(Criterion.Method.THRESHOLD, {"indicator": "a", "at_least": 1, "points": 15}, cap=10)
        self.assertEqual(services.rule_points(criterion=c, values={"a": Decimal("3")}), Decimal("10.00"))

    def test_ratio_multiplies_and_caps(self):
        c = crit(Criterion.Method.RATIO, {"numerator": "n", "denominator": "d", "points": 20}, cap=20)
        self.assertEqual(services.rule_points(criterion=c, values={"n": 45, "d": 50}), Decimal("18.00"))
        self.assertEqual(services.rule_points(criterion=c, values={"n": 1, "d": 3}), Decimal("6.67"))
        self.assertEqual(services.rule_points(criterion=c, values={"n": 80, "d": 50}), Decimal("20.00"))

    def test_ratio_with_zero_denominator_gives_zero(self):
        c = crit(Criterion.Method.RATIO, {"numerator": "n", "denominator": "d", "points": 20}, cap=20)
        self.assertEqual(services.rule_points(criterion=c, values={"n": 5, "d": 0}), Decimal("0.00"))

    def test_proportional_is_capped_at_the_maximum(self):
        c = crit(Criterion.Method.PROPORTIONAL, {"indicator": "i", "points_each": 2}, cap=10)
        self.assertEqual(services.rule_points(criterion=c, values={"i": 3}), Decimal("6.00"))
        self.assertEqual(services.rule_points(criterion=c, values={"i": 8}), Decimal("10.00"))

    def test_manual_criteria_get_no_computed_points(self):
        self.assertIsNone(services.rule_points(criterion=crit(Criterion.Method.MANUAL, {}), values={"a": 1}))

    def test_rule_problems_name_missing_keys_and_unknown_indicators(self):
        problems = services.rule_problems(method=Criterion.Method.RATIO, rule={"numerator": "n"})
        self.assertEqual(len(problems), 2)
        problems = services.rule_problems(
            method=Criterion.Method.THRESHOLD,
            rule={"indicator": "zz", "at_least": 1, "points": 1},
            codes={"a"},
        )
        self.assertEqual(len(problems), 1)


class SheetComputeTests(ScoringTestCase, BaseTestCase):
    def test_it_fills_rule_criteria_from_the_units_report_and_leaves_manual_ones(self):
        make_report(
            request=self.request,
            unit=self.school,
            values={"pilot_models": 1, "registered": 45, "members_total": 50, "initiatives": 3},
        )
        sheet = services.sheet_get_or_create(table=self.table, unit=self.school, year=YEAR)
        points = {s.criterion.code: s.points for s in sheet.scores.select_related("criterion")}
        self.assertEqual(points, {"c1": Decimal("10"), "c2": Decimal("18"), "c3": Decimal("6"), "c4": None})
        sheet.refresh_from_db()
        self.assertEqual(sheet.total, Decimal("34"))

    def test_it_reads_the_latest_request_of_the_year_and_skips_drafts(self):
        early = make_request(
            version=self.form_version, unit=self.dongha, due_on=self.request.due_on.replace(month=6)
        )
        make_report(request=early, unit=self.school, values={"pilot_models": 0, "initiatives": 1})
        make_report(request=self.request, unit=self.school, values={"pilot_models": 2, "initiatives": 4})
        self.assertEqual(
            services.indicator_values_for(table=self.table, unit=self.school, year=YEAR),
            {"pilot_models": Decimal("2"), "initiatives": Decimal("4")},
        )
        make_report(
            request=self.request, unit=self.factory, values={"pilot_models": 5}, status=Report.Status.DRAFT
        )
        self.assertEqual(services.indicator_values_for(table=self.table, unit=self.factory, year=YEAR), {})

    def test_it_refuses_a_unit_outside_the_tables_clusters(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            services.sheet_get_or_create(table=self.table, unit=self.port, year=YEAR)
