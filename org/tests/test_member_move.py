from django.urls import reverse

from lib.testing import BaseTestCase
from org.models import MemberMove, MemberStatus


class MemberMoveTests(BaseTestCase):
    def url(self, member=None) -> str:
        return reverse("org:member-move", args=[(member or self.ha).pk])

    def test_it_offers_writable_units_but_the_current_one(self):
        self.login(self.alice)
        r = self.client.get(self.url())
        self.assertEqual(set(r.context["form"].fields["to_unit"].queryset), {self.dongha, self.factory})

    def test_it_moves_the_member_and_keeps_history(self):
        self.login(self.alice)
        r = self.client.post(
            self.url(), {"to_unit": self.factory.pk, "moved_on": "15/03/2024", "reason": "Chuyển công tác"}
        )
        self.assertRedirects(r, reverse("org:member-detail", args=[self.ha.pk]))
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.unit, self.factory)
        move = MemberMove.objects.get(member=self.ha)
        self.assertEqual(
            (move.from_unit, move.to_unit, move.created_by), (self.school, self.factory, self.alice)
        )
        self.assertEqual(move.moved_on.isoformat(), "2024-03-15")
        self.school.refresh_from_db()
        self.factory.refresh_from_db()
        self.assertEqual((self.school.member_count, self.factory.member_count), (0, 2))

    def test_it_refuses_a_unit_outside_write_scope(self):
        self.login(self.alice)
        r = self.client.post(self.url(), {"to_unit": self.port.pk, "moved_on": "15/03/2024"})
        self.assertIn("to_unit", r.context["form"].errors)
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.unit, self.school)

    def test_it_returns_403_for_a_viewer(self):
        self.login(self.bob)
        r = self.client.post(self.url(), {"to_unit": self.factory.pk, "moved_on": "15/03/2024"})
        self.assertEqual(r.status_code, 403)
        self.assertFalse(MemberMove.objects.exists())

    def test_it_returns_404_outside_scope(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        r = self.client.post(self.url(), {"to_unit": self.port.pk, "moved_on": "15/03/2024"})
        self.assertEqual(r.status_code, 404)
        self.assertFalse(MemberMove.objects.exists())


class MemberStatusTests(BaseTestCase):
    def url(self, member=None) -> str:
        return reverse("org:member-status", args=[(member or self.ha).pk])

    def test_it_records_leaving_and_coming_back(self):
        self.login(self.alice)
        r = self.client.post(self.url(), {"status": MemberStatus.LEFT, "on": "30/06/2024"})
        self.assertRedirects(r, reverse("org:member-detail", args=[self.ha.pk]))
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.status, MemberStatus.LEFT)
        self.assertEqual(self.ha.status_changed_on.isoformat(), "2024-06-30")
        self.school.refresh_from_db()
        self.assertEqual(self.school.member_count, 0)
        self.client.post(self.url(), {"status": MemberStatus.ACTIVE, "on": "01/01/2025"})
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.status, MemberStatus.ACTIVE)
        self.school.refresh_from_db()
        self.assertEqual(self.school.member_count, 1)

    def test_it_rejects_the_same_status_and_a_future_date(self):
        self.login(self.alice)
        r = self.client.post(self.url(), {"status": MemberStatus.ACTIVE, "on": "01/01/2999"})
        self.assertEqual(set(r.context["form"].errors), {"status", "on"})

    def test_it_returns_403_for_a_viewer(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        r = self.client.post(self.url(), {"status": MemberStatus.DECEASED, "on": "30/06/2024"})
        self.assertEqual(r.status_code, 403)
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.status, MemberStatus.ACTIVE)

    def test_it_returns_404_outside_scope(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        r = self.client.post(self.url(), {"status": MemberStatus.DECEASED, "on": "30/06/2024"})
        self.assertEqual(r.status_code, 404)
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.status, MemberStatus.ACTIVE)
