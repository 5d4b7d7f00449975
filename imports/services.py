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
import operator
import pickle
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models, reset_queries, transaction
from django.db.models import Max
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _

from imports.columns import REQUIRED_FIELDS, TEMPLATE_HEADERS, field_for_header
from imports.models import ImportJob
from imports.readers import ImportFileError, open_rows
from lib.text import clean, fold
from org.models import Member, MemberMove, Sex, Unit
from org.services.counts import counts_recompute
from org.validators import cccd_error, cccd_taken_message

if TYPE_CHECKING:
    from accounts.models import User

__all__ = ["ImportFileError", "ImportResult", "RowError", "import_members_file", "job_create", "job_run"]

CHUNK_SIZE = 5000
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

# Plain str values: they bind to the database faster than the Sex enum members.
SEX_WORDS = {
    "nam": Sex.MALE.value,
    "male": Sex.MALE.value,
    "m": Sex.MALE.value,
    "man": Sex.MALE.value,
    "trai": Sex.MALE.value,
    "nu": Sex.FEMALE.value,
    "female": Sex.FEMALE.value,
    "f": Sex.FEMALE.value,
    "woman": Sex.FEMALE.value,
    "gai": Sex.FEMALE.value,
}

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
# The escaping json.dumps applies to a str (ensure_ascii=True), in C.
_json_str = json.encoder.encode_basestring_ascii
_PHONE = re.compile(r"[\d\s.+()\-]+")


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


