"""Issue 3's own words: a user of one grassroots union tries to read and change another
unit's unit page, member, export and API records; every attempt is refused."""

from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import Role
from lib.testing import BaseTestCase, make_user
from org.models import Member


class GrassrootsNeighbourTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # An officer of the school; the factory is its sibling under the same district.
        cls.dana = make_user("dana", cls.school, Role.Kind.OFFICER)

    def setUp(self):
        self.login(self.dana)

    def test_pages_of_the_sibling_union_and_its_members_answer_404(self):
        urls = [
            reverse("org:unit-detail", args=[self.factory.pk]),
            reverse("org:unit-detail", args=[self.dongha.pk]),  # nor the level above
            reverse("org:unit-history", args=[self.factory.pk]),
            reverse("org:unit-audit", args=[self.factory.pk]),
            reverse("org:member-detail", args=[self.duc.pk]),
            reverse("org:member-edit", args=[self.duc.pk]),
            reverse("org:member-audit", args=[self.duc.pk]),
            reverse("org:member-list") + f"?unit={self.factory.pk}",
            reverse("org:member-export") + f"?unit={self.factory.pk}&format=csv",
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_changes_to_the_sibling_are_refused_and_nothing_changes(self):
        for url, data in [
            (reverse("org:member-edit", args=[self.duc.pk]), {"full_name": "Hacked", "sex": "male"}),
            (
                reverse("org:member-move", args=[self.duc.pk]),
                {"to_unit": self.school.pk, "moved_on": "01/01/2025"},
            ),
            (reverse("org:member-status", args=[self.duc.pk]), {"status": "left", "on": "01/01/2025"}),
            (reverse("org:unit-edit", args=[self.factory.pk]), {"name": "Hacked"}),
        ]:
            with self.subTest(url=url):
                self.assertIn(self.client.post(url, data).status_code, (403, 404))
        self.duc.refresh_from_db()
        self.assertEqual(
            (self.duc.full_name, self.duc.unit_id, self.duc.status),
            ("Trần Văn Đức", self.factory.pk, "active"),
        )

    def test_the_unscoped_export_holds_only_the_users_own_members(self):
        body = b"".join(
            self.client.get(reverse("org:member-export") + "?format=csv").streaming_content
        ).decode("utf-8-sig")
        self.assertIn("Nguyễn Thị Thu Hà", body)
        self.assertNotIn("Trần Văn Đức", body)
        self.assertNotIn("045090000002", body)

    def test_api_records_of_the_sibling_answer_404(self):
        token = Token.objects.create(user=self.dana)
        self.client.logout()
        auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
        for url in [
            f"/api/units/{self.factory.pk}/",
            f"/api/members/{self.duc.pk}/",
            f"/api/members/?unit={self.factory.pk}",
            f"/api/units/?parent={self.dongha.pk}",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url, **auth).status_code, 404)
        listed = self.client.get("/api/members/", **auth).json()["results"]
        self.assertEqual({m["full_name"] for m in listed}, {"Nguyễn Thị Thu Hà"})
        self.assertEqual(Member.objects.filter(full_name="Trần Văn Đức").count(), 1)
