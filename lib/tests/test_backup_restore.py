"""`manage.py backup` / `restore` round-trip the demo, with uploaded files, into a second empty
database, on SQLite and (when DATABASE_URL is PostgreSQL) on PostgreSQL; every table and every
file must come back as it was, the audit log without one row more, and a damaged backup, a
non-empty database or a different file already in MEDIA_ROOT must be refused untouched."""

from __future__ import annotations

import json
import os
import shutil

import dj_database_url
import pytest
from django.conf import settings
from django.db.utils import ConnectionHandler
from django.utils import translation

from lib.backup import BackupError, backup_restore
from lib.backup.files import sha256_file
from lib.testing import require_postgresql, require_service
from lib.tests.backup_support import (
    Site,
    configured_database,
    pg_connect,
    pg_create,
    pg_drop,
    pg_tools_present,
)

# One process builds each source site once; the tests below share it.
pytestmark = pytest.mark.xdist_group("backup")

UPLOADS = {
    "awards/evidence/2025/bằng khen – ảnh.jpg": os.urandom(300_000),
    "imports/2025/06/danh sách.xlsx": b"PK\x03\x04" + os.urandom(5000),
    "reports/2025/03/bao-cao.pdf": b"%PDF-1.7\n" + os.urandom(20_000),
    "pilot-models/2025/empty.png": b"",
    "rankings/2024/quyet-dinh.pdf": b"%PDF-1.4 same name, other folder",
}


def _new_site(vendor: str, tmp_path, suffix: str) -> Site:
    if vendor == "sqlite":
        return Site("sqlite", str(tmp_path / f"{suffix}.sqlite3"), tmp_path / f"{suffix}-media")
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # two workers never share a scratch database
    name = f"{configured_database()['NAME']}_{suffix}" + (f"_{worker}" if worker else "")
    pg_create(name)
    return Site("postgresql", name, tmp_path / f"{suffix}-media")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def vendor(request) -> str:
    if request.param == "postgresql":
        require_postgresql("the PostgreSQL round trip runs when DATABASE_URL is PostgreSQL")
        require_service(
            pg_tools_present(),
            "pg_dump and pg_restore are needed (Debian: apt-get install postgresql-client)",
        )
    return request.param


@pytest.fixture(scope="module")
def source(vendor, tmp_path_factory):
    """The demo with uploaded files, and its backup: (site, backup directory, manifest)."""
    tmp = tmp_path_factory.mktemp(f"backup-{vendor}")
    site = _new_site(vendor, tmp, "bksrc")
    site.run("migrate", "--noinput", "-v", "0")
    site.run("load_demo")
    for rel, data in UPLOADS.items():
        (site.media / rel).parent.mkdir(parents=True, exist_ok=True)
        (site.media / rel).write_bytes(data)
    backup = tmp / "backup" / "2025-06-30"  # a new directory, parents included
    out = site.run("backup", str(backup))
    assert "Backup written to" in out
    yield site, backup, json.loads((backup / "manifest.json").read_text())
    if vendor == "postgresql":
        pg_drop(site.db)


@pytest.fixture
def target(vendor, tmp_path):
    """An empty database (a file that does not exist yet, or a new PostgreSQL database)."""
    site = _new_site(vendor, tmp_path, "bkdst")
    yield site
    if vendor == "postgresql":
        pg_drop(site.db)


def _restore_here(site: Site, backup, django_db_blocker) -> list[str]:
    """backup_restore in this process (a refusal needs no new process), into the site's database."""
    conn = ConnectionHandler({"default": dj_database_url.parse(site.url)})["default"]
    lines: list[str] = []
    try:
        with django_db_blocker.unblock(), translation.override("en"):
            backup_restore(directory=backup, connection=conn, media_root=site.media, log=lines.append)
    finally:
        conn.close()
    return lines


@pytest.fixture(scope="module")
def restored(source, vendor, tmp_path_factory):
    """The backup restored by `manage.py restore` into a new, empty database: (site, output)."""
    _site, backup, _manifest = source
    site = _new_site(vendor, tmp_path_factory.mktemp(f"restored-{vendor}"), "bkcopy")
    out = site.run("restore", str(backup))
    yield site, out
    if vendor == "postgresql":
        pg_drop(site.db)