@dataclass(slots=True)
class _Row:
    number: int
    values: dict[str, Any]
    unit_code: str = ""
    raw_cccd: str = ""
    cccd_ok: bool = False  # well formed, so worth looking up
    name_folded: str = ""
    pk: int | None = None  # set once the member is written
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
        for chunk, last_row in _chunks(source.rows, columns):
            importer.process(chunk)
            if settings.DEBUG:
                reset_queries()  # DEBUG keeps every query's SQL: unbounded on big files
            if on_progress is not None:
                on_progress(last_row - header_row, total)
    importer.save()
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
        size = len(cells)
        for p in positions:  # stops at the first filled column, usually the name
            if p < size and not _blank(cells[p]):
                break
        else:
            continue
        chunk.append((number, cells))
        if len(chunk) >= CHUNK_SIZE:
            yield chunk, number
            chunk = []
    if chunk or number:
        yield chunk, number


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_str(value: str) -> str:
    """`lib.text.clean` for a str: `split()` and the `\\s+` regex agree on what a space is,
    and ASCII text is NFC already, so the common cell skips normalising and the regex."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def _text(value: Any) -> str:
    """A cell as the text a user would recognise in the error list."""
    if value is None:
        return ""
    if value.__class__ is str:
        return _clean_str(value)
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
    if value.__class__ is str and len(value) == 10 and value[2] == "/" == value[5]:
        # dd/mm/yyyy as most files write it, without the regex; the same digits _DMY accepts.
        day, month, year = value[:2], value[3:5], value[6:]
        if day.isdecimal() and month.isdecimal() and year.isdecimal():
            return datetime.date(int(year), int(month), int(day))
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
    if value.__class__ is str or isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    return None


class _Memo(dict):
    """A bounded cache of a pure function of a cell: rosters repeat the same sexes, dates,
    positions and names, and a dict lookup costs less than cleaning or parsing them again.
    Only str keys are kept (True == 1 == 1.0 would mix up other cells); errors propagate."""

    def __init__(self, func: Callable[[Any], Any], limit: int = 50_000) -> None:
        super().__init__()
        self.func, self.limit = func, limit

    def __missing__(self, key: Any) -> Any:
        value = self.func(key)
        if key.__class__ is str and len(self) < self.limit:
            self[key] = value
        return value


class _Table:
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


class _Importer:
    """Validates chunks of rows and spools the valid ones, then writes them all in one
    transaction; holds only what must span chunks (seen CCCDs, the spool file)."""

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
        # Checked rows waiting for the write pass; on disk, so memory stays flat on big files.
        self.spool = tempfile.TemporaryFile()
        self.content_type = ContentType.objects.get_for_model(Member)
        self.fields = [f for f in MEMBER_FIELDS if columns.has(f)]
        if "sex" not in self.fields and (columns.has("sex_male_mark") or columns.has("sex_female_mark")):
            self.fields.append("sex")
        # field -> cell position, None for a column the file lacks (looked up once per cell)
        self.pos = {**dict.fromkeys((*MEMBER_FIELDS, "cccd", "unit_code")), **columns.index}
        self.texts = [
            (name, limit, self.pos[name])
            for name, limit in TEXT_LIMITS.items()
            if name != "full_name" and self.pos[name] is not None
        ]
        self.sex_of = _Memo(lambda raw: SEX_WORDS.get(fold(_text(raw))))
        self.text_of = _Memo(_text)
        self.date_of = _Memo(parse_date)
        self.folded_word = _Memo(fold)
        self.folded_name = _Memo(self.fold_name)
        postgresql = connection.vendor == "postgresql"
        self.members = _Table(Member, with_pk=postgresql)
        self.entries = _Table(LogEntry, with_pk=False)
        # The `changes` JSON of a new member, one %s per quoted value: what json.dumps gives.
        self.created_json = (
            "{" + ", ".join(f'"{name}": ["None", %s]' for name in ("unit", "cccd", *self.fields)) + "}"
        )

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
        """Check one chunk (no transaction, no write) and spool its rows while all are valid."""
        rows = [self.parse(number, cells) for number, cells in chunk]
        self.result.rows += len(rows)
        self.check_units(rows)
        self.check_cccds(rows)
        if not self.result.ok:
            return  # keep validating later chunks, but nothing will be written
        packed = [(r.number, r.values, r.unit_code, r.raw_cccd, r.name_folded) for r in rows]
        pickle.dump(packed, self.spool, protocol=pickle.HIGHEST_PROTOCOL)

    def spooled(self) -> Iterator[list[_Row]]:
        self.spool.seek(0)
        while True:
            try:
                packed = pickle.load(self.spool)
            except EOFError:
                return
            yield [
                _Row(number=n, values=values, unit_code=code, raw_cccd=cccd, cccd_ok=True, name_folded=folded)
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
                self.unit.refresh_from_db(fields=["path"])
                self.units = {self.unit.code: (self.unit.pk, self.unit.path)}
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

    def cell(self, cells: list, name: str) -> Any:
        return _cell(cells, self.pos.get(name))

    def fold_name(self, name: str) -> str:
        """`fold(name)`, word by word through a cache: folding works on each word alone, and
        a roster's names are made of a few thousand words."""
        folded = self.folded_word
        return " ".join(word for word in (folded[w] for w in name.split()) if word)

    def parse(self, number: int, cells: list) -> _Row:
        row = _Row(number=number, values={})
        values = row.values
        pos = self.pos

        raw_name = _cell(cells, pos["full_name"])
        values["full_name"] = name = self.text_of[raw_name]
        row.name_folded = self.folded_name[name]
        if not row.name_folded:
            self.error(row, "full_name", raw_name, _("The full name is required."))
        if len(name) > TEXT_LIMITS["full_name"]:
            self.error(row, "full_name", raw_name, _("At most %(limit)s characters.") % {"limit": 150})

        self.parse_sex(row, cells)

        raw = _cell(cells, pos["cccd"])
        number_text = _number_text(raw)
        cccd = number_text.zfill(12) if number_text and len(number_text) <= 12 else _text(raw)
        cccd = cccd.lstrip("'").replace(" ", "").replace(".", "")
        row.raw_cccd = cccd
        if not cccd:
            self.error(row, "cccd", raw, _("The CCCD is required."))
        elif problem := cccd_error(cccd):
            self.error(row, "cccd", raw, problem)
        else:
            row.cccd_ok = True

        if pos["date_of_birth"] is not None or pos["joined_on"] is not None:
            self.parse_dates(row, cells)

        if pos["phone"] is not None:
            raw = _cell(cells, pos["phone"])
            number_text = _number_text(raw)
            phone = number_text if number_text is not None else _text(raw).lstrip("'")
            if number_text is not None and len(phone) == 9:
                phone = "0" + phone  # a phone typed as a number lost its leading 0
            if phone.isdecimal():  # the common case, without the regex
                bad = not 9 <= len(phone) <= 11
            else:
                count = sum(ch.isdigit() for ch in phone)
                bad = bool(phone) and (not 9 <= count <= 11 or not _PHONE.fullmatch(phone))
            if bad:
                self.error(row, "phone", raw, _("A phone number has 9 to 11 digits."))
            values["phone"] = phone

        text_of = self.text_of
        for name, limit, p in self.texts:
            raw = _cell(cells, p)
            text = _number_text(raw) or text_of[raw]
            if len(text) > limit:
                self.error(row, name, raw, _("At most %(limit)s characters.") % {"limit": limit})
            values[name] = text

        if pos["unit_code"] is not None:
            raw = _cell(cells, pos["unit_code"])
            row.unit_code = _number_text(raw) or _text(raw)
        return row

    def parse_dates(self, row: _Row, cells: list) -> None:
        values, today = row.values, self.today
        for name in ("date_of_birth", "joined_on"):
            p = self.pos[name]
            if p is None:
                continue
            raw = _cell(cells, p)
            try:
                when = self.date_of[raw]
            except (ValueError, OverflowError):
                self.error(row, name, raw, _("This is not a date; write it as dd/mm/yyyy."))
                continue
            if when and when > today:
                self.error(row, name, raw, _("The date is in the future."))
                continue
            values[name] = when
        born = values.get("date_of_birth")
        if born:
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            if not MIN_AGE <= age <= MAX_AGE:
                self.error(
                    row,
                    "date_of_birth",
                    self.cell(cells, "date_of_birth"),
                    _("A member must be between %(min)s and %(max)s years old.")
                    % {"min": MIN_AGE, "max": MAX_AGE},
                )
        joined = values.get("joined_on")
        if born and joined and joined <= born:
            self.error(
                row,
                "joined_on",
                self.cell(cells, "joined_on"),
                _("The date of joining the union must be after the date of birth."),
            )

    def parse_sex(self, row: _Row, cells: list) -> None:
        if self.pos["sex"] is not None:
            raw = self.cell(cells, "sex")
            if raw is None:
                self.error(row, "sex", raw, _("The sex is required (Nam or Nữ)."))
                return
            sex = self.sex_of[raw]
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

    def check_cccds(self, rows: list[_Row], *, again: bool = False) -> dict[str, tuple]:
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
            for found in _with_cccds(wanted).values_list("pk", "cccd", "unit_id", "unit__path", *self.fields)
        }
        if existing:
            for row in rows:
                member = existing.get(row.raw_cccd)
                if member is not None and not member[2].startswith(self.unit.path):
                    # Held outside the importing subtree: refused in words that do not say so.
                    self.error(row, "cccd", row.raw_cccd, cccd_taken_message())
        return existing

    # -- writing -----------------------------------------------------------------------------

    def write(self, rows: list[_Row], existing: dict[str, tuple]) -> None:
        now = timezone.now()
        db_now = connection.ops.adapt_datetimefield_value(now)
        actor_id = self.user.pk if self.user is not None else None
        default_unit = self.unit.pk
        fields = self.fields
        created: list[tuple[_Row, int]] = []  # (row, unit id)
        changed: list[tuple[_Row, int, int, dict[str, tuple[Any, Any]]]] = []  # (row, pk, unit id, diff)
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
        self, created: list[tuple[_Row, int]], changed: list[tuple[_Row, int, int, dict]], db_now: Any
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
    def entry(fixed: dict, row: _Row, action: int, unit_id: int, changes: str) -> dict:
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

    def insert_members(self, created: list[tuple[_Row, int]], db_now: Any) -> None:
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

    def update_members(self, changed: list[tuple[_Row, int, int, dict]], db_now: Any) -> None:
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


def _cell(cells: list, pos: int | None) -> Any:
    """The value at `pos`, None for a missing column, a short row or a blank cell."""
    if pos is None or pos >= len(cells):
        return None
    value = cells[pos]
    if value.__class__ is str:  # every CSV cell: `_blank` without its calls
        return value if value and not value.isspace() else None
    return None if _blank(value) else value


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


# -- jobs ------------------------------------------------------------------------------------


def job_create(*, unit: Unit, created_by: User, upload: UploadedFile, language: str = "") -> ImportJob:
    """Store an uploaded roster and queue its import."""
    from imports.tasks import run_import_job

    job = ImportJob(unit=unit, created_by=created_by, original_filename=upload.name[:255], language=language)
    job.file.save(upload.name, upload, save=False)
    with transaction.atomic():  # the job row and its queued task, or neither
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
