"""The shared pager (templates/_pagination.html) keeps a list's filters in its links."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory, SimpleTestCase


class PaginationPartialTests(SimpleTestCase):
    def render(self, query: str, number: int, **extra) -> str:
        request = RequestFactory().get("/awards/decisions/" + query)
        page = Paginator(list(range(95)), 20).get_page(number)
        return render_to_string("_pagination.html", {"page": page, **extra}, request=request)

    def test_it_keeps_the_filters_and_replaces_the_page(self):
        html = self.render("?q=Nguy%E1%BB%85n&year=2021&page=2", 2)
        self.assertIn('href="?q=Nguy%E1%BB%85n&amp;year=2021&amp;page=1"', html)
        self.assertIn('href="?q=Nguy%E1%BB%85n&amp;year=2021&amp;page=3"', html)
        self.assertIn("2 / 5", html)

    def test_the_first_page_has_no_previous_link(self):
        html = self.render("", 1)
        self.assertNotIn('data-testid="page-previous"', html)
        self.assertIn('href="?page=2"', html)

    def test_a_base_path_prefixes_the_links(self):
        html = self.render("?q=a", 1, base="/org/members/")
        self.assertIn('href="/org/members/?q=a&amp;page=2"', html)

    def test_a_single_page_renders_nothing(self):
        request = RequestFactory().get("/")
        page = Paginator([1, 2], 20).get_page(1)
        self.assertEqual(render_to_string("_pagination.html", {"page": page}, request=request).strip(), "")
