"""Member roster import: read a file, validate every row, and write all of it or nothing.

The file is streamed in chunks of CHUNK_SIZE rows. Each chunk costs a fixed number of queries
(existing members by CCCD, unknown unit codes, then the bulk writes), never one per row. It runs
in two passes so that the write lock is held only while writing (on SQLite every transaction
takes the database's one write lock when it begins, and the site's writes wait for it): the
whole file is first read and checked outside any transaction, the valid rows spooled to a
temporary file; only when every row passed are they written, in one transaction that looks
the chunk's members up again, so a member changed in between is neither overwritten blindly
nor missed. Rows are written as plain tuples (COPY on PostgreSQL), never through model
instances, which would cost more per row than the database does.
"""

from __future__ import annotations

import datetime
import json
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, reset_queries, transaction
from django.db.models import Max
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _

from imports.members.columns import REQUIRED_FIELDS, TEMPLATE_HEADERS, field_for_header
from imports.members.rows import ImportResult, Row, RowChecker
from lib.tabular import CopyTable, Header, RowError, blank, find_header, open_rows
from org import tree
from org.models import Member, MemberMove, Unit
from org.services.counts import counts_recompute
from org.validators import cccd_taken_message

if TYPE_CHECKING:
    from accounts.models import User

CHUNK_SIZE = 5000
# The escaping json.dumps applies to a str (ensure_ascii=True), in C.
_json_str = json.encoder.encode_basestring_ascii


class _Rollback(Exception):
    pass


