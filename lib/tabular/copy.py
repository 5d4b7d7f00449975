"""Rows written to a model's table from plain tuples: COPY on PostgreSQL, one executemany on
SQLite. For bulk imports, where building a model instance per row would cost more than the
database does. No signals, no auto_now, no validation: the caller has checked every value."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import Any

from django.db import connection, models


class CopyTable:
    """A model's table written from plain tuples: column order and defaults come from
    `_meta`, so no model instance (and none of its per-field overhead) is built per row."""

    def __init__(self, model: type[models.Model], *, with_pk: bool) -> None:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
        self.table = meta.db_table
        self.pk_column = meta.pk.column
        self.defaults = {f.attname: None if f.primary_key else f.get_default() for f in fields}
        self.row = operator.itemgetter(*self.defaults)
        self.columns = [f.column for f in fields]

    def as_row(self, values: dict[str, Any]) -> tuple:
        """One row: `values` over the field defaults, in column order."""
        return self.row({**self.defaults, **values})

    def insert(self, rows: Iterable[tuple]) -> None:
        """Insert rows with COPY (PostgreSQL) or one executemany (SQLite). No signals, no
        auto_now: values must already be ready for the database. `rows` may be a generator:
        PostgreSQL then indexes the rows already sent while Python builds the next ones."""
        quote = connection.ops.quote_name
        table, columns = quote(self.table), ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                placeholders = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
                return
            # psycopg sends executemany row by row; COPY streams the chunk in one round trip.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)

    def next_ids(self, count: int) -> list[int]:
        """`count` fresh primary keys from the table's sequence (PostgreSQL), so new rows
        are written with their ids and need no read-back."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(self.table), self.pk_column, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
