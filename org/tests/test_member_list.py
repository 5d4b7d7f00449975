import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lib.testing import BaseTestCase
from org.models import MemberStatus, Sex
from org.services.members import member_create, member_set_status


class MemberListTests(BaseTestCase):
    url = reverse("org:member-list")

    def names(self, response) -> list[str]:
        return [m.full_name for m in response.context["page"]]

    def test_it_requires_login(self):
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 302)

    def test_it_lists_only_the_users_subtree(self):
        self.login(self.alice)
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.names(r), ["Nguyễn Thị Thu Hà", "Trần Văn Đức"])
        self.assertContains(r, "01/05/1980")  # dates as dd/mm/yyyy

    def test_it_limits_to_a_units_subtree(self):
        self.login(self.alice)
        r = self.client.get(self.url, {"unit": self.factory.pk})
        self.assertEqual(self.names(r), ["Trần Văn Đức"])
        r = self.client.get(self.url, {"unit": self.dongha.pk})
        self.assertEqual(len(self.names(r)), 2)

    def test_it_returns_404_for_a_unit_outside_scope(self):
        self.login(self.charlie)
        r = self.client.get(self.url, {"unit": self.dongha.pk})
        self.assertEqual(r.status_code, 404)
        r = self.client.get(self.url, {"unit": "not-a-number"})
        self.assertEqual(r.status_code, 404)

    def test_it_searches_without_accents(self):
        self.login(self.alice)
        r = self.client.get(self.url, {"q": "tran van duc"})
        self.assertEqual(self.names(r), ["Trần Văn Đức"])

    def test_it_searches_by_cccd(self):
        self.login(self.alice)
        r = self.client.get(self.url, {"q": "0451900"})
        self.assertEqual(self.names(r), ["Nguyễn Thị Thu Hà"])

    def test_it_filters_by_status_and_sex(self):
        member_set_status(member=self.duc, status=MemberStatus.LEFT, on=datetime.date(2024, 1, 1))
        self.login(self.alice)
        r = self.client.get(self.url, {"status": MemberStatus.ACTIVE})
        self.assertEqual(self.names(r), ["Nguyễn Thị Thu Hà"])
        r = self.client.get(self.url, {"sex": Sex.MALE})
        self.assertEqual(self.names(r), ["Trần Văn Đức"])

    def test_htmx_gets_only_the_results(self):
        self.login(self.alice)
        r = self.client.get(self.url, {"q": "ha"}, headers={"HX-Request": "true"})
        self.assertTemplateUsed(r, "org/_member_results.html")
        self.assertTemplateNotUsed(r, "base.html")
        self.assertContains(r, 'data-testid="member-table"')

    def test_it_pages_without_counting(self):
        for i in range(55):
            member_create(unit=self.school, full_name=f"Phạm Văn Bình {i:02d}", sex=Sex.MALE)
        self.login(self.alice)
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(self.url)
        self.assertFalse(any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries))
        page = r.context["page"]
        self.assertEqual(len(page), 50)
        self.assertTrue(page.has_next)
        r = self.client.get(self.url, {"page": 2})
        self.assertEqual(len(r.context["page"]), 7)
        self.assertFalse(r.context["page"].has_next)

    def test_its_query_count_does_not_grow_with_rows(self):
        self.login(self.alice)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(self.url, {"unit": self.dongha.pk})
        few = len(ctx.captured_queries)
        for i in range(40):
            unit = self.school if i % 2 else self.factory
            member_create(unit=unit, full_name=f"Hoàng Thị Mai {i:02d}", sex=Sex.FEMALE)
        with self.assertNumQueries(few):
            r = self.client.get(self.url, {"unit": self.dongha.pk})
        self.assertEqual(len(r.context["page"]), 42)

    def test_it_offers_add_member_only_to_writers(self):
        self.login(self.alice)
        self.assertContains(self.client.get(self.url), 'data-testid="member-create-link"')
        self.login(self.bob)
        self.assertNotContains(self.client.get(self.url), 'data-testid="member-create-link"')
