from django.http import HttpRequest
from django.test import TestCase
from django.urls import reverse

from lib.testing import PASSWORD, BaseTestCase


class LoginTests(BaseTestCase):
    def post_login(self, username: str, password: str):
        return self.client.post(reverse("accounts:login"), {"username": username, "password": password})

    def test_it_logs_in_with_the_right_password(self):
        r = self.post_login("alice", PASSWORD)
        self.assertRedirects(r, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.alice.pk)

    def test_it_rejects_a_wrong_password(self):
        r = self.post_login("alice", "wrong")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "alert-danger")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_locks_out_after_five_failures_even_with_the_right_password(self):
        for _ in range(5):
            self.post_login("alice", "wrong")
        r = self.post_login("alice", PASSWORD)
        self.assertEqual(r.status_code, 429)
        self.assertTemplateUsed(r, "accounts/locked_out.html")
        self.assertContains(r, 'data-testid="locked-out"', status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_four_failures_do_not_lock_out(self):
        for _ in range(4):
            self.post_login("alice", "wrong")
        r = self.post_login("alice", PASSWORD)
        self.assertEqual(r.status_code, 302)

    def test_a_lockout_leaves_other_users_alone(self):
        for _ in range(5):
            self.post_login("alice", "wrong")
        r = self.post_login("bob", PASSWORD)
        self.assertEqual(r.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.bob.pk)

    def test_inactive_users_cannot_log_in(self):
        self.alice.is_active = False
        self.alice.save(update_fields=["is_active"])
        r = self.post_login("alice", PASSWORD)
        self.assertEqual(r.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_force_login_and_client_login_with_a_request_work_in_tests(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        self.client.logout()
        # axes needs the request to authenticate; tests that use client.login pass one.
        self.assertTrue(self.client.login(request=HttpRequest(), username="bob", password=PASSWORD))
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)


class LogoutTests(BaseTestCase):
    def test_it_logs_out_on_post(self):
        self.login(self.alice)
        r = self.client.post(reverse("accounts:logout"))
        self.assertRedirects(r, reverse("accounts:login"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_rejects_get(self):
        self.login(self.alice)
        r = self.client.get(reverse("accounts:logout"))
        self.assertEqual(r.status_code, 405)
        self.assertIn("_auth_user_id", self.client.session)


class PasswordChangeTests(BaseTestCase):
    url = reverse("accounts:password-change")

    def test_it_requires_login(self):
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 302)

    def test_it_shows_the_form(self):
        self.login(self.alice)
        r = self.client.get(self.url)
        self.assertContains(r, 'data-testid="password-change-form"')

    def test_it_changes_the_password(self):
        self.login(self.alice)
        new = "mật khẩu mới 2025"
        r = self.client.post(self.url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
        self.assertRedirects(r, reverse("accounts:password-change-done"))
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(new))
        # The session survives the change.
        self.assertContains(
            self.client.get(reverse("accounts:password-change-done")), 'data-testid="password-changed"'
        )

    def test_it_needs_the_old_password(self):
        self.login(self.alice)
        r = self.client.post(
            self.url,
            {"old_password": "wrong", "new_password1": "x7!kq-pw-2025", "new_password2": "x7!kq-pw-2025"},
        )
        self.assertEqual(r.status_code, 200)
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(PASSWORD))

    def test_it_rejects_a_weak_password(self):
        self.login(self.alice)
        r = self.client.post(
            self.url, {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"}
        )
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].errors)


class ProgrammaticLoginTests(TestCase):
    """`Client.login()` has no request to throttle by; it must still work (tests, scripts)."""

    def test_client_login_without_request_works(self):
        from accounts.models import User

        User.objects.create_user(username="dora", password="s3cret-Passw0rd!")
        self.assertTrue(self.client.login(username="dora", password="s3cret-Passw0rd!"))
        self.assertFalse(self.client.login(username="dora", password="wrong"))
