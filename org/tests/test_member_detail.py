import datetime

from django.urls import reverse

from lib.testing import BaseTestCase
from org.services.members import member_move


class MemberDetailTests(BaseTestCase):
    def url(self, member=None) -> str:
        return reverse("org:member-detail", args=[(member or self.ha).pk])

    def test_it_shows_fields_unit_path_and_moves(self):
        member_move(
            member=self.ha,
            to_unit=self.factory,
            moved_on=datetime.date(2024, 3, 2),
            reason="Chuyển công tác",
            moved_by=self.alice,
        )
        self.login(self.alice)
        r = self.client.get(self.url())
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Nguyễn Thị Thu Hà")
        self.assertContains(r, "045190000001")
        self.assertContains(r, "01/05/1980")
        self.assertEqual(r.context["unit_path"], [self.root, self.quangtri, self.dongha, self.factory])
        self.assertContains(r, "02/03/2024")
        self.assertContains(r, "Chuyển công tác")
        self.assertContains(r, "Công đoàn Trường THPT Lê Lợi")  # the unit moved from

    def test_it_links_to_actions_for_a_writer(self):
        self.login(self.alice)
        r = self.client.get(self.url())
        self.assertContains(r, reverse("org:member-edit", args=[self.ha.pk]))
        self.assertContains(r, reverse("org:member-move", args=[self.ha.pk]))
        self.assertContains(r, reverse("org:member-status", args=[self.ha.pk]))
        self.assertContains(r, reverse("org:member-audit", args=[self.ha.pk]))

    def test_it_hides_actions_from_a_viewer(self):
        self.login(self.bob)
        r = self.client.get(self.url())
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, reverse("org:member-edit", args=[self.ha.pk]))
        self.assertNotContains(r, 'data-testid="member-actions"')

    def test_it_returns_404_outside_scope(self):
        self.login(self.charlie)
        r = self.client.get(self.url())
        self.assertEqual(r.status_code, 404)

    def test_it_returns_404_for_a_missing_member(self):
        self.login(self.alice)
        r = self.client.get(reverse("org:member-detail", args=[999999]))
        self.assertEqual(r.status_code, 404)