def test_round_trip_restores_every_table_and_file(source, restored):
    site = source[0]
    copy, out = restored

    assert "Checksums verified" in out and "row counts match the manifest" in out
    before, after = site.tables(), copy.tables()
    assert after.keys() == before.keys()
    differ = [t for t in before if after[t] != before[t]]
    assert differ == [], f"tables that differ after the restore: {differ}"
    assert copy.schema() == site.schema()
    assert copy.files() == site.files()
    assert {rel: (copy.media / rel).read_bytes() for rel in UPLOADS} == UPLOADS


def test_restore_does_not_relog_the_audit_trail(source, restored):
    site, _backup, manifest = source
    copy, _out = restored
    table = "auditlog_logentry" if copy.vendor == "sqlite" else "public.auditlog_logentry"

    assert manifest["tables"]["auditlog_logentry"] > 1000  # the demo is audited
    assert copy.tables()[table][0] == manifest["tables"]["auditlog_logentry"]
    assert copy.tables()[table] == site.tables()[table]


def test_restore_keeps_database_triggers_working(restored, vendor):
    """The triggers that refuse changing an issued decision (awards/migrations/0007) come back
    with the data and still refuse: a restore neither trips over them nor leaves them out."""
    copy, _out = restored
    update = "UPDATE awards_decision SET number = 'changed' WHERE status = 'issued'"
    if vendor == "postgresql":
        import psycopg

        with pg_connect(copy.db) as con:
            assert (
                con.execute("SELECT COUNT(*) FROM awards_decision WHERE status = 'issued'").fetchone()[0] > 0
            )
            with pytest.raises(psycopg.errors.RestrictViolation, match="issued decision"):
                con.execute(update)
    else:
        import sqlite3

        con = sqlite3.connect(copy.db)
        try:
            assert (
                con.execute("SELECT COUNT(*) FROM awards_decision WHERE status = 'issued'").fetchone()[0] > 0
            )
            with pytest.raises(sqlite3.IntegrityError, match="issued decision"):
                con.execute(update)
        finally:
            con.close()


def test_manifest_describes_the_backup(source):
    site, backup, manifest = source
    rows = {
        name.removeprefix("public."): n for name, (n, _h) in site.tables().items() if "(sequence)" not in name
    }
    rows.pop("sqlite_sequence", None)

    assert manifest["tables"] == rows
    assert manifest["database"]["vendor"] == site.vendor
    if (settings.BASE_DIR / ".git").exists():
        assert len(manifest["app"]["commit"]) == 40
    assert manifest["migrations"]["awards"][0] == "0001_initial"
    assert manifest["created_at"]
    dump = backup / manifest["database"]["file"]
    assert manifest["database"]["sha256"] == sha256_file(dump)
    assert manifest["database"]["bytes"] == dump.stat().st_size
    assert {rel: f["sha256"] for rel, f in manifest["media"]["files"].items()} == site.files()
    if site.vendor == "postgresql":
        with open(dump, "rb") as f:
            assert f.read(5) == b"PGDMP"  # pg_dump's custom format


def test_restore_refuses_a_database_that_is_not_empty(source):
    site, backup, _manifest = source
    before, files = site.tables(), site.files()

    proc = site.manage("restore", str(backup))

    assert proc.returncode == 1
    assert "is not empty" in proc.stderr
    assert site.tables() == before and site.files() == files


