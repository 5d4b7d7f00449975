"""What a database dump records beside the file: row counts and migration state, read from the
same snapshot as the dump so that the manifest describes exactly what the file holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Snapshot:
    info: dict  # vendor details for the manifest (tool versions, database name, ...)
    tables: dict[str, int]  # rows per table
    migrations: dict[str, list[str]]  # applied Django migrations per app


def table_counts(cur, names: list[str], quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for name in names:
        cur.execute(f"SELECT COUNT(*) FROM {quote(name)}")
        counts[name] = cur.fetchone()[0]
    return counts


def migrations_from(cur, names: list[str], table: str = "django_migrations") -> dict[str, list[str]]:
    """Applied migrations per app, in the order they were applied."""
    if table not in names:
        return {}
    cur.execute(f"SELECT app, name FROM {table} ORDER BY id")
    applied: dict[str, list[str]] = {}
    for app, name in cur.fetchall():
        applied.setdefault(app, []).append(name)
    return dict(sorted(applied.items()))
