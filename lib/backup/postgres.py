"""PostgreSQL: pg_dump (custom format) from one exported snapshot, pg_restore into an empty
database. The client programs must be able to talk to the server: a pg_dump older than the
server refuses to dump it, and a pg_restore older than the pg_dump that wrote an archive cannot
read it, so both are chosen by major version (Debian installs each version side by side)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from lib.backup.errors import BackupError
from lib.backup.snapshot import Snapshot, migrations_from, table_counts

DUMP_NAME = "database.dump"
DEBIAN_ROOT = Path("/usr/lib/postgresql")  # Debian/Ubuntu: /usr/lib/postgresql/<major>/bin/
SYSTEM_SCHEMA = "n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'"
NOT_FROM_EXTENSION = (
    "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{catalog}'::regclass "
    "AND d.objid = {oid} AND d.deptype = 'e')"
)
TABLES = f"""
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND {SYSTEM_SCHEMA}
      AND {NOT_FROM_EXTENSION.format(catalog="pg_class", oid="c.oid")}
    ORDER BY 1, 2"""
# Anything a restore would collide with: relations (tables, views, sequences, ...) and functions;
# tables are named first.
USER_OBJECTS = f"""
    SELECT c.relkind NOT IN ('r', 'p'), n.nspname || '.' || c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {SYSTEM_SCHEMA}
      AND {NOT_FROM_EXTENSION.format(catalog="pg_class", oid="c.oid")}
    UNION ALL
    SELECT true, n.nspname || '.' || p.proname || '()' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE {SYSTEM_SCHEMA} AND {NOT_FROM_EXTENSION.format(catalog="pg_proc", oid="p.oid")}
    ORDER BY 1, 2"""
ENV = {  # settings_dict / OPTIONS key -> libpq environment variable
    "HOST": "PGHOST",
    "PORT": "PGPORT",
    "USER": "PGUSER",
    "PASSWORD": "PGPASSWORD",
    "NAME": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


# -- client programs ----------------------------------------------------------------------------


def tool_version(path: str) -> tuple[int, str] | None:
    """(major, "15.20") of a PostgreSQL client program, or None if it does not run."""
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"\)\s*(\d+)(?:\.(\d+))?", out)
    if not m:
        return None
    return int(m.group(1)), m.group(0).lstrip(") \t")


def _candidates(name: str) -> list[str]:
    if settings.PG_BINDIR:  # the operator's choice, and only that
        return [str(Path(settings.PG_BINDIR) / name)]
    found = [str(p) for p in DEBIAN_ROOT.glob(f"*/bin/{name}")]
    on_path = shutil.which(name)
    if on_path:
        found.append(on_path)
    return list(dict.fromkeys(found))


def find_tool(name: str, *, want: int, minimum: int) -> tuple[str, str]:
    """(path, version) of the client program `name`: of major version `want` if installed,
    otherwise the newest one of at least `minimum`; BackupError saying what to install if none."""
    versions = {}
    for path in _candidates(name):
        v = tool_version(path)
        if v:
            versions[path] = v
    exact = [p for p, (major, _v) in versions.items() if major == want and want >= minimum]
    if exact:
        return exact[0], versions[exact[0]][1]
    usable = sorted((v[0], p) for p, v in versions.items() if v[0] >= minimum)
    if usable:
        path = usable[-1][1]
        return path, versions[path][1]
    hint = _(
        "Install the PostgreSQL %(major)s client (Debian: apt-get install postgresql-client-%(major)s, "
        "or `make system-deps` as root) or set PG_BINDIR to the folder that holds %(name)s."
    ) % {"major": max(want, minimum), "name": name}
    if not versions:
        raise BackupError(_("%(name)s was not found.") % {"name": name} + " " + hint)
    found = ", ".join(f"{p} ({v[1]})" for p, v in versions.items())
    raise BackupError(
        _("%(name)s must be of version %(major)s or later; found only %(found)s.")
        % {"name": name, "major": minimum, "found": found}
        + " "
        + hint
    )


def _env(connection) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: the site's connection settings, the password
    out of the command line."""
    env = os.environ.copy()
    sd = connection.settings_dict
    for key, var in ENV.items():
        value = sd.get(key) if key.isupper() else sd.get("OPTIONS", {}).get(key)
        if value not in (None, ""):
            env[var] = str(value)
    return env


