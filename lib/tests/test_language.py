from django.urls import reverse

from lib.testing import BaseTestCase


class SwitchLanguageTests(BaseTestCase):
    def test_vietnamese_is_the_default(self):
        r = self.client.get(reverse("accounts:login"))
        self.assertContains(r, "Đăng nhập")
        self.assertContains(r, '<html lang="vi">', html=False)

    def test_it_switches_to_english_and_back(self):
        r = self.client.get(reverse("switch-language", args=["en"]) + "?next=/accounts/login/")
        self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
        self.assertContains(self.client.get("/accounts/login/"), "Log in")
        self.client.get(reverse("switch-language", args=["vi"]))
        self.assertContains(self.client.get("/accounts/login/"), "Đăng nhập")

    def test_it_refuses_an_unknown_language(self):
        self.assertEqual(self.client.get("/lang/xx/").status_code, 404)

    def test_it_never_redirects_off_site(self):
        r = self.client.get(reverse("switch-language", args=["en"]) + "?next=https://evil.example/")
        self.assertEqual(r["Location"], "/")
