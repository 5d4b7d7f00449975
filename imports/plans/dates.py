"""Dates and periods as Vietnamese plans write them.

Points: "22/02/2021", "1/7", "30-6-2021", "30.6.2021", "ngày 22 tháng 02 năm 2021", "tháng 9/2021",
"quý III", "quý 3 năm 2021", "6 tháng đầu năm", "cuối năm", "nay". A range is two points joined
by "đến"/"tới"/"-" ("Từ ngày 01/7/2021 đến 31/12/2021", "Từ tháng 9/2021 đến tháng 11/2021",
"từ nay đến hết quý III"), or a single period ("Quý II/2022", "tháng 5/2022", "6 tháng cuối năm").
A month or quarter starts on its first day and ends on its last; a point without a year takes the
year of the other end, else the plan's year.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field

ROMAN_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = r"(?:\s*(?:/|-|\.|,)?\s*(?:năm\s+)?(?P<{name}>(?:19|20)\d\d))"

_POINT_PATTERNS = [
    # ngày 22 tháng 02 năm 2021 / ngày 1 tháng 7
    (
        "dmy_words",
        re.compile(
            r"(?:ngày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s*(?:,\s*)?năm\s+(?P<y>(?:19|20)\d\d))?\b",
            re.IGNORECASE,
        ),
    ),
    # 22/02/2021, 30-6-2021, 30.6.2021, 1/7, 01/7/21
    (
        "dmy",
        re.compile(
            r"(?:ngày\s+)?(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})"
            r"(?:\s*(?P=sep)\s*(?P<y>(?:19|20)\d\d|\d\d)(?!\d))?(?![\d/])",
            re.IGNORECASE,
        ),
    ),
    # tháng 9/2021, tháng 9 năm 2021, tháng 9
    ("month", re.compile(r"tháng\s+(?P<m>\d{1,2})(?!\d)" + _YEAR.format(name="y") + "?", re.IGNORECASE)),
    # quý III, quý 3/2021, quý II năm 2021
    (
        "quarter",
        re.compile(r"quý\s+(?P<q>IV|III|II|I|[1-4])(?![\w])" + _YEAR.format(name="y") + "?", re.IGNORECASE),
    ),
    # 6 tháng đầu năm (2021), 6 tháng cuối năm
    (
        "half",
        re.compile(
            r"(?:06|6|sáu)\s+tháng\s+(?P<h>đầu|cuối)\s+năm(?:\s+(?P<y>(?:19|20)\d\d))?", re.IGNORECASE
        ),
    ),
    # cuối năm (2021), hết năm 2021, năm 2021 (as an end: "đến hết năm 2021")
    ("year_end", re.compile(r"(?:cuối|hết)\s+năm(?:\s+(?P<y>(?:19|20)\d\d))?", re.IGNORECASE)),
    ("year", re.compile(r"năm\s+(?P<y>(?:19|20)\d\d)", re.IGNORECASE)),
    ("now", re.compile(r"(?:nay|bây giờ|hiện nay|ngày ban hành(?: kế hoạch)?)\b", re.IGNORECASE)),
]
_FROM = re.compile(r"\b(?:bắt đầu\s+)?từ\s+(?:ngày\s+)?", re.IGNORECASE)
_TO = re.compile(
    r"\s*(?:đến|tới|->|–|-|~)\s*(?:(?:hết|cuối)\s+(?=ngày|tháng|quý|\d)(?:ngày\s+)?|ngày\s+)?", re.IGNORECASE
)
_UNTIL = re.compile(
    r"\b(?:đến|tới)\s+(?:(?:hết|cuối)\s+(?=ngày|tháng|quý|\d)(?:ngày\s+)?|ngày\s+)?", re.IGNORECASE
)
_PERIOD_KINDS = ("quarter", "half", "month")


@dataclass
class Point:
    kind: str  # dmy, month, quarter, half, year_end, year, now
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    half: int | None = None
    start: int = 0
    end: int = 0


@dataclass
class Period:
    start: datetime.date | None
    end: datetime.date | None
    span: tuple[int, int]  # where the expression is in the text searched
    flags: list[str] = field(default_factory=list)


def _year(value: str | None) -> int | None:
    if not value:
        return None
    y = int(value)
    return 2000 + y if y < 100 else y


def point_at(text: str, pos: int) -> Point | None:
    """The date-like expression starting exactly at `pos`, if any."""
    for kind, pattern in _POINT_PATTERNS:
        m = pattern.match(text, pos)
        if not m:
            continue
        g = m.groupdict()
        if kind in ("dmy", "dmy_words"):
            kind = "dmy"
            d, mo = int(g["d"]), int(g["m"])
            if not (1 <= d <= 31 and 1 <= mo <= 12):
                continue
            return Point("dmy", _year(g.get("y")), mo, d, start=m.start(), end=m.end())
        if kind == "month":
            mo = int(g["m"])
            if not 1 <= mo <= 12:
                continue
            return Point("month", _year(g.get("y")), mo, start=m.start(), end=m.end())
        if kind == "quarter":
            return Point(
                "quarter",
                _year(g.get("y")),
                quarter=ROMAN_QUARTERS[g["q"].upper()],
                start=m.start(),
                end=m.end(),
            )
        if kind == "half":
            half = 1 if g["h"].lower() == "đầu" else 2
            return Point("half", _year(g.get("y")), half=half, start=m.start(), end=m.end())
        return Point(kind, _year(g.get("y")), start=m.start(), end=m.end())
    return None


def _first_day(p: Point, year: int) -> datetime.date | None:
    try:
        if p.kind == "dmy":
            return datetime.date(year, p.month, p.day)
        if p.kind == "month":
            return datetime.date(year, p.month, 1)
        if p.kind == "quarter":
            return datetime.date(year, 3 * p.quarter - 2, 1)
        if p.kind == "half":
            return datetime.date(year, 1 if p.half == 1 else 7, 1)
        if p.kind == "year":
            return datetime.date(year, 1, 1)
    except ValueError:
        return None
    return None


def _last_day(p: Point, year: int) -> datetime.date | None:
    try:
        if p.kind == "dmy":
            return datetime.date(year, p.month, p.day)
        if p.kind == "month":
            return datetime.date(year, p.month, calendar.monthrange(year, p.month)[1])
        if p.kind == "quarter":
            month = 3 * p.quarter
            return datetime.date(year, month, calendar.monthrange(year, month)[1])
        if p.kind == "half":
            return datetime.date(year, 6, 30) if p.half == 1 else datetime.date(year, 12, 31)
        if p.kind in ("year_end", "year"):
            return datetime.date(year, 12, 31)
    except ValueError:
        return None
    return None


def _resolve(a: Point | None, b: Point | None, *, plan_date, year) -> tuple:
    """(start, end, flags) of a range whose ends may lack their year."""
    flags: list[str] = []
    b_year = b.year if b else None
    a_year = a.year if a else None
    start = end = None
    if a is not None and a.kind == "now":
        if plan_date is None:
            flags.append("start_missing")
        else:
            start = plan_date
            a_year = plan_date.year
    if b is not None:
        by = b_year or a_year or year
        if by is None:
            flags.append("end_missing")
        else:
            end = _last_day(b, by)
            if end is None:
                flags.append("end_invalid")
    if a is not None and a.kind != "now":
        ay = a_year or b_year or year
        if ay is None:
            flags.append("start_missing")
        else:
            start = _first_day(a, ay)
            if start is None:
                flags.append("start_invalid")
            elif end is not None and start > end and a_year is None and b_year is not None:
                # "từ 01/12 đến 28/02/2022": the start lies in the year before.
                start = _first_day(a, ay - 1)
    if a is None:
        flags.append("start_missing")
    return start, end, flags


def find_period(
    text: str, *, plan_date: datetime.date | None = None, year: int | None = None
) -> Period | None:
    """The first range or period in `text`, resolved to dates (None where it cannot be)."""
    candidates: list[Period] = []
    for m in _FROM.finditer(text):
        a = point_at(text, m.end())
        if a is None or a.kind in ("year_end",):
            continue
        to = _TO.match(text, a.end)
        if to:
            b = point_at(text, to.end())
            if b is not None and b.kind != "now":
                start, end, flags = _resolve(a, b, plan_date=plan_date, year=year)
                candidates.append(Period(start, end, (m.start(), b.end), flags))
                break
        if a.kind in _PERIOD_KINDS:
            start, end, flags = _resolve(a, a, plan_date=plan_date, year=year)
            candidates.append(Period(start, end, (m.start(), a.end), flags))
            break
    # "01/3 - 30/6/2022" or "Quý I - Quý II/2022" without "từ".
    for pos in _starts(text):
        a = point_at(text, pos)
        if a is None or a.kind not in ("dmy", "month", "quarter"):
            continue
        to = _TO.match(text, a.end)
        if to and to.end() > a.end:
            b = point_at(text, to.end())
            if b is not None and b.kind in ("dmy", "month", "quarter", "year_end"):
                start, end, flags = _resolve(a, b, plan_date=plan_date, year=year)
                candidates.append(Period(start, end, (a.start, b.end), flags))
                break
    m = _UNTIL.search(text)
    if m:
        b = point_at(text, m.end())
        if b is not None and b.kind != "now":
            start, end, flags = _resolve(None, b, plan_date=plan_date, year=year)
            candidates.append(Period(start, end, (m.start(), b.end), flags))
    for pos in _starts(text):
        a = point_at(text, pos)
        if a is not None and a.kind in _PERIOD_KINDS:
            start, end, flags = _resolve(a, a, plan_date=plan_date, year=year)
            candidates.append(Period(start, end, (a.start, a.end), flags))
            break
    if not candidates:
        return None
    # The earliest expression wins; at the same place, the longer one.
    return min(candidates, key=lambda p: (p.span[0], -(p.span[1] - p.span[0])))


_WORD_START = re.compile(r"(?<![\w/.-])(?=[\wđĐ])", re.UNICODE)


def _starts(text: str):
    for m in _WORD_START.finditer(text):
        yield m.start()


_PLACE_DATE = re.compile(
    r"ngày\s*(?P<d>\d{1,2}|[.…_\s]*)\s*tháng\s*(?P<m>\d{1,2}|[.…_\s]*)\s*năm\s*(?P<y>(?:19|20)\d\d)",
    re.IGNORECASE,
)
_DMY_ANY = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>(?:19|20)\d\d)", re.IGNORECASE
)


@dataclass
class DateLine:
    date: datetime.date | None
    year: int | None
    span: tuple[int, int]  # the "ngày … tháng … năm …" part
    blank: bool  # day or month left blank ("ngày … tháng … năm 2021"), as in an unsigned draft


def find_date_line(text: str) -> DateLine | None:
    """'ngày 22 tháng 02 năm 2021' (or 'ngày 22/02/2021') in a line, blanks allowed."""
    m = _PLACE_DATE.search(text) or _DMY_ANY.search(text)
    if not m:
        return None
    y = int(m.group("y"))
    d, mo = m.group("d").strip(), m.group("m").strip()
    if not (d.isdigit() and mo.isdigit()):
        return DateLine(None, y, m.span(), True)
    try:
        return DateLine(datetime.date(y, int(mo), int(d)), y, m.span(), False)
    except ValueError:
        return DateLine(None, y, m.span(), False)
