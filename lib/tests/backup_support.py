"""Scratch sites for the backup tests: a database (an SQLite file, or a PostgreSQL database named
after the configured one plus a suffix) and a MEDIA_ROOT, driven through real `manage.py`
processes, and fingerprints of every table and file to compare two sites by."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.conf import settings

from lib.backup.files import media_walk, sha256_file

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def configured_database() -> dict:
    """The database the suite was started with (DATABASE_URL), before pytest-django renamed it."""
    default = f"sqlite:///{Path(settings.BASE_DIR) / 'var' / 'thidua.sqlite3'}"
    return dj_database_url.parse(os.environ.get("DATABASE_URL", default))


def on_postgresql() -> bool:
    return configured_database()["ENGINE"] == "django.db.backends.postgresql"


def pg_tools_present() -> bool:
    found = [
        shutil.which(name) or next(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), None)
        for name in ("pg_dump", "pg_restore")
    ]
    return all(found)


@dataclass
class Site:
    vendor: str
    db: str  # SQLite file path, or PostgreSQL database name
    media: Path

    @property
    def url(self) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.db}"
        cfg = configured_database()
        auth = cfg["USER"] + (f":{cfg['PASSWORD']}" if cfg["PASSWORD"] else "")
        return f"postgres://{auth}@{cfg['HOST'] or 'localhost'}:{cfg['PORT'] or 5432}/{self.db}"

    def manage(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lib.tests.backup_settings",
            "DATABASE_URL": self.url,
            "BACKUP_TEST_MEDIA_ROOT": str(self.media),
            **env,
        }
        return subprocess.run(
            [sys.executable, str(MANAGE), *args], env=env, capture_output=True, text=True, timeout=600
        )

    def run(self, *args: str) -> str:
        proc = self.manage(*args)
        assert proc.returncode == 0, f"manage.py {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
        return proc.stdout

    # -- fingerprints ---------------------------------------------------------------------------

    def tables(self) -> dict[str, tuple[int, str]]:
        """{table: (rows, hash of the rows in a fixed order)} for every table, Django's or not."""
        return _sqlite_tables(self.db) if self.vendor == "sqlite" else _pg_tables(self.db)

    def schema(self) -> str:
        return _sqlite_schema(self.db) if self.vendor == "sqlite" else _pg_schema(self.db)

    def files(self) -> dict[str, str]:
        return {rel: sha256_file(self.media / rel) for rel in media_walk(self.media)}

    def is_empty(self) -> bool:
        if self.vendor == "sqlite":
            if not Path(self.db).exists():
                return True
            with sqlite3.connect(self.db) as con:
                return con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
        return not _pg_tables(self.db)


def _sqlite_tables(path: str) -> dict[str, tuple[int, str]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = {}
        for name in names:  # sqlite_sequence included: the next ids must carry on too
            rows = sorted(repr(row) for row in con.execute(f'SELECT * FROM "{name}"'))
            out[name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return out
    finally:
        con.close()


def _sqlite_schema(path: str) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(
            sql for (sql,) in con.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        )
    finally:
        con.close()


def pg_connect(dbname: str):
    import psycopg

    cfg = configured_database()
    return psycopg.connect(
        host=cfg["HOST"] or None,
        port=cfg["PORT"] or None,
        user=cfg["USER"] or None,
        password=cfg["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    )


def pg_create(name: str) -> None:
    with pg_connect("postgres") as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')


def pg_drop(name: str) -> None:
    with pg_connect("postgres") as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_tables(name: str) -> dict[str, tuple[int, str]]:
    with pg_connect(name) as con:
        names = con.execute(
            "SELECT schemaname, tablename FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        ).fetchall()
        out = {}
        for schema, table in names:
            rows, digest = con.execute(
                f"SELECT COUNT(*), md5(COALESCE(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
                f'FROM "{schema}"."{table}" t'
            ).fetchone()
            out[f"{schema}.{table}"] = (rows, digest)
        for schema, seq, last in con.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences"):
            out[f"{schema}.{seq} (sequence)"] = (last or 0, "")
        return out


PG_SCHEMA = """
    SELECT 'column', table_schema || '.' || table_name || '.' || column_name || ' ' || data_type || ' '
        || is_nullable || ' ' || COALESCE(column_default, '') || ' ' || COALESCE(character_maximum_length, 0)
    FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
    UNION ALL
    -- A CHECK is compared by name: PostgreSQL re-parses its text into an equal, differently
    -- printed expression when pg_restore creates it again.
    SELECT 'constraint', conrelid::regclass || ' ' || conname || ' ' || contype::text || ' ' || condeferrable::text
        || condeferred::text || ' ' || CASE WHEN contype = 'c' THEN '' ELSE pg_get_constraintdef(c.oid) END
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
    UNION ALL
    SELECT 'index', indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT 'trigger', tgrelid::regclass || ' ' || pg_get_triggerdef(t.oid) || ' ' || tgenabled::text
    FROM pg_trigger t WHERE NOT tgisinternal
    UNION ALL
    SELECT 'function', p.proname || ' ' || md5(p.prosrc)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
    UNION ALL
    SELECT 'sequence', schemaname || '.' || sequencename || ' ' || increment_by || ' ' || cycle::text
    FROM pg_sequences
    ORDER BY 1, 2"""


def _pg_schema(name: str) -> str:
    """Columns, constraints, indexes, triggers, functions and sequences, one line each."""
    with pg_connect(name) as con:
        return "\n".join(f"{kind}: {text}" for kind, text in con.execute(PG_SCHEMA))
