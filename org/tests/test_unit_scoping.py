from django.urls import reverse

from org.models import UnitStatus
from org.tests.test_restructure_fixtures import RestructureTestCase

READ_PAGES = ["org:unit-detail", "org:unit-children", "org:unit-history", "org:unit-as-of"]
WRITE_PAGES = [
    "org:unit-create",
    "org:unit-edit",
    "org:unit-move",
    "org:unit-merge",
    "org:unit-split",
    "org:unit-dissolve",
]
POST_DATA = {
    "effective_on": "01/07/2025",
    "decision_number": "1",
    "others": "QT.DH.002",
    "into": "QT.DH.002",
    "new_parent": "QT.DH",
    "children_to": "QT.DH",
    "members_to": "QT.DH.002",
    "name": "X",
    "code": "NEW",
    "kind": "grassroots",
    "part1_code": "A",
    "part1_name": "A",
    "part1_kind": "grassroots",
    "part2_code": "B",
    "part2_name": "B",
    "part2_kind": "grassroots",
}


class UnitScopingTests(RestructureTestCase):
    def test_charlie_gets_404_on_every_unit_page_of_alices_subtree(self):
        self.login(self.charlie)
        for unit in (self.dongha, self.school, self.quangtri):
            for name in READ_PAGES + WRITE_PAGES:
                url = reverse(name, args=[unit.pk])
                with self.subTest(name=name, unit=unit.code):
                    self.assertEqual(self.client.get(url).status_code, 404)
                    if name in WRITE_PAGES:
                        self.assertEqual(self.client.post(url, POST_DATA).status_code, 404)
        self.assertEqual(self.fresh(self.school).status, UnitStatus.ACTIVE)

    def test_bob_reads_but_gets_403_on_every_write(self):
        self.login(self.bob)
        for name in READ_PAGES:
            self.assertEqual(self.client.get(reverse(name, args=[self.school.pk])).status_code, 200, name)
        for name in WRITE_PAGES:
            url = reverse(name, args=[self.school.pk])
            with self.subTest(name=name):
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.post(url, POST_DATA).status_code, 403)
        self.assertEqual(self.fresh(self.school).status, UnitStatus.ACTIVE)

    def test_alice_gets_404_above_her_unit(self):
        self.login(self.alice)
        for name in READ_PAGES + WRITE_PAGES:
            self.assertEqual(self.client.get(reverse(name, args=[self.quangtri.pk])).status_code, 404, name)

    def test_alice_cannot_name_a_unit_outside_her_scope_as_a_target(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("org:unit-move", args=[self.school.pk]),
            {"new_parent": "QB.DHO", "effective_on": "01/07/2025", "decision_number": "1"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].errors["new_parent"])
        self.assertEqual(self.parent_of(self.school).pk, self.dongha.pk)
        r = self.client.post(
            reverse("org:unit-merge", args=[self.school.pk]),
            {
                "others": "QB.DHO.001",
                "into": "QT.DH.001",
                "effective_on": "01/07/2025",
                "decision_number": "1",
            },
        )
        self.assertTrue(r.context["form"].errors["others"])
        self.assertEqual(self.fresh(self.port).status, UnitStatus.ACTIVE)
        r = self.client.post(
            reverse("org:unit-dissolve", args=[self.factory.pk]),
            {"members_to": "QT.VL.001", "effective_on": "01/07/2025", "decision_number": "1"},
        )
        self.assertTrue(r.context["form"].errors["members_to"])
        self.assertEqual(self.fresh(self.factory).status, UnitStatus.ACTIVE)
