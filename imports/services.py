"""Member roster import: read a file, validate every row, and write all of it or nothing.

The file is streamed in chunks of CHUNK_SIZE rows. Each chunk costs a fixed number of queries
(existing members by CCCD, unknown unit codes, then the bulk writes), never one per row. Writing
happens inside one transaction while the rows are still being read; the first invalid row stops
the writing, the remaining rows are still validated so that every error is reported, and the
transaction is rolled back at the end.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models, reset_queries, transaction
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _

from imports.columns import REQUIRED_FIELDS, TEMPLATE_HEADERS, field_for_header
from imports.models import ImportJob
from imports.readers import ImportFileError, open_rows
from lib.text import clean, fold
from org.models import Member, MemberMove, Sex, Unit
from org.services.counts import counts_recompute
from org.validators import cccd_error

if TYPE_CHECKING:
    from accounts.models import User

__all__ = ["ImportFileError", "ImportResult", "RowError", "import_members_file", "job_create", "job_run"]

CHUNK_SIZE = 2000
# Header rows may sit under a few title rows; give up looking after this many.
HEADER_SEARCH_ROWS = 50
# A file where every row is wrong would otherwise hold millions of errors in memory.
MAX_LISTED_ERRORS = 20_000
MIN_AGE, MAX_AGE = 15, 100

TEXT_LIMITS = {"full_name": 150, "position": 150, "ethnicity": 50, "card_number": 30}
# Fields an import may set; which of them it does set depends on the file's columns.
MEMBER_FIELDS = (
    "full_name",
    "date_of_birth",
    "sex",
    "phone",
    "position",
    "ethnicity",
    "joined_on",
    "card_number",
)
EXCEL_EPOCH = datetime.date(1899, 12, 30)

SEX_WORDS = {
    "nam": Sex.MALE,
    "male": Sex.MALE,
    "m": Sex.MALE,
    "man": Sex.MALE,
    "trai": Sex.MALE,
    "nu": Sex.FEMALE,
    "female": Sex.FEMALE,
    "f": Sex.FEMALE,
    "woman": Sex.FEMALE,
    "gai": Sex.FEMALE,
}

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


@dataclass(frozen=True)
class RowError:
    """One problem in the file: the row as the spreadsheet numbers it, the column header as
    written in the file, the value found there, and why it is wrong (translated)."""

    row: int
    column: str
    value: str
    message: str


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Every error found, including those past MAX_LISTED_ERRORS that are not listed.
    error_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.error_count


class _Rollback(Exception):
    pass


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    unit_code: str = ""
    raw_cccd: str = ""
    valid: bool = True


@dataclass
class _Columns:
    index: dict[str, int]  # field -> cell position
    headers: dict[str, str]  # field -> header as written in the file
    ignored: list[str]

    def has(self, name: str) -> bool:
        return name in self.index


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
        try:
            with transaction.atomic():
                for chunk, last_row in _chunks(source.rows, columns):
                    importer.process(chunk)
                    if settings.DEBUG:
                        reset_queries()  # DEBUG keeps every query's SQL: unbounded on big files
                    if on_progress is not None:
                        on_progress(last_row - header_row, total)
                if not result.ok:
                    raise _Rollback
                importer.finish()
        except _Rollback:
            result.added = result.updated = result.unchanged = 0
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


def _find_header(rows: Iterator[tuple[int, list]]) -> tuple[int, _Columns] | None:
    """Consume rows up to the first that names a full-name column; map its headers to fields."""
    for number, cells in rows:
        fields = [field_for_header(cell) for cell in cells]
        if "full_name" in fields:
            index, headers, ignored = {}, {}, []
            for pos, (cell, name) in enumerate(zip(cells, fields, strict=True)):
                text = _text(cell)
                if name is None or name in index:
                    if text:
                        ignored.append(text)
                    continue
                index[name], headers[name] = pos, text
            return number, _Columns(index=index, headers=headers, ignored=ignored)
        if number >= HEADER_SEARCH_ROWS:
            return None
    return None


def _missing_columns(columns: _Columns) -> list[str]:
    labels = dict(TEMPLATE_HEADERS)
    missing = []
    for name in REQUIRED_FIELDS:
        if name == "sex" and (columns.has("sex_male_mark") or columns.has("sex_female_mark")):
            continue
        if not columns.has(name):
            missing.append(labels[name])
    return missing


def _chunks(rows: Iterable[tuple[int, list]], columns: _Columns) -> Iterator[tuple[list, int]]:
    """Non-blank data rows, CHUNK_SIZE at a time, with the number of the last row read."""
    chunk: list[tuple[int, list]] = []
    positions = list(columns.index.values())
    number = 0
    for number, cells in rows:
        if all(_blank(cells[p] if p < len(cells) else None) for p in positions):
            continue
        chunk.append((number, cells))
        if len(chunk) >= CHUNK_SIZE:
            yield chunk, number
            chunk = []
    if chunk or number:
        yield chunk, number


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    """A cell as the text a user would recognise in the error list."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return (
            value.strftime("%d/%m/%Y")
            if value.time() == datetime.time()
            else value.strftime("%d/%m/%Y %H:%M")
        )
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return clean(str(value))