def _run(args: list[str], *, connection, what: str) -> None:
    proc = subprocess.run(args, env=_env(connection), capture_output=True, text=True)
    if proc.returncode != 0:
        raise BackupError(
            _("%(what)s failed (exit code %(code)s): %(error)s")
            % {"what": what, "code": proc.returncode, "error": proc.stderr.strip()[-2000:]}
        )


# -- reading ------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    schema, _dot, table = name.rpartition(".")
    quoted = '"' + table.replace('"', '""') + '"'
    return f'"{schema}".{quoted}' if schema else quoted


def table_names(cur) -> list[str]:
    cur.execute(TABLES)
    return [table if schema == "public" else f"{schema}.{table}" for schema, table in cur.fetchall()]


def server_version(connection) -> tuple[int, str]:
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        text = cur.fetchone()[0].split()[0]
    return connection.pg_version // 10000, text


def dump(*, connection, dest: Path, log) -> Snapshot:
    """pg_dump -Fc of the database, with row counts from the very snapshot pg_dump reads."""
    major, version = server_version(connection)
    tool, tool_ver = find_tool("pg_dump", want=major, minimum=major)
    name = connection.settings_dict["NAME"]
    log(
        _("Backing up the PostgreSQL database %(name)s (server %(server)s) with %(tool)s %(version)s...")
        % {"name": name, "server": version, "tool": tool, "version": tool_ver}
    )
    if connection.in_atomic_block:
        raise BackupError(_("A backup cannot be taken inside a database transaction."))
    with connection.cursor() as cur:
        # pg_dump reads the snapshot this transaction exports, so the counts below describe the
        # dump exactly, however much the site writes meanwhile.
        cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            _run(
                [tool, "--format=custom", f"--file={dest}", f"--snapshot={snapshot}", "--no-password"],
                connection=connection,
                what="pg_dump",
            )
            names = table_names(cur)
            tables = table_counts(cur, names, _quote)
            migrations = migrations_from(cur, names)
        finally:
            cur.execute("ROLLBACK")
    info = {
        "format": "pg_dump custom",
        "name": name,
        "server_version": version,
        "pg_dump_version": tool_ver,
    }
    return Snapshot(info=info, tables=tables, migrations=migrations)


# -- restoring ----------------------------------------------------------------------------------


def restore_prepare(*, connection, info: dict, log) -> str:
    """The pg_restore to use, once the target database is known to be empty."""
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cur:
        cur.execute(USER_OBJECTS)
        objects = [row[1] for row in cur.fetchall()]
    if objects:
        raise BackupError(
            _(
                "The database %(name)s is not empty: it has %(count)s tables, sequences, views or "
                "functions (%(names)s, ...). Restore only into a new database: createdb a new one and point "
                "DATABASE_URL at it."
            )
            % {"name": name, "count": len(objects), "names": ", ".join(objects[:3])}
        )
    major, version = server_version(connection)
    dumped_by = int(str(info.get("pg_dump_version", "0")).split(".")[0])
    dumped_from = int(str(info.get("server_version", "0")).split(".")[0])
    if dumped_from > major:
        log(
            _("Note: the backup comes from PostgreSQL %(old)s and this server is %(new)s, an older one.")
            % {"old": info["server_version"], "new": version}
        )
    tool, tool_ver = find_tool("pg_restore", want=major, minimum=dumped_by)
    log(
        _("Using %(tool)s %(version)s (server %(server)s).")
        % {"tool": tool, "version": tool_ver, "server": version}
    )
    return tool


def restore(*, connection, source: Path, info: dict, prepared: str, log) -> None:
    """pg_restore in one transaction: all or nothing. Data goes in by COPY before the triggers
    and constraints are created, so no trigger fires and none has to be disabled; the site's
    user owns what is created (the backup's owners and grants may not exist here)."""
    name = connection.settings_dict["NAME"]
    log(_("Restoring into the PostgreSQL database %(name)s...") % {"name": name})
    _run(
        [
            prepared,
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-acl",
            "--no-password",
            f"--dbname={name}",
            str(source),
        ],
        connection=connection,
        what="pg_restore",
    )


def current_counts(connection) -> dict[str, int]:
    with connection.cursor() as cur:
        return table_counts(cur, table_names(cur), _quote)
