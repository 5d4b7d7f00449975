from django.urls import reverse

from accounts.models import Role, User
from accounts.tests.base import AdminTestCase
from lib.testing import make_user


class UserListTests(AdminTestCase):
    url = reverse("accounts:user-list")

    def test_it_lists_the_accounts_of_the_admins_subtree(self):
        self.login(self.erin)
        r = self.client.get(self.url)
        names = {u.username for u in r.context["page"]}
        self.assertEqual(names, {"alice", "bob", "erin", "cdcs.leloi"})

    def test_it_includes_accounts_holding_a_role_in_the_subtree(self):
        Role.objects.create(user=self.charlie, unit=self.school, kind=Role.Kind.VIEWER)
        self.login(self.erin)
        names = {u.username for u in self.client.get(self.url).context["page"]}
        self.assertIn("charlie", names)

    def test_charlie_sees_none_of_alices_accounts(self):
        self.login(self.charlie)
        names = {u.username for u in self.client.get(self.url).context["page"]}
        self.assertEqual(names, {"charlie"})

    def test_it_searches_without_accents(self):
        self.login(self.dora)
        for q in ("nguyen van anh", "NGUYỄN VĂN ÁNH", "anh ng", "cdcs.leloi"):
            names = {u.username for u in self.client.get(self.url, {"q": q}).context["page"]}
            self.assertEqual(names, {"cdcs.leloi"}, q)
        names = {u.username for u in self.client.get(self.url, {"q": "dao"}).context["page"]}
        self.assertEqual(names, {"dora"})

    def test_officers_and_viewers_get_403(self):
        for user in (self.alice, self.bob):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_it_requires_login(self):
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_it_runs_a_bounded_number_of_queries(self):
        self.login(self.dora)
        self.client.get(self.url)  # warm caches (content types, session)
        with self.assertNumQueries(6) as small:
            self.client.get(self.url)
        for i in range(20):
            make_user(f"extra{i}", self.factory, Role.Kind.VIEWER)
        with self.assertNumQueries(len(small.captured_queries)):
            r = self.client.get(self.url)
        self.assertEqual(len(r.context["page"]), 25)


class UserCreateViewTests(AdminTestCase):
    url = reverse("accounts:user-create")

    def form(self, **extra) -> dict:
        data = {
            "username": "cdcs.may",
            "full_name": "Trần Thị Mai",
            "unit": self.factory.code,
            "role_kind": Role.Kind.OFFICER,
            "email": "",
            "phone": "",
            "password1": "",
            "password2": "",
        }
        data.update(extra)
        return data

    def test_it_shows_the_form_with_administered_units_only(self):
        self.login(self.erin)
        r = self.client.get(self.url)
        self.assertContains(r, 'data-testid="user-form"')
        self.assertEqual(
            set(r.context["form"].fields["unit"].queryset), {self.dongha, self.school, self.factory}
        )

    def test_it_creates_an_account_and_shows_a_generated_password_once(self):
        self.login(self.erin)
        r = self.client.post(self.url, self.form())
        self.assertTemplateUsed(r, "accounts/user_created.html")
        user = User.objects.get(username="cdcs.may")
        self.assertTrue(user.check_password(r.context["password"]))
        self.assertContains(r, r.context["password"])
        self.assertEqual(user.roles.get().kind, Role.Kind.OFFICER)

    def test_it_takes_a_typed_password(self):
        self.login(self.erin)
        r = self.client.post(self.url, self.form(password1="Đông Hà 2025!", password2="Đông Hà 2025!"))
        user = User.objects.get(username="cdcs.may")
        self.assertRedirects(r, reverse("accounts:user-detail", args=[user.pk]))
        self.assertTrue(user.check_password("Đông Hà 2025!"))

    def test_it_rejects_passwords_that_differ(self):
        self.login(self.erin)
        r = self.client.post(self.url, self.form(password1="Đông Hà 2025!", password2="Đông Hà 2026!"))
        self.assertEqual(r.status_code, 200)
        self.assertIn("password2", r.context["form"].errors)
        self.assertFalse(User.objects.filter(username="cdcs.may").exists())

    def test_it_refuses_a_unit_above_the_admin(self):
        self.login(self.erin)
        r = self.client.post(self.url, self.form(unit=self.quangtri.code))
        self.assertIn("unit", r.context["form"].errors)
        self.assertFalse(User.objects.filter(username="cdcs.may").exists())

    def test_it_shows_a_taken_username_as_a_form_error(self):
        self.login(self.erin)
        r = self.client.post(self.url, self.form(username="Alice"))
        self.assertIn("username", r.context["form"].errors)

    def test_officers_get_403(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, self.form()).status_code, 403)
        self.assertFalse(User.objects.filter(username="cdcs.may").exists())


class UserDetailTests(AdminTestCase):
    def url(self, user) -> str:
        return reverse("accounts:user-detail", args=[user.pk])

    def test_it_shows_roles_and_history(self):
        self.login(self.erin)
        self.client.post(
            reverse("accounts:user-edit", args=[self.alice.pk]),
            {"full_name": "Alice Trần", "unit": self.dongha.code, "email": "", "phone": ""},
        )
        r = self.client.get(self.url(self.alice))
        self.assertContains(r, 'data-testid="role-table"')
        self.assertContains(r, "Alice Trần")
        self.assertContains(r, 'data-testid="audit-table"')
        rows = [row for e in r.context["entries"] for row in e.rows]
        self.assertIn(("full_name", "Alice", "Alice Trần"), rows)
        self.assertEqual(r.context["entries"][0].actor, self.erin)

    def test_charlie_gets_404(self):
        self.login(self.charlie)
        for user in (self.alice, self.erin, self.dora):
            self.assertEqual(self.client.get(self.url(user)).status_code, 404)

    def test_it_returns_404_for_a_missing_account(self):
        self.login(self.erin)
        self.assertEqual(self.client.get(reverse("accounts:user-detail", args=[999999])).status_code, 404)

    def test_an_admin_cannot_open_accounts_above_them(self):
        self.login(self.erin)
        self.assertEqual(self.client.get(self.url(self.dora)).status_code, 404)

    def test_officers_get_403(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url(self.bob)).status_code, 403)


