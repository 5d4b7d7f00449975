from django.contrib import admin
from django.test import RequestFactory

from lib.testing import BaseTestCase
from org.models import Member, Unit


class MemberAdminTests(BaseTestCase):
    def setUp(self):
        self.request = RequestFactory().get("/admin/")
        self.request.user = type(self.alice).objects.create_superuser("root", password="x")

    def test_members_and_units_cannot_be_deleted(self):
        for model in (Member, Unit):
            model_admin = admin.site._registry[model]
            self.assertFalse(model_admin.has_delete_permission(self.request), model)
            self.assertFalse(model_admin.has_delete_permission(self.request, model.objects.first()), model)

    def test_the_delete_action_is_gone(self):
        actions = admin.site._registry[Member].get_actions(self.request)
        self.assertNotIn("delete_selected", actions)

    def test_the_changelist_searches_without_accents(self):
        self.client.force_login(self.request.user, backend="django.contrib.auth.backends.ModelBackend")
        r = self.client.get("/admin/org/member/", {"q": "tran van duc"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Trần Văn Đức")
        self.assertNotContains(r, "Nguyễn Thị Thu Hà")

    def test_editing_in_admin_goes_through_the_service(self):
        self.client.force_login(self.request.user, backend="django.contrib.auth.backends.ModelBackend")
        r = self.client.post(
            f"/admin/org/member/{self.ha.pk}/change/",
            {
                "full_name": "Nguyễn Thị Thu Hằng",
                "sex": "female",
                "cccd": "045190000001",
                "date_of_birth": "01/05/1980",
            },
        )
        self.assertEqual(r.status_code, 302, r.content[:2000])
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.name_folded, "nguyen thi thu hang")
