"""One address trying many usernames is locked out (django-axes locks only username+address pairs);
the same account from another address is not. Login page, admin and API token alike."""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lib.testing import PASSWORD, BaseTestCase, EnglishMixin

ATTACKER, OFFICE = "203.0.113.7", "198.51.100.20"
LIMIT = 30  # AXES_IP_FAILURE_LIMIT's default


class AddressLockoutTests(EnglishMixin, BaseTestCase):
    def client_at(self, address: str, **headers) -> Client:
        client = Client(REMOTE_ADDR=address, **headers)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    def page(self, username: str, password: str, address: str):
        return self.client_at(address).post(
            reverse("accounts:login"), {"username": username, "password": password}
        )

    def api(self, username: str, password: str, address: str):
        return self.client_at(address).post(
            reverse("api-token"),
            {"username": username, "password": password},
            content_type="application/json",
        )

    def admin(self, username: str, password: str, address: str):
        return self.client_at(address).post(
            reverse("admin:login") + "?next=/admin/", {"username": username, "password": password}
        )

    def spray(self, n: int, *, via=None, address: str = ATTACKER) -> None:
        """n wrong passwords from one address, each for another username (never the pair limit)."""
        for i in range(n):
            (via or self.page)(f"khach{i:03d}", "sai-mat-khau", address)

    def test_sixty_usernames_from_one_address_lock_it_out(self):
        self.spray(60)
        r = self.page("alice", PASSWORD, ATTACKER)
        self.assertEqual(r.status_code, 429)
        self.assertContains(r, 'data-testid="address-locked"', status_code=429)
        self.assertEqual(self.api("bob", PASSWORD, ATTACKER).status_code, 429)

    def test_the_lockout_starts_at_the_limit(self):
        self.spray(LIMIT - 1)
        self.assertEqual(self.page("alice", PASSWORD, ATTACKER).status_code, 302)
        self.spray(1, address=ATTACKER)
        self.assertEqual(self.page("bob", PASSWORD, ATTACKER).status_code, 429)

    def test_the_same_accounts_log_in_from_another_address(self):
        self.spray(LIMIT)
        self.assertEqual(self.page("alice", PASSWORD, OFFICE).status_code, 302)
        self.assertEqual(self.api("bob", PASSWORD, OFFICE).status_code, 200)

    def test_the_api_token_endpoint_is_covered_and_says_why(self):
        self.spray(LIMIT, via=self.api)
        r = self.api("alice", PASSWORD, ATTACKER)
        self.assertEqual(r.status_code, 429)
        self.assertIn("from this computer", r.json()["detail"])
        self.assertEqual(self.api("alice", PASSWORD, OFFICE).status_code, 200)

    def test_the_admin_is_covered(self):
        get_user_model().objects.create_superuser("root", password=PASSWORD)
        self.spray(LIMIT, via=self.admin)
        self.assertEqual(self.admin("root", PASSWORD, ATTACKER).status_code, 429)
        r = self.admin("root", PASSWORD, OFFICE)
        self.assertEqual((r.status_code, r["Location"]), (302, "/admin/"))

    def test_failures_on_any_entrance_add_up(self):
        self.spray(10, via=self.page)
        self.spray(10, via=self.api)
        self.spray(10, via=self.admin)
        self.assertEqual(self.page("alice", PASSWORD, ATTACKER).status_code, 429)

    def test_a_forged_forwarded_for_header_does_not_change_the_address(self):
        for i in range(LIMIT):
            self.client_at(ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.{i}.1").post(
                reverse("accounts:login"), {"username": f"khach{i:03d}", "password": "sai-mat-khau"}
            )
        self.assertEqual(self.page("alice", PASSWORD, ATTACKER).status_code, 429)

    def test_it_ends_after_the_cool_off(self):
        self.spray(LIMIT)
        AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
        self.assertEqual(self.page("alice", PASSWORD, ATTACKER).status_code, 302)

    @override_settings(AXES_IP_FAILURE_LIMIT=5)
    def test_the_limit_is_a_setting(self):
        self.spray(5)
        self.assertEqual(self.page("alice", PASSWORD, ATTACKER).status_code, 429)

    @override_settings(AXES_IP_FAILURE_LIMIT=0)
    def test_zero_turns_it_off(self):
        self.spray(LIMIT + 5)
        self.assertEqual(self.page("alice", PASSWORD, ATTACKER).status_code, 302)

    def test_the_username_lockout_is_unchanged(self):
        for _ in range(5):
            self.page("alice", "sai-mat-khau", ATTACKER)
        r = self.page("alice", PASSWORD, ATTACKER)
        self.assertEqual(r.status_code, 429)
        self.assertNotContains(r, 'data-testid="address-locked"', status_code=429)
        self.assertEqual(self.page("bob", PASSWORD, ATTACKER).status_code, 302)