class UserEditTests(AdminTestCase):
    def url(self, user) -> str:
        return reverse("accounts:user-edit", args=[user.pk])

    def test_it_saves_the_changes(self):
        self.login(self.erin)
        r = self.client.post(
            self.url(self.bob),
            {
                "full_name": "Bob Lê",
                "unit": self.school.code,
                "email": "Bob@Example.vn",
                "phone": "0912 345 678",
            },
        )
        self.assertRedirects(r, reverse("accounts:user-detail", args=[self.bob.pk]))
        self.bob.refresh_from_db()
        self.assertEqual(
            (self.bob.full_name, self.bob.unit, self.bob.email), ("Bob Lê", self.school, "bob@example.vn")
        )

    def test_charlie_gets_404(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url(self.bob)).status_code, 404)
        r = self.client.post(self.url(self.bob), {"full_name": "X", "unit": self.port.code})
        self.assertEqual(r.status_code, 404)
        self.bob.refresh_from_db()
        self.assertEqual(self.bob.full_name, "Bob")

    def test_an_admin_of_a_role_unit_only_gets_403(self):
        # charlie's home unit is Quảng Bình; a viewer role at Đông Hà puts him in erin's list only.
        Role.objects.create(user=self.charlie, unit=self.school, kind=Role.Kind.VIEWER)
        self.login(self.erin)
        self.assertEqual(self.client.get(self.url(self.charlie)).status_code, 403)


class UserDeactivateViewTests(AdminTestCase):
    def url(self, user) -> str:
        return reverse("accounts:user-deactivate", args=[user.pk])

    def test_it_deactivates(self):
        self.login(self.erin)
        r = self.client.post(self.url(self.bob))
        self.assertRedirects(r, reverse("accounts:user-detail", args=[self.bob.pk]))
        self.bob.refresh_from_db()
        self.assertFalse(self.bob.is_active)
        self.assertTrue(User.objects.filter(pk=self.bob.pk).exists())

    def test_it_rejects_get(self):
        self.login(self.erin)
        self.assertEqual(self.client.get(self.url(self.bob)).status_code, 405)

    def test_charlie_gets_404(self):
        self.login(self.charlie)
        self.assertEqual(self.client.post(self.url(self.bob)).status_code, 404)
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.is_active)

    def test_officers_get_403(self):
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url(self.bob)).status_code, 403)

    def test_an_admin_cannot_deactivate_themselves(self):
        self.login(self.erin)
        self.client.post(self.url(self.erin))
        self.erin.refresh_from_db()
        self.assertTrue(self.erin.is_active)


class RoleGrantViewTests(AdminTestCase):
    def url(self, user) -> str:
        return reverse("accounts:role-grant", args=[user.pk])

    def test_it_grants_a_role(self):
        self.login(self.erin)
        r = self.client.post(self.url(self.bob), {"unit": self.school.code, "kind": Role.Kind.OFFICER})
        self.assertRedirects(r, reverse("accounts:user-detail", args=[self.bob.pk]))
        role = Role.objects.active().get(user=self.bob, unit=self.school)
        self.assertEqual((role.kind, role.granted_by), (Role.Kind.OFFICER, self.erin))

    def test_it_never_grants_above_the_admins_unit(self):
        self.login(self.erin)
        r = self.client.post(self.url(self.bob), {"unit": self.quangtri.code, "kind": Role.Kind.ADMIN})
        self.assertEqual(r.status_code, 200)
        self.assertIn("unit", r.context["form"].errors)
        self.assertFalse(Role.objects.filter(user=self.bob, unit=self.quangtri).exists())

    def test_charlie_gets_404(self):
        self.login(self.charlie)
        r = self.client.post(self.url(self.bob), {"unit": self.port.code, "kind": Role.Kind.OFFICER})
        self.assertEqual(r.status_code, 404)
        self.assertEqual(self.bob.roles.count(), 1)

    def test_officers_get_403(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url(self.bob)).status_code, 403)


class RoleRevokeViewTests(AdminTestCase):
    def url(self, role) -> str:
        return reverse("accounts:role-revoke", args=[role.pk])

    def test_it_revokes(self):
        role = self.bob.roles.get()
        self.login(self.erin)
        r = self.client.post(self.url(role))
        self.assertEqual(r.status_code, 302)
        role.refresh_from_db()
        self.assertEqual(role.revoked_by, self.erin)
        self.assertIsNotNone(role.revoked_at)

    def test_it_rejects_get(self):
        self.login(self.erin)
        self.assertEqual(self.client.get(self.url(self.bob.roles.get())).status_code, 405)

    def test_charlie_gets_404(self):
        role = self.bob.roles.get()
        self.login(self.charlie)
        self.assertEqual(self.client.post(self.url(role)).status_code, 404)
        role.refresh_from_db()
        self.assertIsNone(role.revoked_at)

    def test_an_admin_cannot_revoke_a_role_above_them(self):
        role = self.dora.roles.get()
        self.login(self.erin)
        self.assertEqual(self.client.post(self.url(role)).status_code, 404)

    def test_officers_get_403(self):
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url(self.bob.roles.get())).status_code, 403)
