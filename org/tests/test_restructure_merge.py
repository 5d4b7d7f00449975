import datetime

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from org.models import Member, MemberMove, MemberStatus, Unit, UnitEvent, UnitLink, UnitStatus
from org.selectors.history import tree_as_of
from org.services.restructure import units_merge
from org.tests.test_restructure_fixtures import BEFORE, MERGER, RestructureTestCase


class ProvinceMergerTests(RestructureTestCase):
    """The 2025 merger of Quảng Bình and Quảng Trị into one province."""

    def merge_into_quangtri(self) -> Unit:
        return self.merge_quangbinh_into_quangtri("1680/QĐ-TLĐ", note="Sáp nhập tỉnh")

    def test_members_and_children_of_the_old_province_move_to_the_survivor(self):
        survivor = self.merge_into_quangtri()
        self.assertEqual(survivor.pk, self.quangtri.pk)
        for unit in (self.donghoi, self.botrach):
            self.assertEqual(self.parent_of(unit).pk, self.quangtri.pk)
        self.assertTrue(self.fresh(self.port).path.startswith(self.fresh(self.quangtri).path))
        self.qb_staff.refresh_from_db()
        self.assertEqual(self.qb_staff.unit_id, self.quangtri.pk)
        move = MemberMove.objects.get(member=self.qb_staff)
        self.assertEqual(
            (move.from_unit_id, move.to_unit_id, move.moved_on), (self.quangbinh.pk, self.quangtri.pk, MERGER)
        )
        self.assertEqual(move.created_by, self.dana)

    def test_the_survivors_counts_add_up_to_the_old_provinces(self):
        qt, qb = self.rollup(self.quangtri), self.rollup(self.quangbinh)
        self.assertEqual(qb["members"], 4)  # port 1 + cement 2 + office 1
        self.merge_into_quangtri()
        after = self.rollup(self.quangtri)
        self.assertEqual(after["members"], qt["members"] + qb["members"])
        self.assertEqual(after["female"], qt["female"] + qb["female"])
        # Quảng Bình's active units below (2 districts, 2 grassroots) join; Quảng Bình itself does not.
        self.assertEqual(after["units"], qt["units"] + qb["units"])
        old = self.fresh(self.quangbinh)
        self.assertEqual((old.member_count, old.female_count), (0, 0))

    def test_the_old_province_ends_but_stays_readable_inside_the_survivor(self):
        self.merge_into_quangtri()
        old = self.fresh(self.quangbinh)
        self.assertEqual(old.status, UnitStatus.MERGED)
        self.assertEqual(old.ended_on, MERGER)
        self.assertEqual(old.successor_id, self.quangtri.pk)
        self.assertEqual(self.parent_of(old).pk, self.quangtri.pk)
        links = list(UnitLink.objects.filter(unit=old).order_by("id"))
        self.assertEqual(
            [(lk.parent_id, lk.valid_to) for lk in links], [(self.root.pk, MERGER), (self.quangtri.pk, None)]
        )
        event = UnitEvent.objects.get(kind=UnitEvent.Kind.MERGE)
        self.assertEqual(event.decision_number, "1680/QĐ-TLĐ")
        self.assertEqual(
            set(event.sources.values_list("pk", flat=True)), {self.quangbinh.pk, self.quangtri.pk}
        )
        self.assertEqual(list(event.targets.values_list("pk", flat=True)), [self.quangtri.pk])

    def test_the_tree_before_the_merger_shows_both_provinces_with_their_units(self):
        self.merge_into_quangtri()
        before = {u.code: depth for u, depth in tree_as_of(root=self.fresh(self.root), on=BEFORE)}
        self.assertEqual(before["QB"], 1)
        self.assertEqual(before["QB.DHO"], 2)
        self.assertEqual(before["QB.DHO.001"], 3)
        self.assertEqual(before["QB.BT.001"], 3)
        rows = tree_as_of(root=self.fresh(self.quangbinh), on=BEFORE)
        self.assertEqual([u.code for u, _d in rows], ["QB", "QB.BT", "QB.BT.001", "QB.DHO", "QB.DHO.001"])

    def test_the_tree_after_the_merger_shows_the_new_shape(self):
        self.merge_into_quangtri()
        rows = tree_as_of(root=self.fresh(self.root), on=MERGER)
        codes = {u.code: depth for u, depth in rows}
        self.assertNotIn("QB", codes)
        self.assertEqual(codes["QB.DHO"], 2)
        self.assertEqual(codes["QB.BT.001"], 3)
        qt_index = [u.code for u, _d in rows].index("QT")
        self.assertIn("QB.DHO", [u.code for u, d in rows[qt_index:] if d == 2])
        self.assertEqual(tree_as_of(root=self.fresh(self.quangbinh), on=MERGER), [])

    def test_it_records_the_actor_in_the_audit_log(self):
        self.merge_into_quangtri()
        entry = (
            LogEntry.objects.get_for_object(self.fresh(self.quangbinh))
            .filter(action=LogEntry.Action.UPDATE)
            .first()
        )
        self.assertEqual(entry.actor, self.dana)

    def test_it_can_create_a_new_unit_for_the_merged_provinces(self):
        new = units_merge(
            sources=[self.quangbinh, self.quangtri],
            new_unit={
                "code": "QT2025",
                "name": "Liên đoàn Lao động tỉnh Quảng Trị (mới)",
                "kind": "province",
            },
            effective_on=MERGER,
            decision_number="1680/QĐ-TLĐ",
            acted_by=self.dana,
        )
        self.assertEqual(self.parent_of(new).pk, self.root.pk)
        self.assertEqual(new.established_on, MERGER)
        for old in (self.quangbinh, self.quangtri):
            old = self.fresh(old)
            self.assertEqual((old.status, old.successor_id), (UnitStatus.MERGED, new.pk))
        self.assertEqual(self.rollup(new)["members"], 9)
        self.assertEqual(self.parent_of(self.dongha).pk, new.pk)
        before = {u.code for u, _d in tree_as_of(root=self.fresh(self.root), on=BEFORE)}
        after = {u.code for u, _d in tree_as_of(root=self.fresh(self.root), on=MERGER)}
        self.assertIn("QT", before)
        self.assertNotIn("QT2025", before)
        self.assertEqual(after & {"QT", "QB", "QT2025"}, {"QT2025"})
        self.assertIn("QT.DH.001", after)


