from django.core.exceptions import ValidationError

from org.models import MemberMove, MemberStatus, UnitEvent, UnitStatus
from org.selectors.history import tree_as_of
from org.services.restructure import unit_dissolve
from org.tests.test_restructure_fixtures import BEFORE, MERGER, RestructureTestCase


class DistrictWindDownTests(RestructureTestCase):
    """Winding down a district federation: its grassroots unions go straight under the province."""

    def test_grassroots_unions_move_under_the_province(self):
        before = self.rollup(self.quangtri)
        unit_dissolve(
            unit=self.dongha,
            transfer_children_to=self.quangtri,
            effective_on=MERGER,
            decision_number="99/QĐ-LĐLĐ",
            acted_by=self.dana,
        )
        for unit in (self.school, self.factory):
            self.assertEqual(self.parent_of(unit).pk, self.quangtri.pk)
        district = self.fresh(self.dongha)
        self.assertEqual((district.status, district.ended_on), (UnitStatus.DISSOLVED, MERGER))
        self.assertEqual(self.parent_of(district).pk, self.quangtri.pk)  # stays where it was, inactive
        after = self.rollup(self.quangtri)
        self.assertEqual(after["members"], before["members"])
        self.assertEqual(after["units"], before["units"] - 1)
        event = UnitEvent.objects.get(kind=UnitEvent.Kind.DISSOLVE)
        self.assertEqual(list(event.targets.values_list("pk", flat=True)), [self.quangtri.pk])

    def test_the_tree_before_shows_the_district_with_its_unions(self):
        unit_dissolve(
            unit=self.dongha,
            transfer_children_to=self.quangtri,
            effective_on=MERGER,
            decision_number="99",
            acted_by=self.dana,
        )
        before = [(u.code, d) for u, d in tree_as_of(root=self.fresh(self.quangtri), on=BEFORE)]
        self.assertIn(("QT.DH", 1), before)
        self.assertIn(("QT.DH.001", 2), before)
        self.assertIn(("QT.DH.002", 2), before)
        after = [(u.code, d) for u, d in tree_as_of(root=self.fresh(self.quangtri), on=MERGER)]
        self.assertNotIn("QT.DH", [c for c, _d in after])
        self.assertIn(("QT.DH.001", 1), after)

    def test_it_refuses_when_active_children_have_nowhere_to_go(self):
        with self.assertRaises(ValidationError) as ctx:
            unit_dissolve(unit=self.dongha, effective_on=MERGER, decision_number="99", acted_by=self.dana)
        self.assertIn("đơn vị trực thuộc đang hoạt động", ctx.exception.messages[0])
        self.assertEqual(self.fresh(self.dongha).status, UnitStatus.ACTIVE)

    def test_it_refuses_when_active_members_have_nowhere_to_go(self):
        with self.assertRaises(ValidationError):
            unit_dissolve(unit=self.factory, effective_on=MERGER, decision_number="99", acted_by=self.alice)
        self.assertEqual(self.fresh(self.factory).status, UnitStatus.ACTIVE)

    def test_members_move_to_the_chosen_unit(self):
        unit_dissolve(
            unit=self.factory,
            transfer_members_to=self.school,
            effective_on=MERGER,
            decision_number="99",
            acted_by=self.alice,
        )
        self.duc.refresh_from_db()
        self.assertEqual(self.duc.unit_id, self.school.pk)
        self.assertTrue(MemberMove.objects.filter(member=self.duc, to_unit=self.school).exists())
        self.assertEqual(self.fresh(self.school).member_count, 2)
        self.assertEqual(self.fresh(self.factory).member_count, 0)

    def test_members_can_be_recorded_as_having_left(self):
        unit_dissolve(
            unit=self.factory,
            members_leave=True,
            effective_on=MERGER,
            decision_number="99",
            acted_by=self.alice,
        )
        self.duc.refresh_from_db()
        self.assertEqual(
            (self.duc.status, self.duc.unit_id, self.duc.status_changed_on),
            (MemberStatus.LEFT, self.factory.pk, MERGER),
        )
        self.assertEqual(self.rollup(self.dongha)["members"], 1)

    def test_it_refuses_a_target_inside_the_dissolved_unit(self):
        with self.assertRaises(ValidationError):
            unit_dissolve(
                unit=self.dongha,
                transfer_children_to=self.school,
                effective_on=MERGER,
                decision_number="99",
                acted_by=self.dana,
            )
