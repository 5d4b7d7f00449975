"""API tokens end: they expire, a password change rotates them, logout and administrators revoke
them, and the API documents all of it."""

from __future__ import annotations

import datetime
import io
from unittest import mock

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token

from accounts.models import Role
from accounts.services import user_deactivate
from lib.testing import PASSWORD, BaseTestCase, EnglishMixin, make_user

UNITS = reverse("api-unit-list")
NEW_PASSWORD = "mật khẩu mới 2026"


class TokenTestCase(BaseTestCase):
    def obtain(self, username: str = "alice", password: str = PASSWORD) -> dict:
        r = Client().post(
            reverse("api-token"),
            {"username": username, "password": password},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 200, r.content)
        return r.json()

    def status_with(self, key: str) -> int:
        return Client().get(UNITS, HTTP_AUTHORIZATION=f"Token {key}").status_code

    def age(self, key: str, days: float) -> None:
        Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(days=days))


class ExpiryTests(TokenTestCase):
    def test_the_answer_says_when_the_token_expires(self):
        before = timezone.now()
        answer = self.obtain()
        expires = parse_datetime(answer["expires"])
        self.assertEqual(set(answer), {"token", "expires"})
        self.assertGreaterEqual(expires, before + datetime.timedelta(days=30))
        self.assertLessEqual(expires, timezone.now() + datetime.timedelta(days=30))

    def test_a_token_works_until_it_expires_after_30_days(self):
        key = self.obtain()["token"]
        self.age(key, 29.9)
        self.assertEqual(self.status_with(key), 200)
        self.age(key, 30)
        r = Client().get(UNITS, HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(r.status_code, 401)
        self.assertIn("detail", r.json())

    @override_settings(API_TOKEN_TTL_DAYS=2)
    def test_the_lifetime_is_a_setting(self):
        answer = self.obtain()
        token = Token.objects.get(key=answer["token"])
        self.assertEqual(parse_datetime(answer["expires"]), token.created + datetime.timedelta(days=2))
        self.age(token.key, 1.9)
        self.assertEqual(self.status_with(token.key), 200)
        self.age(token.key, 2.1)
        self.assertEqual(self.status_with(token.key), 401)

    def test_logging_in_again_returns_the_same_token_until_it_expires_then_a_new_one(self):
        first = self.obtain()
        self.assertEqual(self.obtain(), first)
        self.age(first["token"], 31)
        second = self.obtain()
        self.assertNotEqual(second["token"], first["token"])
        self.assertGreater(parse_datetime(second["expires"]), parse_datetime(first["expires"]))
        self.assertEqual(self.status_with(second["token"]), 200)
        self.assertEqual(self.status_with(first["token"]), 401)
        self.assertEqual(Token.objects.filter(user=self.alice).count(), 1)


class PasswordChangeTests(TokenTestCase):
    def test_changing_the_password_on_the_site_ends_the_token(self):
        key = self.obtain()["token"]
        self.login(self.alice)
        r = self.client.post(
            reverse("accounts:password-change"),
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.status_with(key), 401)
        new = self.obtain(password=NEW_PASSWORD)["token"]
        self.assertNotEqual(new, key)
        self.assertEqual(self.status_with(new), 200)

    def test_every_way_of_setting_a_password_ends_the_token(self):
        key = self.obtain()["token"]
        self.alice.set_password(NEW_PASSWORD)
        self.alice.save(update_fields=["password"])  # as services and the admin's form do
        self.assertEqual(self.status_with(key), 401)

    def test_saving_the_account_without_a_new_password_keeps_the_token(self):
        key = self.obtain()["token"]
        self.alice.full_name = "Alice Nguyễn"
        self.alice.save(update_fields=["full_name"])
        self.alice.save()
        self.assertEqual(self.status_with(key), 200)

    def test_changepassword_command_ends_the_token(self):
        key = self.obtain()["token"]
        with mock.patch("getpass.getpass", return_value=NEW_PASSWORD):
            call_command("changepassword", "alice", stdout=io.StringIO())
        self.assertEqual(self.status_with(key), 401)


class LogoutTests(TokenTestCase):
    def test_the_api_logout_ends_the_token(self):
        key = self.obtain()["token"]
        client = Client(HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(client.post(reverse("api-logout")).status_code, 204)
        self.assertEqual(self.status_with(key), 401)
        self.assertEqual(client.post(reverse("api-logout")).status_code, 401)
        self.assertNotEqual(self.obtain()["token"], key)

    def test_the_api_logout_needs_a_caller(self):
        self.assertEqual(Client().post(reverse("api-logout")).status_code, 401)
        self.assertEqual(Client().get(reverse("api-logout")).status_code, 401)

    def test_it_leaves_other_accounts_alone(self):
        alice, bob = self.obtain()["token"], self.obtain("bob")["token"]
        Client(HTTP_AUTHORIZATION=f"Token {alice}").post(reverse("api-logout"))
        self.assertEqual(self.status_with(bob), 200)

    def test_the_sites_logout_ends_the_token(self):
        key = self.obtain()["token"]
        self.login(self.alice)
        self.assertEqual(self.client.post(reverse("accounts:logout")).status_code, 302)
        self.assertEqual(self.status_with(key), 401)

    def test_deactivating_the_account_ends_the_token(self):
        admin = make_user("quan", self.dongha, Role.Kind.ADMIN)
        key = self.obtain()["token"]
        user_deactivate(acting_user=admin, user=self.alice)
        self.assertFalse(Token.objects.filter(key=key).exists())


class AdministratorRevokeTests(EnglishMixin, TokenTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.admin = make_user("quan", cls.dongha, Role.Kind.ADMIN, full_name="Quân")
        cls.school_admin = make_user("sau", cls.school, Role.Kind.ADMIN)

    def url(self, user=None) -> str:
        return reverse("accounts:user-token-revoke", args=[(user or self.alice).pk])

    def test_an_administrator_sees_and_revokes_the_token(self):
        key = self.obtain()["token"]
        self.login(self.admin)
        page = self.client.get(reverse("accounts:user-detail", args=[self.alice.pk]))
        self.assertContains(page, 'data-testid="token-revoke"')
        self.assertContains(page, "valid until")
        self.assertNotContains(page, key)
        r = self.client.post(self.url(), follow=True)
        self.assertContains(r, "The API token of alice was revoked.")
        self.assertEqual(self.status_with(key), 401)
        entry = LogEntry.objects.get(
            content_type=ContentType.objects.get_for_model(self.alice),
            object_pk=str(self.alice.pk),
            action=LogEntry.Action.UPDATE,
        )
        self.assertEqual(
            (entry.actor, entry.changes_dict), (self.admin, {"api_token": ["active", "revoked"]})
        )
        self.assertContains(
            self.client.get(reverse("accounts:user-detail", args=[self.alice.pk])), "api_token"
        )
        self.assertNotEqual(self.obtain()["token"], key)  # alice may log in again

    def test_revoking_when_there_is_none_says_so_and_records_nothing(self):
        self.login(self.admin)
        r = self.client.post(self.url(), follow=True)
        self.assertContains(r, "alice has no API token.")
        self.assertFalse(LogEntry.objects.filter(actor=self.admin).exists())

    def test_only_administrators_over_the_account_may_revoke(self):
        key = self.obtain()["token"]
        for user, status in (
            (self.bob, 403),
            (self.alice, 403),
            (self.charlie, 403),
            (self.school_admin, 404),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.post(self.url()).status_code, status)
        self.assertEqual(self.status_with(key), 200)

    def test_an_administrator_elsewhere_gets_404(self):
        Role.objects.create(user=self.charlie, unit=self.quangbinh, kind=Role.Kind.ADMIN)
        key = self.obtain()["token"]
        self.login(self.charlie)
        self.assertEqual(self.client.post(self.url()).status_code, 404)
        self.assertEqual(self.status_with(key), 200)

    def test_it_rejects_get(self):
        self.login(self.admin)
        self.assertEqual(self.client.get(self.url()).status_code, 405)


class DocumentationTests(BaseTestCase):
    def test_the_schema_documents_expiry_rotation_and_revocation(self):
        schema = Client().get(reverse("api-schema"), {"format": "json"}).json()
        self.assertIn("/api/auth/logout/", schema["paths"])
        login = schema["paths"]["/api/auth/token/"]["post"]
        self.assertIn("30 days", login["description"])
        token = schema["components"]["schemas"]["Token"]
        self.assertEqual(set(token["properties"]), {"token", "expires"})
        self.assertEqual(token["properties"]["expires"]["format"], "date-time")
        scheme = schema["components"]["securitySchemes"]["tokenAuth"]
        for words in ("30 days", "password changes", "logout", "revokes it", "401"):
            self.assertIn(words, scheme["description"])
        logout = schema["paths"]["/api/auth/logout/"]["post"]
        self.assertEqual(set(logout["responses"]), {"204", "401"})
