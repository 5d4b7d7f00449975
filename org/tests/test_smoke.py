from django.urls import reverse

from lib.testing import BaseTestCase


class HomeTests(BaseTestCase):
    def test_it_requires_login(self):
        r = self.client.get(reverse("home"))
        self.assertEqual(r.status_code, 302)

    def test_it_shows_rolled_up_counts(self):
        self.login(self.alice)
        r = self.client.get(reverse("home"))
        self.assertContains(r, "LĐLĐ thành phố Đông Hà")
        self.assertEqual(r.context["rollup"]["members"], 2)
        self.assertEqual(r.context["rollup"]["female"], 1)
        self.assertEqual(r.context["rollup"]["units"], 2)
