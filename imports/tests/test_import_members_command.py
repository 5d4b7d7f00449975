import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from imports.tests.rosters import cccd, member_rows, write_csv
from lib.testing import BaseTestCase
from org.models import Member


class ImportMembersCommandTests(BaseTestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = Path(tmp.name)

    def call(self, path: Path, *args: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command("import_members", str(path), *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_imports_and_prints_the_summary(self):
        path = write_csv(self.dir / "r.csv", member_rows(4))
        out, err = self.call(path, "--unit", "QT.DH.001", "--user", "alice")
        self.assertIn("4 added, 0 updated, 0 unchanged", out)
        self.assertEqual(err, "")
        self.assertEqual(Member.objects.filter(unit=self.school).count(), 5)

    def test_it_prints_every_error_to_stderr_and_exits_with_status_1(self):
        rows = member_rows(4)
        rows[1][0] = ""
        rows[3][3] = rows[2][3]
        path = write_csv(self.dir / "r.csv", rows)
        out, err = StringIO(), StringIO()

        with self.assertRaises(CommandError) as ctx:
            call_command("import_members", str(path), "--unit", "QT.DH", stdout=out, stderr=err)

        self.assertEqual(ctx.exception.returncode, 1)
        lines = err.getvalue().splitlines()
        self.assertEqual(
            [line.split("\t")[:2] for line in lines],
            [["row 3", "Họ và tên"], ["row 4", "Số CCCD"], ["row 5", "Số CCCD"]],
        )
        self.assertIn(cccd(2), lines[1])
        self.assertFalse(Member.objects.filter(cccd__in=[cccd(i) for i in range(4)]).exists())

    def test_it_refuses_an_unknown_unit(self):
        path = write_csv(self.dir / "r.csv", member_rows(1))
        with self.assertRaises(CommandError):
            self.call(path, "--unit", "NOPE")
