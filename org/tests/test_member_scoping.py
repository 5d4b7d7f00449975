"""Every member page, for users with and without rights on Alice's members."""

from django.urls import reverse

from lib.testing import BaseTestCase
from org.models import Member, MemberStatus, Sex


class MemberScopingTests(BaseTestCase):
    def member_urls(self, member) -> dict[str, str]:
        return {
            name: reverse(f"org:{name}", args=[member.pk])
            for name in ("member-detail", "member-edit", "member-move", "member-status", "member-audit")
        }

    def posts(self, member) -> dict[str, dict]:
        return {
            "member-edit": {"full_name": "Hacked", "sex": Sex.MALE},
            "member-move": {"to_unit": self.port.pk, "moved_on": "01/01/2024"},
            "member-status": {"status": MemberStatus.DECEASED, "on": "01/01/2024"},
        }

    def assert_unchanged(self) -> None:
        for member in (self.ha, self.duc):
            fresh = Member.objects.get(pk=member.pk)
            self.assertEqual(
                (fresh.full_name, fresh.unit_id, fresh.status),
                (member.full_name, member.unit_id, member.status),
            )

    def test_alice_can_open_every_page_of_her_members(self):
        self.login(self.alice)
        for member in (self.ha, self.duc):
            for name, url in self.member_urls(member).items():
                self.assertEqual(self.client.get(url).status_code, 200, name)
        self.assertEqual(self.client.get(reverse("org:member-create")).status_code, 200)

    def test_bob_reads_but_gets_403_on_every_change(self):
        self.login(self.bob)
        urls = self.member_urls(self.ha)
        for name in ("member-detail", "member-audit"):
            self.assertEqual(self.client.get(urls[name]).status_code, 200, name)
        for name, data in self.posts(self.ha).items():
            self.assertEqual(self.client.get(urls[name]).status_code, 403, name)
            self.assertEqual(self.client.post(urls[name], data).status_code, 403, name)
        r = self.client.post(
            reverse("org:member-create"), {"unit": self.school.pk, "full_name": "X", "sex": "male"}
        )
        self.assertEqual(r.status_code, 403)
        self.assert_unchanged()

    def test_charlie_gets_404_on_every_page_of_alices_members(self):
        self.login(self.charlie)
        for member in (self.ha, self.duc):
            urls = self.member_urls(member)
            for name, url in urls.items():
                self.assertEqual(self.client.get(url).status_code, 404, name)
            for name, data in self.posts(member).items():
                self.assertEqual(self.client.post(urls[name], data).status_code, 404, name)
        self.assert_unchanged()

    def test_charlie_cannot_create_in_alices_units(self):
        self.login(self.charlie)
        r = self.client.post(
            reverse("org:member-create"), {"unit": self.school.pk, "full_name": "Intruder", "sex": Sex.MALE}
        )
        self.assertEqual(r.status_code, 200)
        self.assertIn("unit", r.context["form"].errors)
        self.assertFalse(Member.objects.filter(full_name="Intruder").exists())

    def test_charlies_list_and_export_never_contain_alices_members(self):
        self.login(self.charlie)
        cases = [
            ({}, ["Lê Thị Lan"]),
            ({"status": "active"}, ["Lê Thị Lan"]),
            ({"q": "nguyen"}, []),
            ({"q": "045190000001"}, []),
            ({"q": "duc"}, []),
        ]
        for params, expected in cases:
            r = self.client.get(reverse("org:member-list"), params)
            self.assertEqual([m.full_name for m in r.context["page"]], expected, params)
            self.assertNotContains(r, "Nguyễn Thị Thu Hà")
            body = b"".join(
                self.client.get(reverse("org:member-export"), {**params, "format": "csv"}).streaming_content
            )
            self.assertNotIn("Nguyễn Thị Thu Hà".encode(), body)
            self.assertNotIn(b"045190000001", body)

    def test_charlie_gets_404_for_alices_unit_as_a_filter(self):
        self.login(self.charlie)
        for name in ("org:member-list", "org:member-export"):
            r = self.client.get(reverse(name), {"unit": self.dongha.pk})
            self.assertEqual(r.status_code, 404, name)
        self.assertEqual(self.client.get(reverse("org:unit-audit", args=[self.school.pk])).status_code, 404)
