"""Row readers for list files (rosters, pledges, registers): .xlsx (openpyxl, streamed), .xls/.ods
(calamine) and .csv.

Each reader yields `(row_number, cells)` lazily, where `row_number` is the row as the
spreadsheet shows it (1-based) and `cells` holds raw values (str, int, float, date, datetime
or None). Nothing here knows about members; each importer maps headers and validates.

`open_rows` is what the imports use: the file passes the upload gate (lib.uploads), then a
sandboxed child process (lib.sandbox) parses it and streams the rows back, so a hostile file
costs at most the sandbox's time and memory. `read_rows` parses in this process (the child).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

# How much of a CSV file is used to guess its encoding and delimiter.
SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")
EXTENSIONS = (".xlsx", ".xls", ".ods", ".csv", ".txt")
# A row filled past this column makes the file refused: it is no list to import.
MAX_COLUMNS = 1024

Cells = list


class ImportFileError(Exception):
    """The file cannot be read at all (empty, unknown format, corrupt). The message is for users."""


@dataclass
class RowSource:
    """Rows of one sheet, plus an estimate of how many there are (None when unknown)."""

    rows: Iterator[tuple[int, Cells]]
    total: int | None


def file_kind(path: Path, filename: str | None = None) -> str:
    """'xlsx', 'xls', 'ods' or 'csv', from the content first and the file name second."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise ImportFileError(_("The file is empty."))
    name = (filename or path.name).lower()
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            raise ImportFileError(_("The file is damaged and cannot be read."))
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            return "ods"
        raise ImportFileError(_("This file format is not supported. Use .xlsx, .xls, .ods or .csv."))
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2 compound file: Excel 97-2003
        return "xls"
    if name.endswith((".xlsx", ".xls", ".ods")):
        raise ImportFileError(_("The file is damaged and cannot be read."))
    if name.endswith((".csv", ".txt")) or not name.rpartition(".")[1]:
        return "csv"
    raise ImportFileError(_("This file format is not supported. Use .xlsx, .xls, .ods or .csv."))


@contextmanager
def open_rows(path: Path, filename: str | None = None) -> Iterator[RowSource]:
    """The rows of a roster file (first sheet only), after the upload gate, parsed by a sandboxed
    child process; raises ImportFileError when the file is refused, unreadable or too costly."""
    from lib import sandbox, uploads

    _preload()
    path = Path(path)
    try:
        uploads.check_path(path, kind="sheet", name=filename or path.name)
    except uploads.UploadRefused as exc:
        raise ImportFileError(str(exc)) from None
    try:
        with sandbox.stream(
            _rows_for_sandbox, path, filename, settings.IMPORT_MAX_ROWS, expected=(ImportFileError,)
        ) as items:
            total = next(items)
            yield RowSource(rows=items, total=total)
    except sandbox.SandboxError as exc:
        raise ImportFileError(str(exc)) from None


def _preload() -> None:
    """Import the parsers here, once, so that each forked child does not import them again."""
    import openpyxl  # noqa: F401
    import python_calamine  # noqa: F401


def _rows_for_sandbox(path: Path, filename: str | None, max_rows: int) -> Iterator:
    """In the child: the total first, then every row with its trailing blank cells cut off."""
    from lib.uploads import too_many_rows

    with read_rows(path, filename) as source:
        yield source.total
        filled = 0
        for number, cells in source.rows:
            end = len(cells)
            while end and (cells[end - 1] is None or cells[end - 1] == ""):
                end -= 1
            if end:
                if end > MAX_COLUMNS:
                    raise ImportFileError(
                        _("The sheet has more than %(max)s columns: it is not a list to import.")
                        % {"max": MAX_COLUMNS}
                    )
                filled += 1
                if filled > max_rows:
                    raise ImportFileError(str(too_many_rows(max_rows)))
            yield number, cells[:end]


