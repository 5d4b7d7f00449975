"""The member list's search at national scale: at most SEARCH_CAP matches are ordered and paged
(org.selectors.search.bounded), the bound is taken inside the user's scope, the page says when
more matched, and it costs one query. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lib.testing import BaseTestCase, EnglishMixin
from org.models import Member, Sex
from org.selectors.members import member_page
from org.selectors.search import bounded_page
from org.services.members import member_create

URL = reverse("org:member-list")


def cap(n: int):
    return mock.patch("org.selectors.search.SEARCH_CAP", n)


class BoundedSearchTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Created first (lowest ids, first in table order): Charlie's province, outside Alice's scope.
        for i in range(6):
            member_create(unit=cls.port, full_name=f"Nguyễn Văn Cảng {i}", sex=Sex.MALE)
        member_create(unit=cls.school, full_name="Nguyễn Văn Bốn", sex=Sex.MALE)
        member_create(unit=cls.school, full_name="Nguyễn Thị Ba", sex=Sex.FEMALE)
        member_create(unit=cls.school, full_name="Nguyễn Văn An", sex=Sex.MALE)

    def names(self, response) -> list[str]:
        return [m.full_name for m in response.context["page"]]

    def test_a_small_result_is_whole_in_name_order_with_its_size(self):
        self.login(self.alice)
        r = self.client.get(URL, {"q": "nguyen"})
        self.assertEqual(
            self.names(r), ["Nguyễn Thị Ba", "Nguyễn Thị Thu Hà", "Nguyễn Văn An", "Nguyễn Văn Bốn"]
        )
        self.assertFalse(r.context["page"].capped)
        self.assertContains(r, "Showing 1–4 of 4")
        self.assertNotContains(r, 'data-testid="member-capped"')

    def test_the_bound_is_taken_inside_the_scope(self):
        # Six of Charlie's members match first in table order; a bound taken before the scope
        # would leave Alice with none of her four, and say "capped".
        self.login(self.alice)
        with cap(4):
            r = self.client.get(URL, {"q": "nguyen"})
        self.assertEqual(len(self.names(r)), 4)
        self.assertTrue(all(m.unit_id == self.school.pk for m in r.context["page"]))
        self.assertFalse(r.context["page"].capped)

    def test_more_matches_than_the_cap_are_announced(self):
        self.login(self.charlie)
        with cap(4):
            r = self.client.get(URL, {"q": "nguyen van"})
        page = r.context["page"]
        self.assertTrue(page.capped)
        self.assertEqual(len(page), 4)
        self.assertEqual(self.names(r), sorted(self.names(r), key=lambda n: n))
        self.assertContains(r, 'data-testid="member-capped"')
        self.assertContains(r, "More than 4 members match")
        self.assertNotContains(r, " of 4")

    def test_pages_stop_at_the_cap(self):
        with cap(5):
            found = Member.objects.filter(full_name__startswith="Nguyễn")
            first, second, beyond = (
                bounded_page(found, n, order_by=("name_folded", "id"), per_page=3) for n in ("1", "2", "3")
            )
        self.assertTrue(first.capped and second.capped and beyond.capped)
        self.assertEqual((len(first), first.has_next), (3, True))
        self.assertEqual((len(second), second.has_next), (2, False))
        self.assertEqual((len(beyond), beyond.has_next), (0, False))
        shown = [m.pk for m in first] + [m.pk for m in second]
        self.assertEqual(len(set(shown)), 5)

    def test_the_page_is_one_query_without_counting_the_matches(self):
        page_queries = []
        for q in ("", "nguyen"):
            with CaptureQueriesContext(connection) as ctx:
                member_page(user=self.alice, q=q)
            page_queries.append([c["sql"] for c in ctx.captured_queries if "org_member" in c["sql"]])
        self.assertEqual([len(p) for p in page_queries], [1, 1])
        search = page_queries[1][0].upper()
        self.assertNotIn("COUNT(*) FROM", search)
        self.assertIn("LIMIT 2001", search)  # the bound
        self.assertIn("COUNT(*) OVER ()", search)  # the size of the bounded set, in the same query
        if connection.vendor == "postgresql":
            self.assertIn("MATERIALIZED", search)
            self.assertIn("SEARCH_VECTOR", search)

    def test_filters_apply_before_the_bound(self):
        with cap(1):
            page = member_page(user=self.alice, q="nguyen", sex=Sex.FEMALE)
        # Two women match in Alice's subtree (Hà and Ba): more than a cap of 1.
        self.assertTrue(page.capped)
        with cap(2):
            page = member_page(user=self.alice, q="nguyen thi", sex=Sex.FEMALE)
        self.assertFalse(page.capped)
        self.assertEqual([m.full_name for m in page], ["Nguyễn Thị Ba", "Nguyễn Thị Thu Hà"])


class BoundedSearchVietnameseTests(BaseTestCase):
    def test_the_cap_is_told_in_vietnamese(self):
        member_create(unit=self.school, full_name="Nguyễn Văn An", sex=Sex.MALE)
        self.login(self.alice)
        with cap(1):
            r = self.client.get(URL, {"q": "nguyen"})
        self.assertContains(r, 'data-testid="member-capped"')
        self.assertContains(r, "Có hơn 1 đoàn viên khớp")