class GrassrootsMergerTests(RestructureTestCase):
    def test_members_follow_and_counts_are_right(self):
        self.merge_factory_into_school("12/QĐ-LĐLĐ")
        self.duc.refresh_from_db()
        self.assertEqual(self.duc.unit_id, self.school.pk)
        self.assertTrue(
            MemberMove.objects.filter(
                member=self.duc, from_unit=self.factory, to_unit=self.school, event__kind=UnitEvent.Kind.MERGE
            ).exists()
        )
        school, factory = self.fresh(self.school), self.fresh(self.factory)
        self.assertEqual((school.member_count, school.female_count), (2, 1))
        self.assertEqual((factory.member_count, factory.status), (0, UnitStatus.MERGED))
        self.assertEqual(self.rollup(self.dongha)["members"], 2)
        self.assertEqual(self.rollup(self.dongha)["units"], 1)
        self.assertEqual(self.parent_of(factory).pk, self.school.pk)

    def test_inactive_members_follow_too_without_counting(self):
        Member.objects.filter(pk=self.duc.pk).update(status=MemberStatus.LEFT)
        self.merge_factory_into_school()
        self.duc.refresh_from_db()
        self.assertEqual(self.duc.unit_id, self.school.pk)
        self.assertEqual(self.fresh(self.school).member_count, 1)

    def test_it_refuses_inactive_units(self):
        self.merge_factory_into_school()
        with self.assertRaises(ValidationError):
            units_merge(
                sources=[self.fresh(self.factory), self.port],
                into=self.port,
                effective_on=MERGER,
                decision_number="13",
                acted_by=self.dana,
            )

    def test_it_refuses_to_merge_a_unit_with_its_own_descendant(self):
        with self.assertRaises(ValidationError):
            units_merge(
                sources=[self.dongha, self.school],
                into=self.school,
                effective_on=MERGER,
                decision_number="14",
                acted_by=self.dana,
            )
        self.assertEqual(self.fresh(self.dongha).status, UnitStatus.ACTIVE)

    def test_it_needs_a_survivor_or_a_new_unit(self):
        with self.assertRaises(ValidationError):
            units_merge(sources=[self.factory, self.school], effective_on=MERGER, decision_number="15")

    def test_it_refuses_a_date_before_the_units_last_move(self):
        self.merge_factory_into_school()
        with self.assertRaises(ValidationError):
            units_merge(
                sources=[self.fresh(self.school), self.hospital],
                into=self.hospital,
                effective_on=datetime.date(2019, 1, 1),
                decision_number="16",
                acted_by=self.dana,
            )
