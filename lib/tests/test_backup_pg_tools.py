"""pg_dump and pg_restore are chosen by the server's major version: the matching one when
installed (Debian keeps each version in /usr/lib/postgresql/<major>/bin), otherwise a newer one,
never an older one, and a clear message of what to install when none fits."""

import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase, override_settings
from django.utils import translation

from lib.backup import BackupError, postgres


def fake_tool(folder: Path, name: str, version: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version} (Debian {version}-1)'\n")
    path.chmod(0o755)
    return path


@override_settings(PG_BINDIR="")
class FindToolTests(SimpleTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.enterContext(translation.override("en"))
        patches = [
            mock.patch.object(postgres, "DEBIAN_ROOT", self.tmp / "usr-lib-postgresql"),
            mock.patch.object(postgres.shutil, "which", return_value=None),
        ]
        for p in patches:
            p.start()
            self.addCleanup(p.stop)

    def debian(self, name: str, *versions: str) -> dict[str, Path]:
        root = postgres.DEBIAN_ROOT
        return {v: fake_tool(root / v.split(".")[0] / "bin", name, v) for v in versions}

    def test_it_takes_the_version_of_the_server(self):
        tools = self.debian("pg_dump", "14.12", "15.20", "16.4")
        self.assertEqual(postgres.find_tool("pg_dump", want=15, minimum=15), (str(tools["15.20"]), "15.20"))

    def test_it_takes_the_newest_when_the_servers_version_is_missing(self):
        tools = self.debian("pg_dump", "14.12", "16.4", "17.1")
        self.assertEqual(postgres.find_tool("pg_dump", want=15, minimum=15), (str(tools["17.1"]), "17.1"))

    def test_it_refuses_a_pg_dump_older_than_the_server(self):
        self.debian("pg_dump", "13.16", "14.12")
        with self.assertRaisesMessage(
            BackupError, "pg_dump must be of version 15 or later; found only"
        ) as cm:
            postgres.find_tool("pg_dump", want=15, minimum=15)
        self.assertIn("14.12", str(cm.exception))
        self.assertIn("apt-get install postgresql-client-15", str(cm.exception))

    def test_it_says_what_to_install_when_none_is_found(self):
        with self.assertRaisesMessage(BackupError, "pg_restore was not found."):
            postgres.find_tool("pg_restore", want=16, minimum=15)

    def test_pg_restore_must_read_what_a_newer_pg_dump_wrote(self):
        tools = self.debian("pg_restore", "15.20", "16.4")
        # Server 15, archive written by pg_dump 16: only pg_restore 16 can read it.
        self.assertEqual(postgres.find_tool("pg_restore", want=15, minimum=16), (str(tools["16.4"]), "16.4"))

    def test_it_uses_the_one_on_the_path_too(self):
        on_path = fake_tool(self.tmp / "bin", "pg_dump", "15.8")
        with mock.patch.object(postgres.shutil, "which", return_value=str(on_path)):
            self.assertEqual(postgres.find_tool("pg_dump", want=15, minimum=15), (str(on_path), "15.8"))

    def test_pg_bindir_is_the_only_place_looked_at(self):
        self.debian("pg_dump", "15.20")
        chosen = fake_tool(self.tmp / "chosen", "pg_dump", "14.12")
        with override_settings(PG_BINDIR=str(chosen.parent)):
            with self.assertRaisesMessage(BackupError, "found only"):
                postgres.find_tool("pg_dump", want=15, minimum=15)
            fake_tool(self.tmp / "chosen", "pg_dump", "15.3")
            self.assertEqual(postgres.find_tool("pg_dump", want=15, minimum=15), (str(chosen), "15.3"))

    def test_a_program_that_does_not_run_is_ignored(self):
        broken = self.tmp / "usr-lib-postgresql" / "15" / "bin" / "pg_dump"
        broken.parent.mkdir(parents=True)
        broken.write_text("not a program")
        broken.chmod(0o755)
        with self.assertRaisesMessage(BackupError, "pg_dump was not found."):
            postgres.find_tool("pg_dump", want=15, minimum=15)
