"""The register's search and browse page, its filters, its Excel export and its scoping."""

import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AwardRecord
from awards.selectors.register import RegisterFilters, register_search
from awards.tests import factories as f
from awards.tests import factories_register as fr
from lib.testing import BaseTestCase, EnglishMixin
from org.models import UnitLevel

URL = reverse("awards:register")


class RegisterSearchSelectorTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fr.build(cls)

    def search(self, user=None, **filters):
        return set(register_search(user=user or self.alice, filters=RegisterFilters(**filters)))

    def test_it_finds_a_name_without_accents(self):
        self.assertEqual(self.search(q="nguyen thi thu ha"), {self.ha_cstd, self.ha_ldtt})
        self.assertEqual(self.search(q="NGUYEN Thu"), {self.ha_cstd, self.ha_ldtt})
        self.assertEqual(self.search(q="Nguyễn Thị Thu Hà"), {self.ha_cstd, self.ha_ldtt})

    def test_d_matches_the_letter_dj(self):
        self.assertEqual(self.search(q="tran van duc"), {self.duc_gk, self.duc_revoked})
        self.assertEqual(self.search(q="đức"), {self.duc_gk, self.duc_revoked})

    def test_a_prefix_of_a_word_matches_but_not_the_middle_of_one(self):
        self.assertEqual(self.search(q="thu h"), {self.ha_cstd, self.ha_ldtt})
        self.assertEqual(self.search(q="guyen"), set())

    def test_a_collective_is_found_by_its_name(self):
        self.assertEqual(self.search(q="truong le loi"), {self.school_cdcs})

    def test_it_filters_by_award_and_years(self):
        self.assertEqual(self.search(award=f.award("giay-khen")), {self.duc_gk})
        self.assertEqual(self.search(year_from=2022), {self.ha_cstd, self.ha_ldtt, self.school_cdcs})
        self.assertEqual(self.search(year_to=2021), {self.duc_gk, self.duc_revoked})
        self.assertEqual(self.search(year_from=2021, year_to=2022), {self.duc_gk, self.ha_cstd})

    def test_it_filters_persons_or_collectives(self):
        self.assertEqual(self.search(kind="collective"), {self.school_cdcs})
        self.assertEqual(len(self.search(kind="person")), 4)

    def test_it_filters_by_issuing_level_sector_and_sex(self):
        self.assertEqual(self.search(level=str(UnitLevel.UPPER)), {self.duc_gk, self.school_cdcs})
        self.assertEqual(self.search(level="none"), {self.ha_ldtt})
        self.assertEqual(self.search(sector="non_state"), {self.duc_gk, self.duc_revoked})
        self.assertEqual(self.search(sex="female"), {self.ha_cstd, self.ha_ldtt})

    def test_it_filters_by_status(self):
        self.assertEqual(self.search(status="revoked"), {self.duc_revoked})
        self.assertNotIn(self.duc_revoked, self.search(status="valid"))

    def test_it_filters_by_a_unit_and_everything_below_it(self):
        self.assertEqual(self.search(unit=self.school), {self.ha_cstd, self.ha_ldtt, self.school_cdcs})
        self.assertEqual(len(self.search(unit=self.dongha)), 5)

    def test_a_unit_filter_is_the_only_subtree_condition(self):
        """The user's subtree and the unit's together make PostgreSQL guess a handful of units
        where there are thousands (accounts.scoping.scoped, `within`)."""
        with CaptureQueriesContext(connection) as queries:
            list(register_search(user=self.alice, filters=RegisterFilters(unit=self.school)))
        sql = queries.captured_queries[-1]["sql"]
        self.assertEqual(sql.count(" LIKE "), 1, sql)
        self.assertEqual(self.search(unit=self.quangbinh), set())

    def test_each_user_sees_only_the_lines_of_their_subtree(self):
        self.assertEqual(len(self.search()), 5)
        self.assertEqual(len(self.search(user=self.bob)), 5)
        self.assertEqual(self.search(user=self.charlie), {self.lan_gk})
        self.assertEqual(self.search(user=self.charlie, q="nguyen thi thu ha"), set())


class RegisterPageTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fr.build(cls)

    def test_it_lists_the_users_lines(self):
        self.login(self.alice)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nguyễn Thị Thu Hà")
        self.assertContains(response, "Công đoàn Trường THPT Lê Lợi")
        self.assertNotContains(response, "Lê Thị Lan")
        self.assertContains(response, 'data-testid="register-nav-import"')

    def test_a_search_without_accents_finds_the_name(self):
        self.login(self.bob)
        response = self.client.get(URL, {"q": "nguyen thi thu ha"})
        self.assertEqual({r.pk for r in response.context["page"]}, {self.ha_cstd.pk, self.ha_ldtt.pk})
        self.assertNotContains(response, 'data-testid="register-nav-import"')  # bob only reads

    def test_htmx_gets_only_the_results(self):
        self.login(self.alice)
        response = self.client.get(URL, {"q": "duc"}, headers={"HX-Request": "true"})
        self.assertTemplateUsed(response, "awards/register_results.html")
        self.assertTemplateNotUsed(response, "awards/register_list.html")
        self.assertContains(response, "Trần Văn Đức")

    def test_a_revoked_line_is_marked_with_the_revoking_decision(self):
        self.login(self.alice)
        response = self.client.get(URL, {"status": "revoked"})
        self.assertContains(response, 'data-testid="register-revoked"', count=1)
        self.assertContains(response, fr.REVOKING_NUMBER)
        self.assertContains(response, "01/06/2021")

    def test_the_filters_combine(self):
        self.login(self.alice)
        params = {
            "award": f.award("giay-khen").pk,
            "year_from": "2020",
            "year_to": "2023",
            "kind": "person",
            "level": str(UnitLevel.UPPER),
            "sector": "non_state",
            "sex": "male",
            "status": "valid",
            "unit": self.dongha.code,
        }
        response = self.client.get(URL, params)
        self.assertEqual([r.pk for r in response.context["page"]], [self.duc_gk.pk])

    def test_a_bad_filter_value_is_shown_and_ignored(self):
        self.login(self.alice)
        response = self.client.get(URL, {"year_from": "abc", "q": "ha"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["year_from"])
        self.assertEqual({r.pk for r in response.context["page"]}, {self.ha_cstd.pk, self.ha_ldtt.pk})

    def test_a_unit_outside_the_subtree_answers_404(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(URL, {"unit": self.port.code}).status_code, 404)
        self.assertEqual(self.client.get(URL, {"unit": "NO-SUCH"}).status_code, 404)
        export = reverse("awards:register-export")
        self.assertEqual(self.client.get(export, {"unit": self.port.code}).status_code, 404)
        stats = reverse("awards:register-stats")
        self.assertEqual(self.client.get(stats, {"unit": self.port.code}).status_code, 404)

    def test_charlie_sees_nothing_of_alices_lines(self):
        self.login(self.charlie)
        response = self.client.get(URL)
        self.assertContains(response, "Lê Thị Lan")
        for name in ("Nguyễn Thị Thu Hà", "Trần Văn Đức", "Trường THPT Lê Lợi"):
            self.assertNotContains(response, name)
        self.assertEqual(self.client.get(URL, {"q": "nguyen thi thu ha"}).context["page"].object_list, [])

    def test_pages_are_paginated(self):
        for year in range(1990, 2010):
            for code in ("giay-khen", "bang-khen-ldld-tinh", "lao-dong-tien-tien"):
                f.record(code, year, member=self.duc)
        self.login(self.alice)
        first = self.client.get(URL)
        self.assertEqual(len(first.context["page"].object_list), 50)
        self.assertTrue(first.context["page"].has_next)
        second = self.client.get(URL, {"page": "2"})
        self.assertEqual(len(second.context["page"].object_list), 15)
        self.assertFalse(second.context["page"].has_next)

    def test_the_query_count_does_not_grow_with_the_rows(self):
        self.login(self.alice)
        self.client.get(URL)  # warm the session and the content types

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(URL).status_code, 200)
            return len(ctx.captured_queries)

        few = count()
        for year in range(1990, 2010):
            f.record("giay-khen", year, member=self.ha)
            f.record("giay-khen", year, unit=self.factory)
        self.assertEqual(count(), few)
        self.assertLessEqual(few, 10)

    def test_anonymous_users_go_to_the_login_page(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])


class RegisterExportTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fr.build(cls)

    def rows(self, user, **params):
        self.login(user)
        response = self.client.get(reverse("awards:register-export"), params)
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return [list(r) for r in ws.iter_rows(values_only=True)]

    def test_it_writes_the_filtered_lines_with_the_import_headers(self):
        rows = self.rows(self.alice, q="nguyen thi thu ha")
        header = rows[0]
        self.assertEqual(header[:3], ["Họ và tên", "Tên tập thể", "Số CCCD"])
        self.assertEqual(len(rows), 3)
        by_award = {r[header.index("Danh hiệu / Hình thức khen thưởng")]: r for r in rows[1:]}
        line = by_award["Chiến sĩ thi đua cơ sở"]
        self.assertEqual(line[0], "Nguyễn Thị Thu Hà")
        self.assertEqual(line[2], "045190000001")
        self.assertEqual(line[header.index("Giới tính")], "Nữ")
        self.assertEqual(line[header.index("Năm")], 2022)
        self.assertEqual(line[header.index("Mã đơn vị")], "QT.DH.001")
        self.assertEqual(line[header.index("Khu vực")], "Sự nghiệp công lập")

    def test_a_collective_and_a_revoked_line(self):
        rows = self.rows(self.alice)
        header = rows[0]
        school = next(r for r in rows[1:] if r[1] == "Công đoàn Trường THPT Lê Lợi")
        self.assertIn(school[0], ("", None))
        revoked = next(r for r in rows[1:] if r[header.index("Trạng thái")] == "Đã thu hồi")
        self.assertEqual(revoked[header.index("Thu hồi theo quyết định")], fr.REVOKING_NUMBER)

    def test_charlie_exports_nothing_of_alices(self):
        rows = self.rows(self.charlie)
        self.assertEqual([r[0] for r in rows[1:]], ["Lê Thị Lan"])
        self.assertEqual(len(self.rows(self.charlie, q="nguyen thi thu ha")), 1)

    def test_the_export_costs_the_same_queries_for_many_lines(self):
        self.login(self.alice)
        url = reverse("awards:register-export")
        self.client.get(url)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                b"".join(self.client.get(url).streaming_content)
            return len(ctx.captured_queries)

        few = count()
        for year in range(1990, 2010):
            f.record("giay-khen", year, member=self.ha)
        self.assertEqual(count(), few)
        self.assertEqual(AwardRecord.objects.filter(member=self.ha).count(), 22)
