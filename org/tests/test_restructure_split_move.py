from django.core.exceptions import ValidationError

from org.models import MemberMove, Sex, Unit, UnitEvent, UnitLink, UnitStatus
from org.selectors.history import tree_as_of
from org.services.members import member_create
from org.services.restructure import unit_move, unit_split
from org.tests.test_restructure_fixtures import BEFORE, MERGER, RestructureTestCase


class UnitSplitTests(RestructureTestCase):
    def test_listed_members_and_children_go_to_their_part(self):
        extra = member_create(unit=self.factory, full_name="Ngô Thị Yến", sex=Sex.FEMALE, cccd="045190000021")
        a, b = unit_split(
            unit=self.fresh(self.factory),
            parts=[
                {"code": "QT.DH.002A", "name": "Công đoàn Xưởng may 1", "kind": "grassroots"},
                {
                    "code": "QT.DH.002B",
                    "name": "Công đoàn Xưởng may 2",
                    "kind": "grassroots",
                    "members": [extra],
                },
            ],
            effective_on=MERGER,
            decision_number="5/QĐ",
            acted_by=self.alice,
        )
        self.duc.refresh_from_db()
        extra.refresh_from_db()
        self.assertEqual(self.duc.unit_id, a.pk)  # not listed: goes to the first part
        self.assertEqual(extra.unit_id, b.pk)
        self.assertEqual((a.member_count, b.member_count, b.female_count), (1, 1, 1))
        for part in (a, b):
            self.assertEqual(self.parent_of(part).pk, self.dongha.pk)
            self.assertEqual(part.established_on, MERGER)
        old = self.fresh(self.factory)
        self.assertEqual((old.status, old.ended_on, old.member_count), (UnitStatus.SPLIT, MERGER, 0))
        self.assertEqual(MemberMove.objects.filter(event__kind=UnitEvent.Kind.SPLIT).count(), 2)
        self.assertEqual(self.rollup(self.dongha)["members"], 3)
        before = [u.code for u, _d in tree_as_of(root=self.fresh(self.dongha), on=BEFORE)]
        self.assertEqual(before, ["QT.DH", "QT.DH.001", "QT.DH.002"])

    def test_children_move_to_the_part_that_takes_them(self):
        a, b = unit_split(
            unit=self.quangtri,
            parts=[
                {"code": "QT.N", "name": "Bắc", "kind": "province", "children": [self.vinhlinh]},
                {"code": "QT.S", "name": "Nam", "kind": "province", "children": [self.dongha]},
            ],
            effective_on=MERGER,
            decision_number="6",
            acted_by=self.dana,
        )
        self.assertEqual(self.parent_of(self.vinhlinh).pk, a.pk)
        self.assertEqual(self.parent_of(self.dongha).pk, b.pk)
        self.assertEqual(self.rollup(b)["members"], 2)
        self.assertEqual(self.fresh(a).member_count, 1)  # the province office's member went to part 1

    def test_it_refuses_a_child_of_another_unit(self):
        with self.assertRaises(ValidationError):
            unit_split(
                unit=self.dongha,
                parts=[
                    {"code": "X1", "name": "X1", "kind": "district", "children": [self.hospital]},
                    {"code": "X2", "name": "X2", "kind": "district"},
                ],
                effective_on=MERGER,
                decision_number="7",
                acted_by=self.dana,
            )
        self.assertEqual(self.fresh(self.dongha).status, UnitStatus.ACTIVE)

    def test_it_needs_two_parts(self):
        with self.assertRaises(ValidationError):
            unit_split(
                unit=self.dongha,
                parts=[{"code": "X1", "name": "X1", "kind": "district"}],
                effective_on=MERGER,
                decision_number="7",
            )


class UnitMoveTests(RestructureTestCase):
    def test_it_moves_the_subtree_and_keeps_the_parent_history(self):
        before = self.rollup(self.vinhlinh)["members"]
        unit_move(
            unit=self.school,
            new_parent=self.vinhlinh,
            effective_on=MERGER,
            decision_number="8",
            acted_by=self.dana,
        )
        self.assertEqual(self.parent_of(self.school).pk, self.vinhlinh.pk)
        self.assertEqual(self.rollup(self.vinhlinh)["members"], before + 1)
        self.assertEqual(self.rollup(self.dongha)["members"], 1)
        links = list(
            UnitLink.objects.filter(unit=self.school).order_by("id").values_list("parent_id", "valid_to")
        )
        self.assertEqual(links, [(self.dongha.pk, MERGER), (self.vinhlinh.pk, None)])
        old = [(u.code, d) for u, d in tree_as_of(root=self.fresh(self.quangtri), on=BEFORE)]
        self.assertIn(("QT.DH.001", 2), old)
        self.assertEqual([c for c, _d in old].index("QT.DH.001"), [c for c, _d in old].index("QT.DH") + 1)

    def test_it_moves_a_whole_district_with_its_unions(self):
        unit_move(
            unit=self.dongha,
            new_parent=self.quangbinh,
            effective_on=MERGER,
            decision_number="9",
            acted_by=self.dana,
        )
        self.assertTrue(self.fresh(self.school).path.startswith(self.fresh(self.quangbinh).path))
        self.assertEqual(self.rollup(self.quangbinh)["members"], 6)

    def test_it_refuses_to_move_a_unit_under_its_own_descendant(self):
        for target in (self.school, self.dongha):
            with self.assertRaises(ValidationError):
                unit_move(unit=self.dongha, new_parent=target, effective_on=MERGER, decision_number="10")
        self.assertEqual(self.parent_of(self.dongha).pk, self.quangtri.pk)

    def test_it_refuses_inactive_units(self):
        unit_move(unit=self.school, new_parent=self.vinhlinh, effective_on=MERGER, decision_number="8")
        Unit.objects.filter(pk=self.hospital.pk).update(status=UnitStatus.DISSOLVED)
        with self.assertRaises(ValidationError):
            unit_move(unit=self.school, new_parent=self.hospital, effective_on=MERGER, decision_number="11")
