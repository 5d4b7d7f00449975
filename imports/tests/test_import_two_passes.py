"""On SQLite (one write lock for the whole database) the roster import reads and checks the whole
file outside any transaction, then writes in one short transaction that looks the members up again
(the site's writes wait only for that). On PostgreSQL (row locks) it checks and writes each chunk
at once in one transaction: there is no window between check and write to test."""

import tempfile
import unittest
from pathlib import Path
from unittest import mock

from django.db import connection
from django.test import TransactionTestCase
from django.utils import translation

from accounts.models import Role
from imports.members import import_members_file
from imports.members.importer import _Importer
from imports.tests.rosters import cccd, member_rows, write_csv
from imports.tests.test_import_members_file import ImportTestCase
from lib.testing import TreeMixin, make_user
from org.models import Member, Sex
from org.services.members import member_create


def meanwhile(action):
    """Patch the write pass so that `action` runs just before it, as a web request would."""
    original = _Importer.save

    def save(importer):
        action()
        original(importer)

    return mock.patch.object(_Importer, "save", save)


two_passes = unittest.skipUnless(
    connection.vendor == "sqlite",
    "two passes on SQLite only; PostgreSQL checks and writes each chunk at once",
)


@two_passes
class ImportTwoPassesTests(ImportTestCase):
    def test_a_member_added_in_the_unit_meanwhile_is_updated_not_doubled(self):
        def add():
            member_create(unit=self.school, full_name="Người Thêm Trên Web", sex=Sex.MALE, cccd=cccd(1))

        with meanwhile(add):
            result = self.run_import(self.csv(member_rows(3)))

        self.assertTrue(result.ok, result.errors)
        self.assertEqual((result.added, result.updated), (2, 1))
        member = Member.objects.get(cccd=cccd(1))
        self.assertEqual(member.full_name, member_rows(3)[1][0])
        self.assertEqual(member.unit, self.school)  # no unit column: the member stays where it is
        self.assertEqual(Member.objects.filter(cccd__in=[cccd(i) for i in range(3)]).count(), 3)

    def test_a_cccd_taken_outside_the_unit_meanwhile_fails_the_import_and_saves_nothing(self):
        def add():
            member_create(unit=self.port, full_name="Ở Quảng Bình", sex=Sex.FEMALE, cccd=cccd(2))

        members = Member.objects.count()
        with meanwhile(add):
            result = self.run_import(self.csv(member_rows(3)))

        self.assertFalse(result.ok)
        self.assertEqual([(e.row, e.column) for e in result.errors], [(4, "Số CCCD")])
        self.assertEqual((result.added, result.updated), (0, 0))
        self.assertEqual(Member.objects.count(), members + 1)  # only the one added meanwhile


class ImportOutsideTransactionTests(TreeMixin, TransactionTestCase):
    """Needs real transactions: a TestCase runs every test inside one."""

    serialized_rollback = True  # the flush at its end must not take the award catalogue along

    def test_the_file_is_read_outside_a_transaction_on_sqlite_inside_one_on_postgresql(self):
        self.build_tree()
        alice = make_user("alice", self.dongha, Role.Kind.OFFICER)
        seen: list[bool] = []
        with tempfile.TemporaryDirectory() as tmp, translation.override("en"):
            path = write_csv(Path(tmp) / "roster.csv", member_rows(12_000))
            result = import_members_file(
                path=path,
                unit=self.dongha,
                imported_by=alice,
                on_progress=lambda done, total: seen.append(connection.in_atomic_block),
            )
        self.assertTrue(result.ok, result.errors[:3])
        self.assertEqual(result.added, 12_000)
        inside = connection.vendor == "postgresql"
        self.assertEqual(seen, [inside, inside, inside])  # three chunks of 5,000 rows at most
