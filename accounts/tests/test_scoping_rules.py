"""The scope questions of accounts/scoping.py, for each member of the cast."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from accounts.scoping import (
    can_administer,
    can_read,
    can_write,
    role_holders,
    role_units,
    scoped,
    visible_units,
    writable_role_units,
    writable_units,
)
from lib.testing import BaseTestCase, make_user
from org import tree
from org.models import Member, Unit, UnitStatus


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


class ScopingRulesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.root_user = User.objects.create_superuser(username="root", password="x")

    def test_a_superuser_reads_and_writes_everything(self):
        self.assertEqual(
            codes(visible_units(user=self.root_user)),
            codes(writable_units(user=self.alice)) | {"TLD", "QT", "QB", "QB.DHO", "QB.DHO.001"},
        )
        self.assertTrue(can_write(user=self.root_user, unit=self.port))
        self.assertTrue(can_administer(user=self.root_user, unit=None))

    def test_a_superuser_acts_for_the_top_units(self):
        self.assertEqual(codes(writable_role_units(user=self.root_user)), {"TLD", "QT", "QB"})
        self.assertEqual(codes(role_units(user=self.root_user)), set())

    def test_an_inactive_superuser_gets_nothing(self):
        self.root_user.is_active = False
        self.assertEqual(codes(visible_units(user=self.root_user)), set())
        self.assertFalse(can_read(user=self.root_user, unit=self.root))

    def test_a_writer_acts_for_their_role_unit_and_writes_below_it(self):
        self.assertEqual(codes(writable_role_units(user=self.alice)), {"QT.DH"})
        self.assertEqual(codes(role_units(user=self.alice)), {"QT.DH"})
        self.assertEqual(codes(writable_units(user=self.alice)), {"QT.DH", "QT.DH.001", "QT.DH.002"})
        self.assertTrue(can_write(user=self.alice, unit=self.school))
        self.assertFalse(can_write(user=self.alice, unit=self.quangtri))

    def test_a_reader_sees_but_acts_for_nothing(self):
        self.assertEqual(codes(visible_units(user=self.bob)), {"QT.DH", "QT.DH.001", "QT.DH.002"})
        self.assertEqual(codes(role_units(user=self.bob)), {"QT.DH"})
        self.assertEqual(codes(writable_role_units(user=self.bob)), set())
        self.assertFalse(can_write(user=self.bob, unit=self.school))

    def test_an_inactive_unit_is_not_acted_for(self):
        self.dongha.status = UnitStatus.DISSOLVED
        self.dongha.save(update_fields=["status"])
        self.assertEqual(codes(writable_role_units(user=self.alice)), set())
        self.assertIn("QT.DH", codes(visible_units(user=self.alice)))  # still readable

    def test_another_province_gets_nothing_of_alices(self):
        seen = codes(visible_units(user=self.charlie))
        self.assertEqual(seen, {"QB", "QB.DHO", "QB.DHO.001"})
        self.assertFalse(can_read(user=self.charlie, unit=self.school))
        self.assertFalse(can_write(user=self.charlie, unit=self.dongha))
        self.assertFalse(can_administer(user=self.charlie, unit=None))

    def test_role_holders_are_those_at_exactly_the_units(self):
        make_user("dora", self.quangtri, Role.Kind.VIEWER)
        holders = role_holders(unit_ids=[self.dongha.pk])
        self.assertEqual(set(holders.values_list("user__username", flat=True)), {"alice", "bob"})
        writers = role_holders(unit_ids=[self.dongha.pk, self.quangtri.pk], write=True)
        self.assertEqual(set(writers.values_list("user__username", flat=True)), {"alice"})


class ScopedWithinTests(BaseTestCase):
    """`scoped(..., within=unit)`: the unit's subtree when the user may read it, nothing when not,
    and the subtree as the only path condition (two make PostgreSQL guess a handful of units)."""

    def names(self, queryset) -> set[str]:
        return set(queryset.values_list("full_name", flat=True))

    def test_a_readable_unit_gives_its_subtree(self):
        members = scoped(Member.objects.all(), user=self.alice, within=self.dongha)
        self.assertEqual(self.names(members), {self.ha.full_name, self.duc.full_name})
        units = scoped(Unit.objects.all(), user=self.alice, unit_field="", within=self.factory)
        self.assertEqual(codes(units), {self.factory.code})
        everything = scoped(
            Member.objects.all(),
            user=User.objects.create_superuser("r2", password="x"),
            within=self.quangbinh,
        )
        self.assertEqual(self.names(everything), {self.lan.full_name})

    def test_a_unit_out_of_scope_gives_nothing(self):
        self.assertFalse(scoped(Member.objects.all(), user=self.alice, within=self.quangbinh).exists())
        self.assertFalse(scoped(Member.objects.all(), user=self.bob, within=self.dongha, write=True).exists())
        self.assertTrue(scoped(Member.objects.all(), user=self.bob, within=self.dongha).exists())
        self.assertTrue(
            scoped(Member.objects.all(), user=self.alice, within=self.dongha, write=True).exists()
        )

    def test_the_subtree_is_the_only_unit_condition(self):
        with CaptureQueriesContext(connection) as queries:
            list(scoped(Member.objects.all(), user=self.alice, within=self.school))
        sql = queries.captured_queries[-1]["sql"]
        self.assertEqual(sql.count(tree.key(self.school)), 1, sql)
        self.assertEqual(sql.count(" LIKE "), 1, sql)
