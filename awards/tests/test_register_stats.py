"""The register's statistics: counts by year, award, issuing level, sector and sex computed in
SQL for the user's subtree, their charts' data, and their Excel file."""

import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.selectors.register import RegisterFilters, register_stats, stats_totals
from awards.tests import factories as f
from awards.tests import factories_register as fr
from lib.testing import BaseTestCase, EnglishMixin
from org.models import UnitLevel

URL = reverse("awards:register-stats")


def table(rows):
    return {row.key: (row.persons, row.collectives, row.female) for row in rows}


class RegisterStatsSelectorTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fr.build(cls)

    def test_it_counts_valid_lines_of_the_subtree(self):
        stats = register_stats(user=self.alice)
        self.assertEqual(table(stats["year"]), {2021: (1, 0, 0), 2022: (1, 0, 1), 2023: (1, 1, 1)})
        self.assertEqual([r.key for r in stats["year"]], [2021, 2022, 2023])
        awards = {
            f.award(code).pk: code
            for code in ("cstd-co-so", "lao-dong-tien-tien", "giay-khen", "cdcs-vung-manh")
        }
        self.assertEqual(
            {awards[k]: v for k, v in table(stats["award"]).items()},
            {
                "cstd-co-so": (1, 0, 1),
                "lao-dong-tien-tien": (1, 0, 1),
                "giay-khen": (1, 0, 0),
                "cdcs-vung-manh": (0, 1, 0),
            },
        )
        self.assertEqual(
            table(stats["level"]),
            {UnitLevel.GRASSROOTS: (1, 0, 1), UnitLevel.UPPER: (1, 1, 0), None: (1, 0, 1)},
        )
        self.assertIsNone(stats["level"][-1].key)  # "outside the union" comes last
        self.assertEqual(table(stats["sector"]), {"public_service": (2, 1, 2), "non_state": (1, 0, 0)})
        self.assertEqual(table(stats["sex"]), {"female": (2, 0, 2), "male": (1, 0, 0)})
        total = stats_totals(stats["year"])
        self.assertEqual((total.persons, total.collectives, total.female, total.total), (3, 1, 2, 4))

    def test_filters_narrow_the_counts(self):
        stats = register_stats(user=self.alice, filters=RegisterFilters(unit=self.factory))
        self.assertEqual(table(stats["year"]), {2021: (1, 0, 0)})
        stats = register_stats(user=self.alice, filters=RegisterFilters(year_from=2023))
        self.assertEqual(table(stats["year"]), {2023: (1, 1, 1)})

    def test_charlie_counts_only_his_province(self):
        stats = register_stats(user=self.charlie)
        self.assertEqual(table(stats["year"]), {2023: (1, 0, 1)})
        self.assertEqual(table(stats["sector"]), {"state": (1, 0, 1)})

    def test_five_queries_whatever_the_size(self):
        with self.assertNumQueries(6):  # the user's roles, then one GROUP BY per table
            register_stats(user=self.bob)
        for year in range(2000, 2020):
            f.record("giay-khen", year, member=self.ha)
        self.bob = type(self.bob).objects.get(pk=self.bob.pk)
        with self.assertNumQueries(6):
            register_stats(user=self.bob)


class RegisterStatsPageTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fr.build(cls)

    def test_it_shows_the_tables_and_the_charts_data(self):
        self.login(self.bob)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        charts = response.context["charts"]
        self.assertEqual(
            charts["year"],
            {"labels": ["2021", "2022", "2023"], "persons": [1, 1, 1], "collectives": [0, 0, 1]},
        )
        self.assertEqual(sum(charts["award"]["values"]), 4)
        self.assertEqual(charts["sex"]["labels"], ["Female", "Male"])
        self.assertEqual(charts["sex"]["values"], [2, 1])
        self.assertEqual(charts["sector"]["labels"], ["Non-state", "Public service"])
        self.assertContains(response, 'id="register-chart-data"')
        self.assertContains(response, "vendor/chartjs/chart.umd.min.js")
        self.assertContains(response, 'data-testid="stats-year-total">4<')

    def test_charlie_sees_only_his_numbers(self):
        self.login(self.charlie)
        response = self.client.get(URL)
        self.assertEqual(response.context["charts"]["year"]["persons"], [1])
        awards = next(rows for key, _t, _h, rows, _total in response.context["tables"] if key == "award")
        self.assertEqual([row.label for row in awards], ["Giấy khen"])  # the catalogue stays in the filter

    def test_an_empty_register_draws_no_chart(self):
        self.login(self.alice)
        response = self.client.get(URL, {"year_from": "2024"})
        self.assertTrue(response.context["empty"])
        self.assertNotContains(response, "chart.umd.min.js")

    def test_the_page_costs_a_fixed_number_of_queries(self):
        self.login(self.alice)
        self.client.get(URL)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.client.get(URL)
            return len(ctx.captured_queries)

        few = count()
        for year in range(2000, 2020):
            f.record("giay-khen", year, member=self.ha)
            f.record("bang-khen-ldld-tinh", year, unit=self.factory)
        self.assertEqual(count(), few)
        self.assertLessEqual(few, 14)

    def test_the_tables_export_to_excel(self):
        self.login(self.alice)
        response = self.client.get(reverse("awards:register-stats-export"), {"unit": self.dongha.code})
        self.assertEqual(response.status_code, 200)
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(
            wb.sheetnames, ["Theo năm", "Theo danh hiệu", "Theo cấp khen", "Theo khu vực", "Theo giới tính"]
        )
        years = [list(r) for r in wb["Theo năm"].iter_rows(values_only=True)]
        self.assertIn("LĐLĐ thành phố Đông Hà", years[0][0])
        self.assertEqual(years[1], ["Năm", "Cá nhân", "Tập thể", "Trong đó nữ", "Tổng cộng"])
        self.assertEqual(
            years[2:],
            [["2021", 1, 0, 0, 1], ["2022", 1, 0, 1, 1], ["2023", 1, 1, 1, 2], ["Tổng cộng", 3, 1, 2, 4]],
        )
        levels = [r[0] for r in wb["Theo cấp khen"].iter_rows(min_row=3, values_only=True)]
        self.assertEqual(
            levels,
            [
                "Công đoàn cấp trên trực tiếp cơ sở",
                "Công đoàn cơ sở",
                "Ngoài công đoàn hoặc không rõ",
                "Tổng cộng",
            ],
        )

    def test_charlie_exports_only_his_numbers(self):
        self.login(self.charlie)
        response = self.client.get(reverse("awards:register-stats-export"))
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        years = [list(r) for r in wb["Theo năm"].iter_rows(min_row=3, values_only=True)]
        self.assertEqual(years, [["2023", 1, 0, 1, 1], ["Tổng cộng", 1, 0, 1, 1]])