def import_members_file(
    *,
    path: Path,
    unit: Unit,
    imported_by: User | None,
    filename: str | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> ImportResult:
    """Import a roster file into `unit`'s subtree. Bad data never raises: it comes back in
    `errors` and nothing is saved. Raises ImportFileError only when the file is unreadable."""
    result = ImportResult()
    with open_rows(Path(path), filename) as source:
        found = _find_header(source.rows)
        if found is None:
            result.errors.append(
                RowError(
                    0, "", "", _("No header row was found: the file needs a “Họ và tên” (full name) column.")
                )
            )
            result.error_count = 1
            return result
        header_row, columns = found
        result.ignored_columns = columns.ignored
        missing = _missing_columns(columns)
        if missing:
            result.errors.append(
                RowError(
                    header_row,
                    ", ".join(missing),
                    "",
                    _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
                )
            )
            result.error_count = 1
            return result
        total = source.total - header_row if source.total else None
        importer = _Importer(unit=unit, user=imported_by, columns=columns, result=result)
        for chunk, last_row in _chunks(source.rows, columns):
            importer.process(chunk)
            if settings.DEBUG:
                reset_queries()  # DEBUG keeps every query's SQL: unbounded on big files
            if on_progress is not None:
                on_progress(last_row - header_row, total)
    importer.save()
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


def _find_header(rows: Iterator[tuple[int, list]]) -> tuple[int, Header] | None:
    """Consume rows up to the first that names a full-name column; map its headers to fields."""
    header = find_header(rows, field_of=field_for_header, is_header=lambda fields: "full_name" in fields)
    return None if header is None else (header.row, header)


def _missing_columns(columns: Header) -> list[str]:
    labels = dict(TEMPLATE_HEADERS)
    missing = []
    for name in REQUIRED_FIELDS:
        if name == "sex" and (columns.has("sex_male_mark") or columns.has("sex_female_mark")):
            continue
        if not columns.has(name):
            missing.append(labels[name])
    return missing


def _chunks(rows: Iterable[tuple[int, list]], columns: Header) -> Iterator[tuple[list, int]]:
    """Non-blank data rows, CHUNK_SIZE at a time, with the number of the last row read."""
    chunk: list[tuple[int, list]] = []
    positions = list(columns.index.values())
    number = 0
    for number, cells in rows:
        size = len(cells)
        for p in positions:  # stops at the first filled column, usually the name
            if p < size and not blank(cells[p]):
                break
        else:
            continue
        chunk.append((number, cells))
        if len(chunk) >= CHUNK_SIZE:
            yield chunk, number
            chunk = []
    if chunk or number:
        yield chunk, number


class _Importer(RowChecker):
    """Validates chunks of rows and spools the valid ones, then writes them all in one
    transaction; holds only what must span chunks (seen CCCDs, the spool file)."""

    def __init__(self, *, unit: Unit, user: User | None, columns: Header, result: ImportResult) -> None:
        super().__init__(columns=columns, result=result)
        self.unit = unit
        self.user = user
        # CCCD (as int, 12 digits fit) -> first row it was seen on; ints keep 1 M rows small.
        self.seen: dict[int, int] = {}
        self.duplicates_reported: set[int] = set()
        self.units: dict[str, tuple[int, str] | None] = {unit.code: (unit.pk, tree.key(unit))}
        self.affected: set[int] = set()
        # Checked rows waiting for the write pass; on disk, so memory stays flat on big files.
        self.spool = tempfile.TemporaryFile()
        self.content_type = ContentType.objects.get_for_model(Member)
        postgresql = connection.vendor == "postgresql"
        self.members = CopyTable(Member, with_pk=postgresql)
        self.entries = CopyTable(LogEntry, with_pk=False)
        # The `changes` JSON of a new member, one %s per quoted value: what json.dumps gives.
        self.created_json = (
            "{" + ", ".join(f'"{name}": ["None", %s]' for name in ("unit", "cccd", *self.fields)) + "}"
        )

    # -- one chunk ---------------------------------------------------------------------------

    def process(self, chunk: list[tuple[int, list]]) -> None:
        """Check one chunk (no transaction, no write) and spool its rows while all are valid."""
        rows = [self.parse(number, cells) for number, cells in chunk]
        self.result.rows += len(rows)
        self.check_units(rows)
        self.check_cccds(rows)
        if not self.result.ok:
            return  # keep validating later chunks, but nothing will be written
        packed = [(r.number, r.values, r.unit_code, r.raw_cccd, r.name_folded) for r in rows]
        pickle.dump(packed, self.spool, protocol=pickle.HIGHEST_PROTOCOL)

    def spooled(self) -> Iterator[list[Row]]:
        self.spool.seek(0)
        while True:
            try:
                packed = pickle.load(self.spool)
            except EOFError:
                return
            yield [
                Row(number=n, values=values, unit_code=code, raw_cccd=cccd, cccd_ok=True, name_folded=folded)
                for n, values, code, cccd, folded in packed
            ]

    def save(self) -> None:
        """Write every spooled row in one transaction, or nothing when any row is wrong.

        Units and members are looked up again inside the transaction: what the first pass saw may
        have changed since (a member added, moved or edited on the site meanwhile)."""
        result = self.result
        try:
            if not result.ok:
                raise _Rollback
            with transaction.atomic():
                self.unit.refresh_from_db(fields=[tree.key_field()])
                self.units = {self.unit.code: (self.unit.pk, tree.key(self.unit))}
                for rows in self.spooled():
                    self.check_units(rows)
                    existing = self.check_cccds(rows, again=True)
                    if not result.ok:
                        raise _Rollback
                    self.write(rows, existing)
                self.finish()
        except _Rollback:
            result.added = result.updated = result.unchanged = 0
        finally:
            self.spool.close()

    def check_units(self, rows: list[Row]) -> None:
        """Resolve the chunk's unit codes with one query; each must lie in the target subtree."""
        unknown = {r.unit_code for r in rows if r.unit_code and r.unit_code not in self.units}
        if unknown:
            found = dict.fromkeys(unknown)
            for code, pk, path in Unit.objects.filter(code__in=unknown).values_list(
                "code", "pk", tree.key_field()
            ):
                found[code] = (pk, path)
            self.units.update(found)
        for row in rows:
            if not row.unit_code:
                continue
            hit = self.units.get(row.unit_code)
            if hit is None:
                self.error(row, "unit_code", row.unit_code, _("No unit has this code."))
            elif not tree.is_descendant(hit[1], self.unit):
                self.error(
                    row,
                    "unit_code",
                    row.unit_code,
                    _("This unit is not within %(unit)s.") % {"unit": self.unit.name},
                )

    def check_cccds(self, rows: list[Row], *, again: bool = False) -> dict[str, tuple]:
        """Duplicates within the file, then members already holding the chunk's CCCDs (one
        query). Returns CCCD -> (pk, unit_id, unit path, *the import's fields as stored).
        `again`: the write pass, whose rows the first pass found free of duplicates."""
        wanted = []
        seen = self.seen
        for row in rows:
            if not row.cccd_ok:
                continue
            cccd = row.raw_cccd
            if again:
                wanted.append(cccd)
                continue
            key = int(cccd)
            first = seen.get(key)
            if first is None:
                seen[key] = row.number
                wanted.append(cccd)
                continue
            self.error(row, "cccd", cccd, _("This CCCD also appears in row %(row)s.") % {"row": first})
            if key not in self.duplicates_reported:
                self.duplicates_reported.add(key)
                self.error(
                    first, "cccd", cccd, _("This CCCD also appears in row %(row)s.") % {"row": row.number}
                )
        if not wanted:
            return {}
        existing = {
            found[1]: (found[0], *found[2:])
            for found in _with_cccds(wanted).values_list(
                "pk", "cccd", "unit_id", tree.key_field("unit"), *self.fields
            )
        }
        if existing:
            for row in rows:
                member = existing.get(row.raw_cccd)
                if member is not None and not tree.is_descendant(member[2], self.unit):
                    # Held outside the importing subtree: refused in words that do not say so.
                    self.error(row, "cccd", row.raw_cccd, cccd_taken_message())
        return existing

    # -- writing -----------------------------------------------------------------------------

    def write(self, rows: list[Row], existing: dict[str, tuple]) -> None:
        now = timezone.now()
        db_now = connection.ops.adapt_datetimefield_value(now)
        actor_id = self.user.pk if self.user is not None else None
        default_unit = self.unit.pk
        fields = self.fields
        created: list[tuple[Row, int]] = []  # (row, unit id)
        changed: list[tuple[Row, int, int, dict[str, tuple[Any, Any]]]] = []  # (row, pk, unit id, diff)
        moves: list[MemberMove] = []
        for row in rows:
            values = row.values
            target = self.units[row.unit_code][0] if row.unit_code else None
            found = existing.get(row.raw_cccd)
            if found is None:
                unit_id = target or default_unit
                created.append((row, unit_id))
                self.affected.add(unit_id)
                continue
            pk, unit_id, _path, *old = found
            diff = {
                name: (was, values[name])
                for name, was in zip(fields, old, strict=True)
                if was != values[name]
            }
            if target and target != unit_id:
                diff["unit"] = (unit_id, target)
                moves.append(
                    MemberMove(
                        member_id=pk,
                        from_unit_id=unit_id,
                        to_unit_id=target,
                        moved_on=self.today,
                        reason=_("Roster import"),
                        created_by_id=actor_id,
                    )
                )
            if not diff:
                self.result.unchanged += 1
                continue
            self.affected.add(unit_id)
            if target:
                unit_id = target
            self.affected.add(unit_id)
            changed.append((row, pk, unit_id, diff))

        if created:
            self.insert_members(created, db_now)
            self.result.added += len(created)
        if changed:
            self.update_members(changed, db_now)
            self.result.updated += len(changed)
        if moves:
            MemberMove.objects.bulk_create(moves, batch_size=CHUNK_SIZE)
        self.entries.insert(self.audit_rows(created, changed, db_now))

    def audit_rows(
        self, created: list[tuple[Row, int]], changed: list[tuple[Row, int, int, dict]], db_now: Any
    ) -> Iterator[tuple]:
        """Audit entries as django-auditlog writes them (bulk writes bypass its signals)."""
        fixed = {
            **self.entries.defaults,
            "content_type_id": self.content_type.pk,
            "actor_id": self.user.pk if self.user is not None else None,
            "actor_email": getattr(self.user, "email", None) or None,
            "timestamp": db_now,
        }
        row_of, fields, template = self.entries.row, self.fields, self.created_json
        for row, unit_id in created:
            values = row.values
            news = (str(unit_id), row.raw_cccd, *[values[name] for name in fields])
            changes = template % tuple(map(_json_str, map(_audit_str, news)))
            yield row_of(self.entry(fixed, row, LogEntry.Action.CREATE, unit_id, changes))
        for row, pk, unit_id, diff in changed:
            row.pk = pk
            changes = _changes_json(
                [(name, _audit_str(old), _audit_str(new)) for name, (old, new) in diff.items()]
            )
            yield row_of(self.entry(fixed, row, LogEntry.Action.UPDATE, unit_id, changes))

    @staticmethod
    def entry(fixed: dict, row: Row, action: int, unit_id: int, changes: str) -> dict:
        """The columns of one audit entry, JSON encoded here as JSONField would."""
        return {
            **fixed,
            "object_pk": str(row.pk),
            "object_id": row.pk,
            "object_repr": row.values["full_name"],
            "action": action,
            "changes": changes,
            "additional_data": f'{{"unit_id": {unit_id}}}',
        }

    def insert_members(self, created: list[tuple[Row, int]], db_now: Any) -> None:
        """Insert the chunk's new members and set `row.pk` on each."""
        table = self.members
        if "id" in table.defaults:  # PostgreSQL: ids drawn first, written with the rows
            for (row, _unit), pk in zip(created, table.next_ids(len(created)), strict=True):
                row.pk = pk
        table.insert(
            table.as_row(
                {
                    **row.values,
                    "id": row.pk,
                    "unit_id": unit_id,
                    "cccd": row.raw_cccd,
                    "name_folded": row.name_folded,
                    "created_at": db_now,
                    "updated_at": db_now,
                }
            )
            for row, unit_id in created
        )
        if "id" not in table.defaults:
            # SQLite: one executemany under the write lock numbers its rows consecutively,
            # each one more than the largest id yet, so they end at the largest id now.
            last = Member.objects.aggregate(last=Max("pk"))["last"]
            for n, (row, _unit) in enumerate(created):
                row.pk = last - len(created) + 1 + n

    def update_members(self, changed: list[tuple[Row, int, int, dict]], db_now: Any) -> None:
        """Write every imported field of the changed members with one executemany: each row
        gets all the file's values (unchanged ones are rewritten as they are)."""
        names = ["name_folded", "updated_at", "unit_id", *self.fields]
        quote = connection.ops.quote_name
        sql = "UPDATE {} SET {} WHERE {} = %s".format(
            quote(Member._meta.db_table),
            ", ".join(f"{quote(Member._meta.get_field(n).column)} = %s" for n in names),
            quote(Member._meta.pk.column),
        )
        params = [
            [row.name_folded, db_now, unit_id, *(row.values[n] for n in self.fields), pk]
            for row, pk, unit_id, _diff in changed
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)

    def finish(self) -> None:
        if self.affected:
            counts_recompute(unit_ids=self.affected)


def _with_cccds(cccds: list[str]) -> models.QuerySet[Member]:
    """Members holding any of `cccds`, passed as one array (PostgreSQL) or JSON (SQLite)
    parameter: binding and planning an IN list of 5,000 placeholders costs more than the
    index lookups themselves."""
    column = f"{connection.ops.quote_name(Member._meta.db_table)}.{connection.ops.quote_name('cccd')}"
    if connection.vendor == "postgresql":
        match = RawSQL(f"{column} = ANY(%s)", [cccds], output_field=models.BooleanField())
    elif connection.vendor == "sqlite":
        match = RawSQL(
            f"{column} IN (SELECT value FROM json_each(%s))",
            [json.dumps(cccds)],
            output_field=models.BooleanField(),
        )
    else:
        return Member.objects.filter(cccd__in=cccds)
    return Member.objects.filter(match)


def _audit_str(value: Any) -> str:
    """A value as django-auditlog records it in `changes`."""
    if value.__class__ is str:
        return value
    if value.__class__ is datetime.date:
        return value.isoformat()  # what str() gives, without smart_str's checks
    return "None" if value is None else smart_str(value)


def _changes_json(changes: list[tuple[str, str, str]]) -> str:
    """`json.dumps({name: [old, new], ...})`, byte for byte, for field names and str values:
    the generic encoder costs more per audit entry than the database does."""
    quote = _json_str
    return "{" + ", ".join(f'"{name}": [{quote(old)}, {quote(new)}]' for name, old, new in changes) + "}"
