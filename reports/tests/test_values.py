from decimal import Decimal

from django.test import TestCase

from lib.testing import TreeMixin
from reports.models import FormRule, FormVersion, Indicator, ReportForm
from reports.services.values import FormulaError, evaluate, parse_number, validate_values


class EvaluateTests(TestCase):
    def test_arithmetic_and_comparisons(self):
        v = {"a": Decimal(3), "b": Decimal(4), "c": None}
        self.assertEqual(evaluate("a + b * 2", v), Decimal(11))
        self.assertTrue(evaluate("a <= b and c == 0", v))
        self.assertEqual(evaluate("a / c", v), 0)

    def test_it_refuses_anything_else(self):
        for expr in ("__import__('os')", "a.b", "x", "[1]"):
            with self.assertRaises(FormulaError):
                evaluate(expr, {"a": Decimal(1)})

    def test_vietnamese_numbers(self):
        self.assertEqual(parse_number("1.234.567"), Decimal(1234567))
        self.assertEqual(parse_number("12,5"), Decimal("12.5"))
        self.assertEqual(parse_number("1.500"), Decimal(1500))
        self.assertEqual(parse_number("2.5"), Decimal("2.5"))


class ValidateTests(TreeMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.build_tree()
        form = ReportForm.objects.create(unit=cls.quangtri, code="F1", name="Form")
        cls.version = FormVersion.objects.create(form=form)
        mk = lambda code, **kw: Indicator.objects.create(version=cls.version, code=code, label=code, **kw)  # noqa: E731
        mk("helped", required=True, at_most_members=True)
        mk("helped_women")
        mk("amount", kind=Indicator.Kind.MONEY)
        mk("share", kind=Indicator.Kind.PERCENT)
        mk("has_model", kind=Indicator.Kind.BOOLEAN)
        mk("per_head", formula="amount / helped")
        FormRule.objects.create(
            version=cls.version, expression="helped_women <= helped", message="women > all"
        )

    def test_good_values_pass_and_formulas_compute(self):
        r = validate_values(
            version=self.version,
            raw={"helped": "4", "helped_women": "2", "amount": "2.000.000", "share": "50", "has_model": "Có"},
            members=10,
        )
        self.assertTrue(r.ok, r.errors)
        self.assertEqual(r.values["per_head"], Decimal(500000))
        self.assertIs(r.values["has_model"], True)

    def test_every_error_is_listed(self):
        r = validate_values(
            version=self.version,
            raw={"helped": "", "amount": "abc", "share": "120", "has_model": "maybe"},
            members=10,
        )
        self.assertEqual({e.code for e in r.errors}, {"helped", "amount", "share", "has_model"})

    def test_members_cap_and_rules(self):
        r = validate_values(version=self.version, raw={"helped": "11"}, members=10)
        self.assertEqual([e.code for e in r.errors], ["helped"])
        r = validate_values(version=self.version, raw={"helped": "3", "helped_women": "5"}, members=10)
        self.assertEqual([e.message for e in r.errors], ["women > all"])

    def test_figures_the_database_cannot_hold_are_refused(self):
        # Each of these answered 500 through POST /api/reports/ (issue 11).
        for bad in ("1e30", "9" * 40, "Infinity", "NaN", 1e308, "1" + "0" * 18):
            r = validate_values(version=self.version, raw={"helped": "1", "amount": bad}, members=10)
            self.assertEqual([e.code for e in r.errors], ["amount"], bad)
        r = validate_values(version=self.version, raw={"helped": "1", "amount": "9" * 18}, members=10)
        self.assertTrue(r.ok, r.errors)

    def test_a_computed_figure_too_large_is_refused(self):
        version = FormVersion.objects.create(form=self.version.form, number=2)
        Indicator.objects.create(version=version, code="amount", label="amount", kind=Indicator.Kind.MONEY)
        Indicator.objects.create(version=version, code="tenfold", label="tenfold", formula="amount * 10")
        self.assertTrue(validate_values(version=version, raw={"amount": "9" * 17}).ok)
        r = validate_values(version=version, raw={"amount": "9" * 18})
        self.assertEqual([e.code for e in r.errors], ["tenfold"])


class PlainNumberTests(TestCase):
    def test_limits_are_written_plainly(self):
        from reports.services.values import _plain

        self.assertEqual(_plain(Decimal("500.00")), "500")
        self.assertEqual(_plain(Decimal("12.50")), "12,5")
