from django.urls import reverse

from accounts.models import User
from lib.testing import BaseTestCase


class AdminSiteTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.root_user = User.objects.create_superuser(username="root", password="x", email="")

    def test_it_lists_and_opens_users_and_roles(self):
        self.login(self.root_user)
        for url in (
            reverse("admin:accounts_user_changelist"),
            reverse("admin:accounts_user_change", args=[self.alice.pk]),
            reverse("admin:accounts_role_changelist"),
            reverse("admin:accounts_role_change", args=[self.alice.roles.get().pk]),
        ):
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_it_never_deletes_users_or_roles(self):
        self.login(self.root_user)
        r = self.client.post(reverse("admin:accounts_user_delete", args=[self.alice.pk]), {"post": "yes"})
        self.assertEqual(r.status_code, 403)
        r = self.client.post(
            reverse("admin:accounts_role_delete", args=[self.alice.roles.get().pk]), {"post": "yes"}
        )
        self.assertEqual(r.status_code, 403)
        self.assertTrue(User.objects.filter(pk=self.alice.pk).exists())
        self.assertEqual(self.alice.roles.count(), 1)

    def test_officers_cannot_open_the_admin_site(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("admin:accounts_user_changelist")).status_code, 302)
