from django.urls import reverse
from rest_framework.authtoken.models import Token

from api.tests.base import ApiTestCase
from lib.testing import PASSWORD


class TokenObtainTests(ApiTestCase):
    url = reverse("api-token")

    def post(self, username: str, password: str):
        return self.client.post(
            self.url, {"username": username, "password": password}, content_type="application/json"
        )

    def test_it_returns_a_token_for_good_credentials(self):
        r = self.post("alice", PASSWORD)
        self.assertEqual(r.status_code, 200)
        token = Token.objects.get(user=self.alice)
        self.assertEqual(r.json()["token"], token.key)
        self.assertEqual(set(r.json()), {"token", "expires"})

    def test_the_token_authenticates_api_calls(self):
        key = self.post("alice", PASSWORD).json()["token"]
        r = self.client.get(reverse("api-unit-list"), HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(r.status_code, 200)

    def test_it_returns_the_same_token_twice(self):
        self.assertEqual(self.post("alice", PASSWORD).json(), self.post("alice", PASSWORD).json())

    def test_it_rejects_a_wrong_password(self):
        r = self.post("alice", "wrong")
        self.assertEqual(r.status_code, 400)
        self.assertNotIn("token", r.json())
        self.assertFalse(Token.objects.filter(user=self.alice).exists())

    def test_it_rejects_an_inactive_user(self):
        self.alice.is_active = False
        self.alice.save(update_fields=["is_active"])
        r = self.post("alice", PASSWORD)
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Token.objects.filter(user=self.alice).exists())

    def test_it_locks_out_after_five_failures_even_with_the_right_password(self):
        for _ in range(5):
            self.post("alice", "wrong")
        r = self.post("alice", PASSWORD)
        self.assertEqual(r.status_code, 429)
        self.assertEqual(r["Content-Type"], "application/json")
        self.assertIn("detail", r.json())
        self.assertFalse(Token.objects.filter(user=self.alice).exists())
        # Another account from the same computer is not affected.
        self.assertEqual(self.post("bob", PASSWORD).status_code, 200)

    def test_failures_on_the_login_page_count_for_the_api_too(self):
        for _ in range(5):
            self.client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"})
        self.assertEqual(self.post("alice", PASSWORD).status_code, 429)

    def test_a_deactivated_users_token_stops_working(self):
        key = self.post("alice", PASSWORD).json()["token"]
        self.alice.is_active = False
        self.alice.save(update_fields=["is_active"])
        r = self.client.get(reverse("api-unit-list"), HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(r.status_code, 401)


class AuthRequiredTests(ApiTestCase):
    def test_every_endpoint_answers_401_without_a_token(self):
        for url in (
            reverse("api-unit-list"),
            reverse("api-unit-detail", args=[self.school.pk]),
            reverse("api-member-list"),
            reverse("api-member-detail", args=[self.ha.pk]),
        ):
            r = self.client.get(url)
            self.assertEqual(r.status_code, 401, url)
            self.assertNotIn(b"Tr\xc6\xb0\xe1\xbb\x9dng", r.content)

    def test_a_bad_token_answers_401(self):
        r = self.client.get(reverse("api-unit-list"), HTTP_AUTHORIZATION="Token nonsense")
        self.assertEqual(r.status_code, 401)

    def test_the_api_is_read_only(self):
        self.auth(self.alice)
        r = self.client.post(reverse("api-unit-list"), {"code": "X"}, content_type="application/json")
        self.assertEqual(r.status_code, 405)
        r = self.client.delete(reverse("api-member-detail", args=[self.ha.pk]))
        self.assertEqual(r.status_code, 405)
