"""Every CSV and .xlsx file the system writes goes through here, so user text never becomes a
formula in the reader's spreadsheet program (CSV / formula injection).

OWASP's rule: text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a
formula by Excel and LibreOffice when they open a CSV, and openpyxl writes any text starting
with `=` as a live formula in an .xlsx; such text gets a leading apostrophe. In .xlsx every text
cell is also written as a string (never a formula or an error code). Numbers, dates and
booleans are left alone, so a negative number stays a number. Legitimate text such as
"- Giáo viên" gets the apostrophe too: that is accepted practice.

Use `csv_writer` instead of `csv.writer` and `SafeWorkbook` instead of openpyxl's `Workbook`
(lib/tests/test_formula_injection.py fails on any other writer). A formula the system itself
writes (a report form's computed cell) goes through `set_formula`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# Control characters an .xlsx cannot hold (openpyxl refuses the whole file): dropped.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ERROR_CODES = frozenset(ERROR_CODES)


def safe_text(value: str) -> str:
    """`value` as inert text: control characters dropped, a formula start quoted."""
    value = _ILLEGAL.sub("", value)
    return QUOTE + value if value.startswith(FORMULA_PREFIXES) else value


def safe_value(value: Any) -> Any:
    """Text made inert; anything else (numbers, dates, None) as it is."""
    return safe_text(value) if isinstance(value, str) else value


def unquote(value: Any) -> Any:
    """The text `safe_text` quoted, as it was: for the system's own codes read back from its files."""
    if isinstance(value, str) and value.startswith(QUOTE) and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


# -- CSV -------------------------------------------------------------------------------------


class SafeCsvWriter:
    """csv.writer whose rows go through `safe_value`; writerow returns what the file returned
    (the line, for a streaming response's echo buffer)."""

    def __init__(self, out, **kwargs) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_value(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(out, **kwargs)


# -- XLSX ------------------------------------------------------------------------------------


def _as_text(cell: Cell) -> None:
    """Make a cell holding text (or formula-looking text) a plain string cell."""
    value = cell.value
    if isinstance(value, str):
        cell.value = safe_text(value)  # binds a quoted text as "s"
        cell.data_type = "s"  # and "#N/A" is text too, not an error code


def _safe_append_value(ws, value: Any) -> Any:
    if isinstance(value, Cell):
        if value.data_type in ("s", "f", "e"):
            _as_text(value)
        return value
    if isinstance(value, str):
        value = safe_text(value)
        if value in _ERROR_CODES:
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            return cell
    return value


class SafeWriteOnlyWorksheet(WriteOnlyWorksheet):
    """A write-only sheet whose appended text is made inert before it is streamed to disk."""

    def append(self, row) -> None:
        super().append([_safe_append_value(self, v) for v in row])


class SafeWorkbook(Workbook):
    """openpyxl's Workbook that never writes user text as a formula.

    Write-only sheets clean each row as it is appended; ordinary sheets are swept when the
    workbook is saved, except cells given a formula through `set_formula`."""

    def __init__(self, write_only: bool = False, iso_dates: bool = False) -> None:
        super().__init__(write_only=write_only, iso_dates=iso_dates)
        self._trusted_formulas: set[int] = set()

    def create_sheet(self, title=None, index=None):
        if not self.write_only:
            return super().create_sheet(title=title, index=index)
        ws = SafeWriteOnlyWorksheet(parent=self, title=title)
        self._add_sheet(sheet=ws, index=index)
        return ws

    def trust_formula(self, cell: Cell) -> None:
        self._trusted_formulas.add(id(cell))

    def save(self, filename) -> None:
        if not self.write_only:
            for ws in self.worksheets:
                for cell in getattr(ws, "_cells", {}).values():
                    if id(cell) in self._trusted_formulas:
                        continue
                    if cell.data_type in ("s", "f", "e") and isinstance(cell.value, str):
                        _as_text(cell)
        super().save(filename)


def set_formula(cell: Cell, formula: str) -> None:
    """Put a formula the system wrote (never user text) into a cell of a SafeWorkbook sheet."""
    workbook = cell.parent.parent
    if not isinstance(workbook, SafeWorkbook):
        raise TypeError("set_formula needs a cell of a SafeWorkbook")
    cell.value = formula
    workbook.trust_formula(cell)
