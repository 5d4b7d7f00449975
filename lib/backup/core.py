"""Backup and restore: a database dump, a copy of MEDIA_ROOT and a manifest that describes both."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import django
from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.backup import postgres, sqlite
from lib.backup.errors import BackupError
from lib.backup.files import (
    damaged,
    file_entry,
    media_conflicts,
    media_copy,
    media_restore,
    safe_relative,
    verify_files,
)
from lib.backup.snapshot import migrations_from

MANIFEST = "manifest.json"
MEDIA_DIR = "media"
FORMAT = "thidua-backup/1"
VENDORS = {"sqlite": sqlite, "postgresql": postgres}

Log = Callable[[str], None]


def _vendor(connection):
    try:
        return VENDORS[connection.vendor]
    except KeyError:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": connection.vendor}
        )


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def app_version() -> dict:
    """The git commit the code runs from, when it runs from a checkout."""

    def git(*args: str) -> str | None:
        try:
            proc = subprocess.run(
                ["git", "-C", str(settings.BASE_DIR), *args], capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return proc.stdout.strip() if proc.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    changes = git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"commit": commit, "modified": bool(changes) if commit else None}


def _prepare_directory(directory: Path, media_root: Path) -> bool:
    """Create the backup directory; True if it was created. Refuses a non-empty one."""
    if directory.exists():
        if not directory.is_dir():
            raise BackupError(_("%(dir)s exists and is not a directory.") % {"dir": directory})
        if any(directory.iterdir()):
            raise BackupError(
                _("%(dir)s is not empty: a backup is never written over another one.") % {"dir": directory}
            )
    if directory.resolve().is_relative_to(media_root.resolve()):
        # MEDIA_ROOT is served to the public under MEDIA_URL, and the backup would copy itself.
        raise BackupError(
            _("The backup cannot be written inside MEDIA_ROOT (%(media)s).") % {"media": media_root}
        )
    created = not directory.exists()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return created


def _discard(directory: Path, created: bool) -> None:
    """Remove a failed backup so that it is neither mistaken for one nor blocks the next try."""
    if created:
        shutil.rmtree(directory, ignore_errors=True)
        return
    for child in directory.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def backup_create(*, directory: Path, connection, media_root: Path, log: Log) -> dict:
    """Dump the database, copy MEDIA_ROOT and write the manifest into a new directory."""
    started = time.monotonic()
    directory = directory.absolute()
    vendor = _vendor(connection)
    created = _prepare_directory(directory, media_root)
    try:
        when = timezone.now()
        dump_path = directory / vendor.DUMP_NAME
        snap = vendor.dump(connection=connection, dest=dump_path, log=log)
        database = {
            "vendor": connection.vendor,
            "file": vendor.DUMP_NAME,
            **snap.info,
            **file_entry(dump_path),
        }
        log(
            _("Database: %(tables)s tables, %(rows)s rows, %(file)s %(size)s.")
            % {
                "tables": len(snap.tables),
                "rows": sum(snap.tables.values()),
                "file": vendor.DUMP_NAME,
                "size": _megabytes(database["bytes"]),
            }
        )
        # After the dump: every file a dumped row names was stored before the row was committed.
        files = media_copy(source=media_root, target=directory / MEDIA_DIR)
        media_bytes = sum(f["bytes"] for f in files.values())
        log(
            _("Media: %(count)s files, %(size)s copied from %(root)s.")
            % {"count": len(files), "size": _megabytes(media_bytes), "root": media_root}
        )
        manifest = {
            "format": FORMAT,
            "created_at": when.isoformat(),
            "app": {"name": "thidua", **app_version(), "django": django.get_version()},
            "database": database,
            "migrations": snap.migrations,
            "tables": snap.tables,
            "media": {"directory": MEDIA_DIR, "bytes": media_bytes, "files": files},
        }
        # Written last: a directory without a manifest is not a backup.
        (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", "utf-8")
    except BaseException:
        _discard(directory, created)
        raise
    log(
        _("Backup written to %(dir)s in %(seconds).1f s (manifest: %(manifest)s).")
        % {"dir": directory, "seconds": time.monotonic() - started, "manifest": MANIFEST}
    )
    return manifest


def manifest_read(directory: Path) -> dict:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("%(dir)s is not a backup: it has no %(manifest)s.") % {"dir": directory, "manifest": MANIFEST}
        )
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise BackupError(_("%(path)s cannot be read: %(error)s") % {"path": path, "error": e})
    try:
        ok = manifest["format"] == FORMAT and all(
            isinstance(x, dict)
            for x in (manifest["database"], manifest["tables"], manifest["media"], manifest["media"]["files"])
        )
        ok = ok and all(k in manifest["database"] for k in ("vendor", "file", "sha256", "bytes"))
    except (KeyError, TypeError):
        ok = False
    if not ok:
        raise BackupError(_("%(path)s is not a manifest this version can read.") % {"path": path})
    return manifest


def _media_dir(directory: Path, manifest: dict) -> Path:
    return directory / safe_relative(manifest["media"].get("directory", MEDIA_DIR))


def _verify(directory: Path, manifest: dict) -> Path:
    """Check the dump and every media file against the manifest; the dump's path."""
    db = manifest["database"]
    dump_path = directory / safe_relative(db["file"])
    if not dump_path.is_file() or file_entry(dump_path) != {"sha256": db["sha256"], "bytes": db["bytes"]}:
        raise damaged(_("%(path)s does not match its checksum") % {"path": db["file"]})
    verify_files(root=_media_dir(directory, manifest), expected=manifest["media"]["files"])
    return dump_path


