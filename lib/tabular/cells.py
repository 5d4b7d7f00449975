"""Cells as the readers give them (str, int, float, date, datetime or None), turned into the
text, dates and numbers an importer checks, and the error an importer lists for a bad cell.

Hot paths: a roster of a million rows passes every cell through here, so the common cases
(a str cell, dd/mm/yyyy) are tested first, without regexes or extra calls.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lib.text import clean

EXCEL_EPOCH = datetime.date(1899, 12, 30)

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


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_str(value: str) -> str:
    """`lib.text.clean` for a str: `split()` and the `\\s+` regex agree on what a space is,
    and ASCII text is NFC already, so the common cell skips normalising and the regex."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def cell_text(value: Any) -> str:
    """A cell as the text a user would recognise in the error list."""
    if value is None:
        return ""
    if value.__class__ is str:
        return clean_str(value)
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
    if blank(value):
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


def number_text(value: Any) -> str | None:
    """Digits of a numeric cell (Excel drops leading zeros of numbers), else None."""
    if value.__class__ is str or isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    return None


def cell_at(cells: list, pos: int | None) -> Any:
    """The value at `pos`, None for a missing column, a short row or a blank cell."""
    if pos is None or pos >= len(cells):
        return None
    value = cells[pos]
    if value.__class__ is str:  # every CSV cell: `blank` without its calls
        return value if value and not value.isspace() else None
    return None if blank(value) else value


class Memo(dict):
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