@contextmanager
def read_rows(path: Path, filename: str | None = None) -> Iterator[RowSource]:
    """Open a roster file and give its rows (first sheet only) in this process; closes the file
    afterwards. Only for files that passed the gate, inside the sandbox."""
    kind = file_kind(path, filename)
    if kind == "xlsx":
        with _xlsx_rows(path) as source:
            yield source
    elif kind in ("xls", "ods"):
        yield _calamine_rows(path)
    else:
        with _csv_rows(path) as source:
            yield source


@contextmanager
def _xlsx_rows(path: Path) -> Iterator[RowSource]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(_("The file is damaged and cannot be read."))
    try:
        ws = wb.worksheets[0]
        total = ws.max_row if isinstance(ws.max_row, int) else None

        def rows() -> Iterator[tuple[int, Cells]]:
            # min_row=1 makes openpyxl fill in leading empty rows, so numbers match the sheet.
            try:
                for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                    yield number, list(values)
            except (ImportFileError, GeneratorExit):
                raise
            except Exception:
                raise ImportFileError(_("The file is damaged and cannot be read."))

        yield RowSource(rows=rows(), total=total)
    finally:
        wb.close()


def _calamine_rows(path: Path) -> RowSource:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheet = wb.get_sheet_by_index(0)
    except Exception:
        raise ImportFileError(_("The file is damaged and cannot be read."))
    first = sheet.start[0] if sheet.start else 0

    def rows() -> Iterator[tuple[int, Cells]]:
        for offset, values in enumerate(sheet.iter_rows()):
            yield first + offset + 1, [None if v == "" else v for v in values]

    return RowSource(rows=rows(), total=first + sheet.height)


def detect_encoding(sample: bytes) -> tuple[str, int]:
    """(codec, BOM length) of a CSV file: BOM first, then strict UTF-8, else Windows-1258."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8", len(codecs.BOM_UTF8)
    if sample.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if sample.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A sample cut inside a multi-byte character fails only in its last 3 bytes.
        if exc.start < len(sample) - 3:
            return "cp1258", 0
    return "utf-8", 0


def sniff_delimiter(text: str) -> str:
    """The delimiter among , ; and tab that splits the first lines most consistently."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = ",", -1
    for delim in DELIMITERS:
        counts = [line.count(delim) for line in lines]
        if not counts or max(counts) == 0:
            continue
        # Most lines should contain it; prefer the one with the most columns on the commonest line.
        common = max(set(counts), key=counts.count)
        score = counts.count(common) * 1000 + common
        if score > best_score:
            best, best_score = delim, score
    return best


def _count_newlines(path: Path, encoding: str) -> int:
    needle = "\n".encode(encoding) if encoding.startswith("utf-16") else b"\n"
    count, tail = 0, b""
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            count += (tail + chunk).count(needle) - tail.count(needle)
            tail = chunk[-1:]
    return count + 1


@contextmanager
def _csv_rows(path: Path) -> Iterator[RowSource]:
    with path.open("rb") as fh:
        sample = fh.read(SNIFF_BYTES)
    if not sample.strip(b"\x00\r\n\t ,;\xef\xbb\xbf\xff\xfe"):
        raise ImportFileError(_("The file is empty."))
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(_("This file format is not supported. Use .xlsx, .xls, .ods or .csv."))
    encoding, bom = detect_encoding(sample)
    text_sample = sample[bom:].decode(encoding, errors="ignore")
    delimiter = sniff_delimiter(text_sample)
    total = _count_newlines(path, encoding)
    raw = path.open("rb")
    try:
        raw.seek(bom)
        # errors="replace": one stray byte must not make the whole file unreadable; the cell
        # with U+FFFD then fails validation where it matters (a name, a date).
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        reader = csv.reader(text, delimiter=delimiter)

        def rows() -> Iterator[tuple[int, Cells]]:
            try:
                yield from enumerate(reader, start=1)
            except csv.Error:
                raise ImportFileError(_("The file is damaged and cannot be read."))

        yield RowSource(rows=rows(), total=total)
    finally:
        raw.close()