@pytest.mark.parametrize("damage", ["database", "media", "extra file", "manifest path"])
def test_restore_refuses_a_tampered_backup(source, target, tmp_path, damage, django_db_blocker):
    _site, backup, manifest = source
    copy = tmp_path / "tampered"
    shutil.copytree(backup, copy)
    if damage == "database":
        dump = copy / manifest["database"]["file"]
        data = bytearray(dump.read_bytes())
        data[len(data) // 2] ^= 0x01
        dump.write_bytes(bytes(data))
    elif damage == "media":
        (copy / "media" / "reports/2025/03/bao-cao.pdf").write_bytes(b"%PDF-1.7\nforged")
    elif damage == "extra file":
        (copy / "media" / "awards" / "planted.html").write_text("<script>")
    else:
        forged = json.loads((copy / "manifest.json").read_text())
        forged["media"]["files"]["../../outside.txt"] = {"sha256": "0" * 64, "bytes": 1}
        (copy / "manifest.json").write_text(json.dumps(forged))

    with pytest.raises(BackupError, match="damaged or was changed|unsafe file path"):
        _restore_here(target, copy, django_db_blocker)

    assert target.is_empty()
    assert not target.media.exists()
    assert not (tmp_path / "outside.txt").exists()


def test_restore_refuses_a_directory_that_is_not_a_backup(target, tmp_path, django_db_blocker):
    (tmp_path / "not-a-backup").mkdir()
    (tmp_path / "not-a-backup" / "database.dump").write_bytes(b"PGDMP")

    with pytest.raises(BackupError, match="is not a backup: it has no manifest.json"):
        _restore_here(target, tmp_path / "not-a-backup", django_db_blocker)
    assert target.is_empty()


def test_restore_never_replaces_a_different_media_file(source, target, django_db_blocker):
    _site, backup, _manifest = source
    mine = target.media / "imports/2025/06/danh sách.xlsx"
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"someone else's roster")

    with pytest.raises(BackupError, match="already exist in MEDIA_ROOT"):
        _restore_here(target, backup, django_db_blocker)

    assert mine.read_bytes() == b"someone else's roster"
    assert target.is_empty()
    assert target.files() == {"imports/2025/06/danh sách.xlsx": sha256_file(mine)}


def test_restore_keeps_identical_media_files(source, target, django_db_blocker):
    _site, backup, _manifest = source
    same = target.media / "reports/2025/03/bao-cao.pdf"
    same.parent.mkdir(parents=True)
    same.write_bytes(UPLOADS["reports/2025/03/bao-cao.pdf"])

    out = "\n".join(_restore_here(target, backup, django_db_blocker))

    assert f"{len(UPLOADS) - 1} files restored" in out and "1 were already there" in out
    assert target.files() == source[0].files()


def test_backup_refuses_a_directory_that_is_not_empty(source):
    site, backup, _manifest = source
    before = {p.name: p.stat().st_mtime_ns for p in backup.iterdir()}

    proc = site.manage("backup", str(backup))

    assert proc.returncode == 1
    assert "is not empty" in proc.stderr
    assert {p.name: p.stat().st_mtime_ns for p in backup.iterdir()} == before


def test_backup_refuses_a_directory_inside_media_root(source):
    site, _backup, _manifest = source

    proc = site.manage("backup", str(site.media / "backup"))

    assert proc.returncode == 1
    assert "inside MEDIA_ROOT" in proc.stderr
    assert not (site.media / "backup").exists()


def test_backup_diagnoses_a_pg_dump_older_than_the_server(source, tmp_path):
    site = source[0]
    if site.vendor != "postgresql":
        pytest.skip("pg_dump is used on PostgreSQL only")
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)

    proc = site.manage("backup", str(tmp_path / "bk"), PG_BINDIR=str(fake.parent))

    assert proc.returncode == 1
    assert "pg_dump must be of version" in proc.stderr and "postgresql-client-" in proc.stderr
    assert not (tmp_path / "bk").exists()


def test_restore_refuses_a_backup_of_the_other_database_vendor(source, tmp_path):
    site, backup, _manifest = source
    if site.vendor == "sqlite":
        require_postgresql("restoring an SQLite backup into PostgreSQL needs DATABASE_URL on PostgreSQL")
    other = _new_site("postgresql" if site.vendor == "sqlite" else "sqlite", tmp_path, "bkother")
    try:
        proc = other.manage("restore", str(backup))
    finally:
        if other.vendor == "postgresql":
            pg_drop(other.db)

    assert proc.returncode == 1
    assert f"This is a {site.vendor} backup" in proc.stderr
    assert not other.media.exists()