def parse_date(value: Any) -> datetime.date | None:
    """A date from a cell: date/datetime, an Excel serial number, dd/mm/yyyy, d/m/yyyy or
    yyyy-mm-dd. None for an empty cell; ValueError when it is not a date."""
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # Excel's serial range: 1900-01-01 .. 9999-12-31
            raise ValueError
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = clean(str(value))
    if m := _DMY.match(text):
        day, month, year = (int(g) for g in m.groups())
        return datetime.date(year, month, day)
    if m := _YMD.match(text):
        year, month, day = (int(g) for g in m.groups())
        return datetime.date(year, month, day)
    raise ValueError


def _number_text(value: Any) -> str | None:
    """Digits of a numeric cell (Excel drops leading zeros of numbers), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    return None


class _Importer:
    """Validates and writes chunks of rows; holds only what must span chunks (seen CCCDs)."""

    def __init__(self, *, unit: Unit, user: User | None, columns: _Columns, result: ImportResult) -> None:
        self.unit = unit
        self.user = user
        self.columns = columns
        self.result = result
        self.today = timezone.localdate()
        # CCCD (as int, 12 digits fit) -> first row it was seen on; ints keep 1 M rows small.
        self.seen: dict[int, int] = {}
        self.duplicates_reported: set[int] = set()
        self.units: dict[str, tuple[int, str] | None] = {unit.code: (unit.pk, unit.path)}
        self.affected: set[int] = set()
        self.content_type = ContentType.objects.get_for_model(Member)
        self.fields = [f for f in MEMBER_FIELDS if columns.has(f)]
        if "sex" not in self.fields and (columns.has("sex_male_mark") or columns.has("sex_female_mark")):
            self.fields.append("sex")

    # -- errors ------------------------------------------------------------------------------

    def error(self, row: _Row | int, name: str, value: Any, message: str) -> None:
        number = row if isinstance(row, int) else row.number
        if not isinstance(row, int):
            row.valid = False
        self.result.error_count += 1
        if len(self.result.errors) < MAX_LISTED_ERRORS:
            column = self.columns.headers.get(name, "")
            self.result.errors.append(RowError(number, column, _text(value)[:200], str(message)))

    # -- one chunk ---------------------------------------------------------------------------

    def process(self, chunk: list[tuple[int, list]]) -> None:
        rows = [self.parse(number, cells) for number, cells in chunk]
        self.result.rows += len(rows)
        self.check_units(rows)
        existing = self.check_cccds(rows)
        if not self.result.ok:
            return  # keep validating later chunks, but write nothing more
        self.write(rows, existing)

    def cell(self, cells: list, name: str) -> Any:
        pos = self.columns.index.get(name)
        if pos is None or pos >= len(cells):
            return None
        value = cells[pos]
        return None if _blank(value) else value

    def parse(self, number: int, cells: list) -> _Row:
        row = _Row(number=number, values={})
        values = row.values
        get = self.cell

        raw_name = get(cells, "full_name")
        values["full_name"] = _text(raw_name)
        if not values["full_name"] or not fold(values["full_name"]):
            self.error(row, "full_name", raw_name, _("The full name is required."))

        self.parse_sex(row, cells)

        raw = get(cells, "cccd")
        number_text = _number_text(raw)
        cccd = number_text.zfill(12) if number_text and len(number_text) <= 12 else _text(raw)
        cccd = cccd.lstrip("'").replace(" ", "").replace(".", "")
        row.raw_cccd = cccd
        if not cccd:
            self.error(row, "cccd", raw, _("The CCCD is required."))
        elif problem := cccd_error(cccd):
            self.error(row, "cccd", raw, problem)

        for name in ("date_of_birth", "joined_on"):
            if not self.columns.has(name):
                continue
            raw = get(cells, name)
            try:
                when = parse_date(raw)
            except (ValueError, OverflowError):
                self.error(row, name, raw, _("This is not a date; write it as dd/mm/yyyy."))
                continue
            if when and when > self.today:
                self.error(row, name, raw, _("The date is in the future."))
                continue
            values[name] = when
        born = values.get("date_of_birth")
        if born:
            age = self.today.year - born.year - ((self.today.month, self.today.day) < (born.month, born.day))
            if not MIN_AGE <= age <= MAX_AGE:
                self.error(
                    row,
                    "date_of_birth",
                    get(cells, "date_of_birth"),
                    _("A member must be between %(min)s and %(max)s years old.")
                    % {"min": MIN_AGE, "max": MAX_AGE},
                )
        joined = values.get("joined_on")
        if born and joined and joined <= born:
            self.error(
                row,
                "joined_on",
                get(cells, "joined_on"),
                _("The date of joining the union must be after the date of birth."),
            )

        if self.columns.has("phone"):
            raw = get(cells, "phone")
            number_text = _number_text(raw)
            phone = number_text if number_text is not None else _text(raw).lstrip("'")
            if number_text is not None and len(phone) == 9:
                phone = "0" + phone  # a phone typed as a number lost its leading 0
            count = sum(ch.isdigit() for ch in phone)
            if phone and (not 9 <= count <= 11 or not re.fullmatch(r"[\d\s.+()\-]+", phone)):
                self.error(row, "phone", raw, _("A phone number has 9 to 11 digits."))
            values["phone"] = phone

        for name, limit in TEXT_LIMITS.items():
            if name == "full_name" or not self.columns.has(name):
                continue
            raw = get(cells, name)
            text = _number_text(raw) or _text(raw)
            if len(text) > limit:
                self.error(row, name, raw, _("At most %(limit)s characters.") % {"limit": limit})
            values[name] = text
        if len(values["full_name"]) > TEXT_LIMITS["full_name"]:
            self.error(row, "full_name", raw_name, _("At most %(limit)s characters.") % {"limit": 150})

        if self.columns.has("unit_code"):
            raw = get(cells, "unit_code")
            row.unit_code = _number_text(raw) or _text(raw)
        return row

    def parse_sex(self, row: _Row, cells: list) -> None:
        if self.columns.has("sex"):
            raw = self.cell(cells, "sex")
            if raw is None:
                self.error(row, "sex", raw, _("The sex is required (Nam or Nữ)."))
                return
            sex = SEX_WORDS.get(fold(_text(raw)))
            if sex is None:
                self.error(row, "sex", raw, _("Unknown sex; write Nam or Nữ."))
                return
            row.values["sex"] = sex
            return
        # Tick columns: an x under "Nam" or under "Nữ".
        male = self.cell(cells, "sex_male_mark") is not None
        female = self.cell(cells, "sex_female_mark") is not None
        if male and female:
            column = "sex_female_mark"
            self.error(row, column, self.cell(cells, column), _("Both Nam and Nữ are ticked."))
        elif female or (not male and not self.columns.has("sex_male_mark")):
            row.values["sex"] = Sex.FEMALE if female else Sex.MALE
        elif male or not self.columns.has("sex_female_mark"):
            row.values["sex"] = Sex.MALE if male else Sex.FEMALE
        else:
            self.error(row, "sex_male_mark", None, _("The sex is required (Nam or Nữ)."))

    def check_units(self, rows: list[_Row]) -> None:
        """Resolve the chunk's unit codes with one query; each must lie in the target subtree."""
        unknown = {r.unit_code for r in rows if r.unit_code and r.unit_code not in self.units}
        if unknown:
            found = dict.fromkeys(unknown)
            for code, pk, path in Unit.objects.filter(code__in=unknown).values_list("code", "pk", "path"):
                found[code] = (pk, path)
            self.units.update(found)
        for row in rows:
            if not row.unit_code:
                continue
            hit = self.units.get(row.unit_code)
            if hit is None:
                self.error(row, "unit_code", row.unit_code, _("No unit has this code."))
            elif not hit[1].startswith(self.unit.path):
                self.error(
                    row,
                    "unit_code",
                    row.unit_code,
                    _("This unit is not within %(unit)s.") % {"unit": self.unit.name},
                )

    def check_cccds(self, rows: list[_Row]) -> dict[str, Member]:
        """Duplicates within the file, then members already holding the chunk's CCCDs (one query)."""
        wanted = []
        for row in rows:
            cccd = row.raw_cccd
            if not cccd or cccd_error(cccd):
                continue
            key = int(cccd)
            first = self.seen.get(key)
            if first is None:
                self.seen[key] = row.number
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
            m.cccd: m
            for m in Member.objects.filter(cccd__in=wanted)
            .select_related("unit")
            .only("pk", "cccd", "unit_id", "unit__path", "status", *MEMBER_FIELDS)
        }
        for row in rows:
            member = existing.get(row.raw_cccd)
            if member is not None and not member.unit.path.startswith(self.unit.path):
                self.error(
                    row,
                    "cccd",
                    row.raw_cccd,
                    _("This CCCD belongs to a member of a unit outside %(unit)s; it was not changed.")
                    % {"unit": self.unit.name},
                )
        return existing

    # -- writing -----------------------------------------------------------------------------

    def write(self, rows: list[_Row], existing: dict[str, Member]) -> None:
        now = timezone.now()
        actor_id = self.user.pk if self.user is not None else None
        created: list[Member] = []
        changed: list[tuple[Member, dict[str, tuple[Any, Any]]]] = []
        moves: list[MemberMove] = []
        for row in rows:
            values = row.values
            target = self.units[row.unit_code][0] if row.unit_code else None
            member = existing.get(row.raw_cccd)
            if member is None:
                member = Member(unit_id=target or self.unit.pk, cccd=row.raw_cccd, **values)
                member.name_folded = fold(member.full_name)
                created.append(member)
                self.affected.add(member.unit_id)
                continue
            diff = {
                name: (getattr(member, name), values[name])
                for name in self.fields
                if getattr(member, name) != values[name]
            }
            if target and target != member.unit_id:
                diff["unit"] = (member.unit_id, target)
                moves.append(
                    MemberMove(
                        member_id=member.pk,
                        from_unit_id=member.unit_id,
                        to_unit_id=target,
                        moved_on=self.today,
                        reason=_("Roster import"),
                        created_by_id=actor_id,
                    )
                )
            if not diff:
                self.result.unchanged += 1
                continue
            self.affected.add(member.unit_id)
            for name, (_old, new) in diff.items():
                setattr(member, "unit_id" if name == "unit" else name, new)
            member.name_folded = fold(member.full_name)
            member.updated_at = now
            self.affected.add(member.unit_id)
            changed.append((member, diff))

        if created:
            for member in created:
                member.created_at = member.updated_at = now
            _insert(Member, created)
            # executemany returns no ids; one query per chunk reads them back for the audit.
            ids = dict(Member.objects.filter(cccd__in=[m.cccd for m in created]).values_list("cccd", "pk"))
            for member in created:
                member.pk = ids[member.cccd]
            self.result.added += len(created)
        if changed:
            names = ["name_folded", "updated_at", *self.fields]
            if any("unit" in diff for _m, diff in changed):
                names.append("unit")
            Member.objects.bulk_update([m for m, _d in changed], names, batch_size=500)
            self.result.updated += len(changed)
        if moves:
            MemberMove.objects.bulk_create(moves, batch_size=CHUNK_SIZE)
        self.audit(created, changed, now)

    def audit(
        self, created: list[Member], changed: list[tuple[Member, dict]], now: datetime.datetime
    ) -> None:
        """Audit entries as django-auditlog writes them (bulk writes bypass its signals)."""
        actor_id = self.user.pk if self.user is not None else None
        email = getattr(self.user, "email", None) or None
        entries = []
        for member in created:
            changes = {"unit": ["None", str(member.unit_id)], "cccd": ["None", member.cccd]}
            for name in self.fields:
                changes[name] = ["None", _audit_str(getattr(member, name))]
            entries.append(self.entry(member, LogEntry.Action.CREATE, changes, actor_id, email, now))
        for member, diff in changed:
            changes = {name: [_audit_str(old), _audit_str(new)] for name, (old, new) in diff.items()}
            entries.append(self.entry(member, LogEntry.Action.UPDATE, changes, actor_id, email, now))
        _insert(LogEntry, entries)

    def entry(self, member: Member, action: int, changes: dict, actor_id, email, now) -> LogEntry:
        return LogEntry(
            content_type=self.content_type,
            object_pk=str(member.pk),
            object_id=member.pk,
            object_repr=member.full_name,
            action=action,
            changes=changes,
            actor_id=actor_id,
            actor_email=email,
            additional_data={"unit_id": member.unit_id},
            timestamp=now,
        )

    def finish(self) -> None:
        if self.affected:
            counts_recompute(unit_ids=self.affected)


