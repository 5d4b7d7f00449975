"""The roster's staging table: every parsed row goes into a temporary table (COPY on PostgreSQL,
executemany on SQLite), and SQL does the rest: duplicate CCCDs within the file (GROUP BY), new
members written with one INSERT ... SELECT per chunk, and the ids they got.

Temporary tables need no WAL and no index but their key, and live only in this connection.
"""

from __future__ import annotations

import datetime
import json
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

from django.db import connection

from org.models import Member

TABLE = "import_members_staging"
# The columns every staged row has, before the file's own member fields.
FIXED = ("rownum", "cccd", "unit_code", "unit_id", "name_folded")
DATE_FIELDS = ("date_of_birth", "joined_on")


class Staging:
    """One import's staging table: `fields` are the member fields the file has, in order."""

    def __init__(self, fields: list[str]) -> None:
        self.fields = list(fields)
        self.columns = [*FIXED, *self.fields]
        self.postgresql = connection.vendor == "postgresql"
        meta = Member._meta
        types = {
            "rownum": "integer PRIMARY KEY",
            "cccd": meta.get_field("cccd").db_type(connection),
            "unit_code": "text",
            "unit_id": "bigint",
            "name_folded": "text",
            **{name: meta.get_field(name).db_type(connection) for name in self.fields},
        }
        # ON COMMIT DROP: inside the import's transaction (PostgreSQL), gone with it whatever happens.
        tail = " ON COMMIT DROP" if self.postgresql and connection.in_atomic_block else ""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {TABLE} ({', '.join(f'{c} {types[c]}' for c in self.columns)}){tail}"
            )

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def add(self, rows: list[tuple]) -> None:
        """Stage rows: (rownum, cccd or None, unit code, unit id or None, folded name, *fields)."""
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.postgresql:
                with cursor.cursor.copy(f"COPY {TABLE} ({', '.join(self.columns)}) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {TABLE} ({', '.join(self.columns)}) VALUES ({marks})", rows)

    def duplicates(self) -> Iterator[tuple[str, list[int]]]:
        """(CCCD, its row numbers in order) for each CCCD on more than one row, first row first."""
        rows_of = "array_agg(rownum ORDER BY rownum)" if self.postgresql else "group_concat(rownum)"
        sql = (
            f"SELECT cccd, {rows_of} FROM {TABLE} WHERE cccd IS NOT NULL "
            "GROUP BY cccd HAVING count(*) > 1 ORDER BY min(rownum)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            while batch := cursor.fetchmany(2000):
                for cccd, numbers in batch:
                    if isinstance(numbers, str):
                        numbers = sorted(int(n) for n in numbers.split(","))
                    yield cccd, list(numbers)

    def read(self, after: int, size: int) -> list[tuple]:
        """Staged rows after row number `after`, `size` at most, as staged (dates as dates)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(self.columns)} FROM {TABLE} WHERE rownum > %s ORDER BY rownum LIMIT %s",
                [after, size],
            )
            rows = cursor.fetchall()
        dates = [i for i, c in enumerate(self.columns) if c in DATE_FIELDS]
        if dates and rows and not self.postgresql:  # SQLite gives back ISO text
            rows = [list(r) for r in rows]
            for r in rows:
                for i in dates:
                    if isinstance(r[i], str):
                        r[i] = datetime.date.fromisoformat(r[i])
        return rows

    def insert(
        self, lo: int, hi: int, skip: list[int], *, unit_id: int, now: Any, new_only: bool = False
    ) -> list[tuple[int, int, str]]:
        """Insert the staged rows numbered lo..hi, but those in `skip`, as new members (the
        file's fields, the model's defaults for the rest, `unit_id` where the row names no
        unit). `new_only`: skip the rows whose CCCD a member holds (ON CONFLICT DO NOTHING).
        Returns (id, unit id, CCCD) of each new member, in id order."""
        quote = connection.ops.quote_name
        staged = {"cccd", "name_folded", *self.fields}
        columns, exprs, params = [], [], []
        for field in Member._meta.concrete_fields:
            if field.primary_key:
                continue
            columns.append(quote(field.column))
            if field.attname in staged:
                exprs.append(f"s.{field.attname}")
            elif field.attname == "unit_id":
                exprs.append("COALESCE(s.unit_id, %s)")
                params.append(unit_id)
            elif field.attname in ("created_at", "updated_at"):
                exprs.append("%s")
                params.append(now)
            else:
                exprs.append("%s")
                params.append(field.get_db_prep_save(field.get_default(), connection))
        where = "s.rownum BETWEEN %s AND %s"
        params += [lo, hi]
        if skip:
            if self.postgresql:
                where += " AND NOT (s.rownum = ANY(%s))"
                params.append(skip)
            else:
                where += " AND s.rownum NOT IN (SELECT value FROM json_each(%s))"
                params.append(json.dumps(skip))
        sql = (
            f"INSERT INTO {quote(Member._meta.db_table)} ({', '.join(columns)}) "
            f"SELECT {', '.join(exprs)} FROM {TABLE} s WHERE {where} ORDER BY s.rownum "
            f"{'ON CONFLICT (cccd) DO NOTHING ' if new_only else ''}"
            f"RETURNING {quote('id')}, {quote('unit_id')}, {quote('cccd')}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return sorted(cursor.fetchall())


class IdRanges:
    """A set of ids kept as sorted, disjoint [first, last] ranges in two arrays: an import's
    million new members, numbered from one sequence, fit in a few ranges. Ids added out of
    order wait in `loose` (8 bytes each) until the ranges are next read."""

    def __init__(self) -> None:
        self.starts = array("q")
        self.ends = array("q")
        self.loose = array("q")

    def add(self, pk: int) -> None:
        if not self.ends or pk > self.ends[-1] + 1:
            self.starts.append(pk)
            self.ends.append(pk)
        elif pk == self.ends[-1] + 1:
            self.ends[-1] = pk
        elif pk < self.starts[-1]:
            self.loose.append(pk)

    def _normal(self) -> None:
        if not self.loose:
            return
        pairs = sorted([*zip(self.starts, self.ends, strict=True), *((p, p) for p in self.loose)])
        self.starts, self.ends, self.loose = array("q"), array("q"), array("q")
        for s, e in pairs:
            if self.ends and s <= self.ends[-1] + 1:
                self.ends[-1] = max(self.ends[-1], e)
            else:
                self.starts.append(s)
                self.ends.append(e)

    def __contains__(self, pk: int) -> bool:
        self._normal()
        i = bisect_right(self.starts, pk) - 1
        return i >= 0 and pk <= self.ends[i]

    def __len__(self) -> int:
        self._normal()
        return sum(e - s + 1 for s, e in zip(self.starts, self.ends, strict=True))

    def as_list(self) -> list[list[int]]:
        self._normal()
        return [[s, e] for s, e in zip(self.starts, self.ends, strict=True)]
