"""SQLite: a snapshot through the online backup API, and the way back into an empty file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.utils.translation import gettext as _

from lib.backup.errors import BackupError
from lib.backup.snapshot import Snapshot, migrations_from, table_counts

DUMP_NAME = "database.sqlite3"
# Any table, index, view or trigger makes a database "not empty"; tables are named first.
USER_OBJECTS = (
    "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
    "ORDER BY type <> 'table', name"
)


def database_path(connection) -> Path:
    if connection.is_in_memory_db():
        raise BackupError(_("An in-memory SQLite database cannot be backed up or restored."))
    return Path(connection.settings_dict["NAME"]).resolve()


def table_names(cur) -> list[str]:
    cur.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "ORDER BY name"
    )
    return [name for (name,) in cur.fetchall()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _integrity(con, message: str) -> None:
    result = con.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(message % {"result": result})


def dump(*, connection, dest: Path, log) -> Snapshot:
    """Copy the live database into dest with the backup API; counts are read from the copy."""
    path = database_path(connection)
    connection.ensure_connection()
    source = connection.connection
    journal_mode = source.execute("PRAGMA journal_mode").fetchone()[0]
    log(_("Backing up the SQLite database %(path)s (online backup API)...") % {"path": path})
    target = sqlite3.connect(dest)
    try:
        # One step (pages=-1): the copy is read inside one read transaction, a consistent
        # snapshot that the site and the worker keep writing past (WAL) while it is taken.
        source.backup(target)
        # Rollback-journal mode makes the copy one self-contained file (no -wal/-shm beside it).
        target.execute("PRAGMA journal_mode=DELETE")
        _integrity(target, _("The copy failed SQLite's integrity check: %(result)s"))
        cur = target.cursor()
        names = table_names(cur)
        tables = table_counts(cur, names, _quote)
        migrations = migrations_from(cur, names)
    finally:
        target.close()
    info = {
        "format": "sqlite3 online backup",
        "name": str(path),
        "journal_mode": journal_mode,
        "sqlite_version": sqlite3.sqlite_version,
    }
    return Snapshot(info=info, tables=tables, migrations=migrations)


def restore_prepare(*, connection, info: dict, log) -> Path:
    """The configured file, when it may receive the backup: missing, or without any table."""
    path = database_path(connection)
    if not path.exists():
        return path
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True)
        try:
            objects = con.execute(USER_OBJECTS).fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(
            _("%(path)s is not a usable SQLite database: %(error)s") % {"path": path, "error": e}
        )
    if objects:
        raise BackupError(
            _(
                "The database %(path)s is not empty: it has %(count)s tables, indexes or other schema "
                "objects (%(names)s, ...). Restore only into a new database: move this file away or set "
                "DATABASE_URL to a new file."
            )
            % {"path": path, "count": len(objects), "names": ", ".join(n for _type, n in objects[:3])}
        )
    return path


def restore(*, connection, source: Path, info: dict, prepared: Path, log) -> None:
    """Write the backup into the configured file with the backup API (page by page, under a lock;
    no SQL is replayed, so no trigger or Django signal fires)."""
    path = prepared
    connection.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    log(_("Restoring the SQLite database into %(path)s...") % {"path": path})
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(path)
    try:
        src.backup(dst)
        if info.get("journal_mode") == "wal":
            dst.execute("PRAGMA journal_mode=WAL")
        _integrity(dst, _("The restored database failed SQLite's integrity check: %(result)s"))
    finally:
        src.close()
        dst.close()


def current_counts(connection) -> dict[str, int]:
    """Rows per table as the site sees them now (after a restore)."""
    with connection.cursor() as cur:
        return table_counts(cur, table_names(cur), _quote)