def _insert(model: type[models.Model], objs: list[models.Model]) -> None:
    """Insert many new rows with one prepared statement (executemany). What bulk_create does,
    without its per-value compilation, which costs more than the database itself here. Callers
    set auto_now fields themselves: no pre_save runs."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    preps: list[Callable[[Any], Any] | None] = []
    for f in fields:
        if isinstance(f, models.JSONField):
            preps.append(lambda value, f=f: f.get_db_prep_save(value, connection))
        elif isinstance(f, models.DateTimeField):
            preps.append(connection.ops.adapt_datetimefield_value)
        else:
            preps.append(None)
    attnames = [f.attname for f in fields]
    params = [
        [
            getattr(obj, name) if prep is None else prep(getattr(obj, name))
            for name, prep in zip(attnames, preps, strict=True)
        ]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(sql, params)
            return
        # psycopg sends executemany row by row, and binding one huge VALUES list client-side is
        # slow too; COPY streams the chunk in one round trip.
        columns = ", ".join(quote(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in params:
                copy.write_row(row)


def _audit_str(value: Any) -> str:
    return "None" if value is None else smart_str(value)


# -- jobs ------------------------------------------------------------------------------------


def job_create(*, unit: Unit, created_by: User, upload: UploadedFile, language: str = "") -> ImportJob:
    """Store an uploaded roster and queue its import."""
    from imports.tasks import run_import_job

    job = ImportJob(unit=unit, created_by=created_by, original_filename=upload.name[:255], language=language)
    job.file.save(upload.name, upload, save=False)
    job.save()
    run_import_job.enqueue(job.pk)
    return job


def progress_path(job: ImportJob) -> Path:
    """Where a running job reports its progress. A file, not the job row: the import holds
    one long transaction, which other connections could neither see into nor (on SQLite)
    write beside."""
    return Path(job.file.path + ".progress")


def job_progress(*, job: ImportJob) -> tuple[int, int | None]:
    """(rows done, total rows or None) of a job, live while it runs."""
    if job.status == ImportJob.Status.RUNNING:
        try:
            done, _sep, total = progress_path(job).read_text().partition("/")
            return int(done), int(total) if total else None
        except (OSError, ValueError):
            pass
    return job.progress_rows, job.total_rows


def job_run(*, job: ImportJob) -> ImportJob:
    """Run a queued import job and record its outcome on the job."""
    job.status = ImportJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    sidecar = progress_path(job)

    def on_progress(done: int, total: int | None) -> None:
        tmp = sidecar.with_suffix(".tmp")
        tmp.write_text(f"{done}/{total if total is not None else ''}")
        tmp.replace(sidecar)
        job.progress_rows, job.total_rows = done, total

    fields = ["status", "finished_at", "progress_rows", "total_rows"]
    try:
        result = import_members_file(
            path=Path(job.file.path),
            unit=job.unit,
            imported_by=job.created_by,
            filename=job.original_filename,
            on_progress=on_progress,
        )
    except ImportFileError as exc:
        job.status, job.message = ImportJob.Status.FAILED, str(exc)
        fields.append("message")
    except Exception:
        job.status, job.message = ImportJob.Status.FAILED, _("The import stopped on an unexpected error.")
        job.finished_at = timezone.now()
        job.save(update_fields=[*fields, "message"])
        raise
    else:
        job.status = ImportJob.Status.SUCCEEDED if result.ok else ImportJob.Status.FAILED
        job.rows, job.added, job.updated, job.unchanged = (
            result.rows,
            result.added,
            result.updated,
            result.unchanged,
        )
        job.error_count = result.error_count
        job.errors = [e.__dict__ for e in result.errors]
        job.ignored_columns = result.ignored_columns
        if result.ok:
            job.progress_rows = job.total_rows = result.rows
        fields += ["rows", "added", "updated", "unchanged", "error_count", "errors", "ignored_columns"]
    finally:
        sidecar.unlink(missing_ok=True)
    job.finished_at = timezone.now()
    job.save(update_fields=fields)
    return job
