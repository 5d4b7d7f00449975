"""Member roster import: read a file, validate every row, and write all of it or nothing.

The rows are parsed and checked by a producer thread (pure Python, no query) while the main
thread stages the previous chunk in a temporary table (imports.members.staging: COPY on
PostgreSQL) and writes it; psycopg releases the GIL while the server works, so parsing and the
database overlap. SQL finds what Python would need every CCCD in memory for: duplicates within
the file (GROUP BY on the staging table) and new members (INSERT ... SELECT from it). Memory
stays flat: one chunk or two in flight, never the whole file.

How the writes are scheduled depends on the database:
- PostgreSQL (row locks): one pass, in one transaction. Each chunk is staged, looked up
  against org_member and written at once, so there is no window between check and write; a
  member of this import met again in a later chunk is a duplicate within the file.
- SQLite (one write lock for the whole database): two passes. The whole file is staged and
  checked outside any transaction (a temporary table takes no lock on the main database);
  only when every row passed is it written, in one transaction that looks the chunk's members
  up again, so a member changed in between is neither overwritten blindly nor missed.

Either way one audit entry records the import (who, when, the file, the counts and the ids of
every member added or updated), not one entry per member; lib.audit shows it on each of those
members' history pages.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, models, reset_queries, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from imports.members.columns import REQUIRED_FIELDS, TEMPLATE_HEADERS, field_for_header
from imports.members.rows import MAX_LISTED_ERRORS, ImportResult, Row, RowChecker
from imports.members.staging import IdRanges, Staging
from lib.audit import audit_bulk
from lib.tabular import Header, RowError, blank, find_header, open_rows
from org import tree
from org.models import Member, MemberMove, Unit
from org.services.counts import counts_recompute
from org.validators import cccd_taken_message

if TYPE_CHECKING:
    from accounts.models import User
    from imports.models import ImportJob

CHUNK_SIZE = 5000
_DONE = object()


class _Rollback(Exception):
    pass


def import_members_file(
    *,
    path: Path,
    unit: Unit,
    imported_by: User | None,
    filename: str | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    job: ImportJob | None = None,
) -> ImportResult:
    """Import a roster file into `unit`'s subtree. Bad data never raises: it comes back in
    `errors` and nothing is saved. Raises ImportFileError only when the file is unreadable.
    `job`: the ImportJob this run belongs to, named by the audit entry."""
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
        importer = _Importer(unit=unit, user=imported_by, columns=columns, result=result, job=job)
        importer.filename = filename or Path(path).name
        try:
            # PostgreSQL: the whole run is one transaction (see the module's docstring).
            with transaction.atomic() if importer.stream else nullcontext():
                importer.open()
                for rows, last_row in _parsed(_chunks(source.rows, columns), importer.parser):
                    importer.process(rows)
                    if settings.DEBUG:
                        reset_queries()  # DEBUG keeps every query's SQL: unbounded on big files
                    if on_progress is not None:
                        on_progress(last_row - header_row, total)
                importer.checked()
                importer.save()
        except _Rollback:
            result.added = result.updated = result.unchanged = 0
            result.member_ids = {}
        finally:
            importer.close()
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


def _parsed(chunks: Iterator[tuple[list, int]], parser: RowChecker) -> Iterator[tuple[list[Row], int]]:
    """The chunks' rows parsed by a producer thread, at most four chunks ahead of the consumer.

    The thread runs no query (RowChecker.parse never does), so the main thread's connection and
    transaction are untouched; it speaks the caller's language for its error messages."""
    handoff: queue.Queue = queue.Queue(maxsize=4)
    stop = threading.Event()
    language = translation.get_language()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        with translation.override(language):
            try:
                for chunk, last in chunks:
                    if not put(([parser.parse(number, cells) for number, cells in chunk], last)):
                        return
            except BaseException as exc:  # handed to the consumer, which raises it
                put(exc)
                return
            put(_DONE)

    thread = threading.Thread(target=produce, name="roster-parser", daemon=True)
    thread.start()
    try:
        while (item := handoff.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


class _Importer(RowChecker):
    """Stages and checks chunks of parsed rows, and writes them (see the module's docstring).

    The producer thread parses with `self.parser`, which records its errors in a result of its
    own; they are merged into `self.result` at the end. Holds only what must span chunks: the
    unit codes met, the units touched and the ids written."""

    def __init__(
        self,
        *,
        unit: Unit,
        user: User | None,
        columns: Header,
        result: ImportResult,
        job: ImportJob | None = None,
    ) -> None:
        super().__init__(columns=columns, result=result)
        self.unit = unit
        self.user = user
        self.job = job
        self.filename = ""
        self.parser = RowChecker(columns=columns, result=ImportResult())
        self.stream = connection.vendor == "postgresql"
        self.staging: Staging | None = None
        self.units: dict[str, tuple[int, str] | None] = {unit.code: (unit.pk, tree.key(unit))}
        self.affected: set[int] = set()
        self.added_ids = IdRanges()
        self.updated_ids = IdRanges()
        self.duplicated = False  # a CCCD met twice (PostgreSQL: reported from the staging table)
        self.now = timezone.now()
        self.db_now = connection.ops.adapt_datetimefield_value(self.now)

    @property
    def ok(self) -> bool:
        return self.result.ok and self.parser.result.ok and not self.duplicated

    def open(self) -> None:
        self.staging = Staging(self.fields)

    def close(self) -> None:
        if self.staging is not None and connection.connection is not None:
            if not (connection.in_atomic_block and connection.needs_rollback):
                self.staging.drop()
            self.staging = None

    # -- one chunk ---------------------------------------------------------------------------

    def process(self, rows: list[Row]) -> None:
        """Stage and check one chunk of parsed rows; on PostgreSQL, write it while all is well."""
        self.result.rows += len(rows)
        if not rows:
            return
        self.check_units(rows)
        units = self.units
        fields = self.fields
        self.staging.add(
            [
                (
                    r.number,
                    r.raw_cccd if r.cccd_ok else None,
                    r.unit_code,
                    units[r.unit_code][0] if r.unit_code and units.get(r.unit_code) else None,
                    r.name_folded,
                    *map(r.values.get, fields),
                )
                for r in rows
            ]
        )
        if self.stream and self.ok:
            self.write_new_first(rows)
        else:
            self.check_cccds(rows)

    def checked(self) -> None:
        """After the last chunk: report CCCDs found on more than one row (one GROUP BY)."""
        if self.stream and not self.duplicated:
            return  # every CCCD was written under the unique index: none repeats
        for cccd, numbers in self.staging.duplicates():
            first = numbers[0]
            self.error(first, "cccd", cccd, _("This CCCD also appears in row %(row)s.") % {"row": numbers[1]})
            for number in numbers[1:]:
                self.error(number, "cccd", cccd, _("This CCCD also appears in row %(row)s.") % {"row": first})
        self.duplicated = False  # now in the errors

    def save(self) -> None:
        """Write what is left to write (SQLite: every staged row), record the import, or raise
        _Rollback when any row is wrong."""
        self.merge_errors()
        if not self.ok:
            raise _Rollback
        if self.stream:
            self.finish()
            return
        with transaction.atomic():
            self.unit.refresh_from_db(fields=[tree.key_field()])
            self.units = {self.unit.code: (self.unit.pk, tree.key(self.unit))}
            after = 0
            while staged := self.staging.read(after, CHUNK_SIZE):
                after = staged[-1][0]
                rows = [self.row_of(s) for s in staged]
                self.check_units(rows)
                existing = self.check_cccds(rows)
                if not self.ok:
                    self.merge_errors()
                    raise _Rollback
                self.write(rows, existing)
            self.finish()

    def row_of(self, staged: tuple) -> Row:
        number, cccd, code, _unit_id, folded, *values = staged
        return Row(
            number=number,
            values=dict(zip(self.fields, values, strict=True)),
            unit_code=code or "",
            raw_cccd=cccd,
            cccd_ok=True,
            name_folded=folded,
        )

    def merge_errors(self) -> None:
        parsed = self.parser.result
        result = self.result
        if parsed.error_count:
            result.errors.extend(parsed.errors[: max(0, MAX_LISTED_ERRORS - len(result.errors))])
            result.error_count += parsed.error_count
            parsed.errors, parsed.error_count = [], 0

    def check_units(self, rows: list[Row]) -> None:
        """Resolve the chunk's unit codes with one query; each must lie in the target subtree."""
        if self.pos["unit_code"] is None:
            return
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

    def check_cccds(self, rows: list[Row]) -> dict[str, tuple]:
        """Members already holding the chunk's CCCDs (one query), refused when held outside the
        importing subtree. Returns CCCD -> (pk, unit_id, unit path, *the import's fields as
        stored). A member this import wrote (PostgreSQL) means the CCCD repeats in the file;
        so does a CCCD twice in the chunk."""
        wanted = {row.raw_cccd for row in rows if row.cccd_ok}
        if self.stream and len(wanted) < sum(row.cccd_ok for row in rows):
            self.duplicated = True
        if not wanted:
            return {}
        existing = {
            found[1]: (found[0], *found[2:])
            for found in _with_cccds(list(wanted)).values_list(
                "pk", "cccd", "unit_id", tree.key_field("unit"), *self.fields
            )
        }
        if existing:
            mine = self.added_ids
            for row in rows:
                member = existing.get(row.raw_cccd)
                if member is None:
                    continue
                if member[0] in mine:
                    self.duplicated = True
                elif not tree.is_descendant(member[2], self.unit):
                    # Held outside the importing subtree: refused in words that do not say so.
                    self.error(row, "cccd", row.raw_cccd, cccd_taken_message())
        return existing

    # -- writing -----------------------------------------------------------------------------

    def write_new_first(self, rows: list[Row]) -> None:
        """PostgreSQL: insert the chunk's rows whose CCCD no member holds (ON CONFLICT DO
        NOTHING: the unique index's own probe is the lookup), then look up only the rows left
        over (none, for a roster of new members) and update them."""
        if len({row.raw_cccd for row in rows}) < len(rows):
            self.duplicated = True  # twice in this chunk: reported from the staging table
            return
        added = self.staging.insert(
            rows[0].number, rows[-1].number, [], unit_id=self.unit.pk, now=self.db_now, new_only=True
        )
        self.record_added(added)
        if len(added) == len(rows):
            return
        written = {cccd for _pk, _unit, cccd in added}
        rest = [row for row in rows if row.raw_cccd not in written]
        existing = self.check_cccds(rest)
        if self.ok:
            self.write(rest, existing, insert=False)

    def record_added(self, added: list[tuple]) -> None:
        add = self.added_ids.add
        units: set[int] = set()
        for pk, unit_id, *_cccd in added:
            add(pk)
            units.add(unit_id)
        self.affected |= units
        self.result.added += len(added)

    def write(self, rows: list[Row], existing: dict[str, tuple], *, insert: bool = True) -> None:
        """Write one checked chunk: new members by INSERT ... SELECT from the staging table,
        changed ones by one executemany, moves to another unit as MemberMove rows."""
        actor_id = self.user.pk if self.user is not None else None
        fields = self.fields
        skip: list[int] = []
        changed: list[tuple[Row, int, int]] = []  # (row, pk, unit id)
        moves: list[MemberMove] = []
        for row in rows if existing else ():
            found = existing.get(row.raw_cccd)
            if found is None:
                continue
            skip.append(row.number)
            values = row.values
            target = self.units[row.unit_code][0] if row.unit_code else None
            pk, unit_id, _path, *old = found
            differs = any(was != values[name] for name, was in zip(fields, old, strict=True))
            if target and target != unit_id:
                differs = True
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
            if not differs:
                self.result.unchanged += 1
                continue
            self.affected.add(unit_id)
            if target:
                unit_id = target
            self.affected.add(unit_id)
            changed.append((row, pk, unit_id))

        if insert and len(skip) < len(rows):
            self.record_added(
                self.staging.insert(
                    rows[0].number, rows[-1].number, skip, unit_id=self.unit.pk, now=self.db_now
                )
            )
        if changed:
            self.update_members(changed)
            for _row, pk, _unit in changed:
                self.updated_ids.add(pk)
            self.result.updated += len(changed)
        if moves:
            MemberMove.objects.bulk_create(moves, batch_size=CHUNK_SIZE)

    def update_members(self, changed: list[tuple[Row, int, int]]) -> None:
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
            [row.name_folded, self.db_now, unit_id, *(row.values[n] for n in self.fields), pk]
            for row, pk, unit_id in changed
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)

    def finish(self) -> None:
        """Member counts of the units touched, then the import's one audit entry."""
        if self.affected:
            counts_recompute(unit_ids=self.affected)
        result = self.result
        result.member_ids = {"added": self.added_ids.as_list(), "updated": self.updated_ids.as_list()}
        from imports.models import ImportJob

        audit_bulk(
            model=ImportJob,
            object_pk=self.job.pk if self.job is not None else None,
            object_repr=self.filename,
            actor=self.user,
            changes={
                "file": self.filename,
                "rows": result.rows,
                "added": result.added,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
            unit_id=self.unit.pk,
            items=Member,
            ranges=[*result.member_ids["added"], *result.member_ids["updated"]],
        )


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