def _migration_notes(connection) -> list[str]:
    """Whether the restored database is behind or ahead of this code's migrations. Read with SQL,
    not the ORM, which would reach the database through its alias instead of `connection`."""
    loader = MigrationLoader(None, ignore_no_migrations=True)  # the migrations on disk
    with connection.cursor() as cur:
        recorded = migrations_from(cur, connection.introspection.table_names(cur))
    applied = {(app, name) for app, names in recorded.items() for name in names}
    known, pending = set(), 0
    for key, migration in loader.disk_migrations.items():
        known.add(key)
        known.update(migration.replaces)
    for key, migration in loader.graph.nodes.items():
        replaced = migration.replaces and all(r in applied for r in migration.replaces)
        if key not in applied and not replaced:
            pending += 1
    notes = []
    if pending:
        notes.append(
            _("%(count)s migrations of this code are not applied yet: run manage.py migrate.")
            % {"count": pending}
        )
    if applied - known:
        notes.append(
            _("The database has %(count)s migrations this code does not know: it comes from a newer version.")
            % {"count": len(applied - known)}
        )
    return notes


def backup_restore(*, directory: Path, connection, media_root: Path, log: Log) -> dict[str, int]:
    """Restore a backup into an empty database and MEDIA_ROOT; the row counts restored.

    Everything is checked before anything is written: the checksums, that the database is empty,
    that no existing media file would be replaced. The database is restored below the ORM, so no
    Django signal fires and the audit log holds exactly the rows of the backup."""
    started = time.monotonic()
    directory = directory.absolute()
    manifest = manifest_read(directory)
    vendor = _vendor(connection)
    db = manifest["database"]
    if db["vendor"] != connection.vendor:
        raise BackupError(
            _("This is a %(backup)s backup; the configured database is %(db)s.")
            % {"backup": db["vendor"], "db": connection.vendor}
        )
    dump_path = _verify(directory, manifest)
    files = manifest["media"]["files"]
    log(
        _(
            "Checksums verified: the database file and %(count)s media files (backup of %(when)s, commit %(commit)s)."
        )
        % {
            "count": len(files),
            "when": manifest.get("created_at", "?"),
            "commit": (manifest.get("app") or {}).get("commit") or "-",
        }
    )
    prepared = vendor.restore_prepare(connection=connection, info=db, log=log)
    conflicts = media_conflicts(target=media_root, files=files)
    if conflicts:
        raise BackupError(
            _(
                "%(count)s files already exist in MEDIA_ROOT (%(root)s) with other content, e.g. %(names)s. Nothing was restored."
            )
            % {"count": len(conflicts), "root": media_root, "names": ", ".join(conflicts[:3])}
        )
    # Media first: if the database step fails, the database is still empty and a second run
    # finds the files already in place.
    copied, present = media_restore(source=_media_dir(directory, manifest), target=media_root, files=files)
    log(
        _("Media: %(copied)s files restored into %(root)s, %(present)s were already there.")
        % {"copied": copied, "root": media_root, "present": present}
    )
    vendor.restore(connection=connection, source=dump_path, info=db, prepared=prepared, log=log)
    counts = vendor.current_counts(connection)
    expected = manifest["tables"]
    wrong = sorted(t for t in expected.keys() | counts.keys() if counts.get(t) != expected.get(t))
    if wrong:
        raise BackupError(
            _("The restored row counts differ from the manifest in %(count)s tables: %(tables)s")
            % {
                "count": len(wrong),
                "tables": ", ".join(f"{t} ({counts.get(t)} ≠ {expected.get(t)})" for t in wrong[:10]),
            }
        )
    log(
        _("Database: %(tables)s tables, %(rows)s rows restored; the row counts match the manifest.")
        % {"tables": len(counts), "rows": sum(counts.values())}
    )
    for note in _migration_notes(connection):
        log(note)
    log(_("Restore finished in %(seconds).1f s.") % {"seconds": time.monotonic() - started})
    return counts
