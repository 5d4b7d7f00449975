"""The rows of an old award register (sổ khen thưởng) as the import reads them: accepted header
spellings, the template's headers, cell helpers, the issuing level named in words, and the
checks of one row that need no database.

Headers are compared after `lib.text.fold`, so "Họ và tên", "HỌ VÀ TÊN" and "ho va ten" are the
same header. The template and the register export write the headers of HEADERS."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Award
from imports.members import SEX_WORDS
from lib import tabular
from lib.tabular import RowError, cell_at, parse_date
from lib.text import clean, fold
from org.models import LEVEL_OF_KIND, UnitLevel
from org.validators import cccd_error

HEADER_SEARCH_ROWS = 50
MAX_LISTED_ERRORS = 5000
FIRST_YEAR = 1945
CCCD_LENGTH = 12
PERSON, COLLECTIVE = "person", "collective"

# (field, header written by the template and the register export), in the template's order.
HEADERS: list[tuple[str, str]] = [
    ("full_name", "Họ và tên"),
    ("collective_name", "Tên tập thể"),
    ("cccd", "Số CCCD"),
    ("date_of_birth", "Ngày sinh"),
    ("sex", "Giới tính"),
    ("position_title", "Chức vụ"),
    ("unit", "Đơn vị"),
    ("award", "Danh hiệu / Hình thức khen thưởng"),
    ("year", "Năm"),
    ("theme", "Chuyên đề"),
    ("decision_number", "Số quyết định"),
    ("decided_on", "Ngày quyết định"),
    ("issuer", "Cấp khen"),
    ("note", "Ghi chú"),
]
LABELS = dict(HEADERS) | {"unit_code": "Mã đơn vị"}
_ALIASES: dict[str, list[str]] = {
    "full_name": ["Họ và tên", "Họ tên", "Họ và tên cá nhân", "Tên cá nhân", "Cá nhân", "Full name", "Name"],
    "collective_name": ["Tên tập thể", "Tập thể", "Tên tập thể được khen", "Collective", "Collective name"],
    "cccd": [
        "Số CCCD",
        "CCCD",
        "Số CMND/CCCD",
        "CMND/CCCD",
        "Số CMND",
        "Số căn cước",
        "Số định danh",
        "Citizen ID",
    ],
    "date_of_birth": ["Ngày sinh", "Ngày tháng năm sinh", "Sinh ngày", "Date of birth"],
    "sex": ["Giới tính", "Giới", "Sex", "Gender"],
    "position_title": ["Chức vụ", "Chức danh", "Position"],
    "unit": ["Đơn vị", "Tên đơn vị", "Đơn vị công tác", "Unit"],
    "unit_code": ["Mã đơn vị", "Unit code"],
    "award": [
        "Danh hiệu / Hình thức khen thưởng",
        "Danh hiệu, hình thức khen thưởng",
        "Danh hiệu hoặc hình thức khen thưởng",
        "Hình thức khen thưởng",
        "Danh hiệu",
        "Danh hiệu thi đua",
        "Hình thức",
        "Khen thưởng",
        "Award",
    ],
    "year": ["Năm", "Năm khen thưởng", "Năm được khen", "Năm đạt", "Year"],
    "theme": ["Chuyên đề", "Theme"],
    "decision_number": [
        "Số quyết định",
        "Số QĐ",
        "Quyết định số",
        "Số, ký hiệu quyết định",
        "Decision number",
    ],
    "decided_on": ["Ngày quyết định", "Ngày QĐ", "Ngày ký", "Ngày ký quyết định", "Decision date"],
    "issuer": ["Cấp khen", "Cấp khen thưởng", "Cơ quan khen thưởng", "Cấp quyết định", "Issued by"],
    "note": ["Ghi chú", "Ghi chu", "Note"],
}
ALIASES = {fold(alias): name for name, aliases in _ALIASES.items() for alias in aliases}
# Row numbers and the like: columns a register has that need no warning.
QUIET_COLUMNS = {"stt", "tt", "so tt", "so thu tu"}
TEXT_LIMITS = {
    "name": 255,
    "position_title": 255,
    "theme": 255,
    "decision_number": 80,
    "issuer": 255,
    "note": 500,
}

PROVINCE_KINDS = [k for k, level in LEVEL_OF_KIND.items() if level == UnitLevel.PROVINCE]
# "Cấp khen" written as words rather than a unit of the tree: the level it names (None: decided
# outside the union). Checked in this order, on whole folded words.
_OUTSIDE_WORDS = (
    "thu tuong",
    "chinh phu",
    "chu tich nuoc",
    "nha nuoc",
    "ubnd",
    "uy ban nhan dan",
    "bo truong",
    "giam doc",
    "thu truong",
    "hieu truong",
)
_LEVEL_WORDS: list[tuple[int, tuple[str, ...]]] = [
    (UnitLevel.PROVINCE, ("nganh trung uong", "cong doan tong cong ty")),
    (UnitLevel.CONFEDERATION, ("tong lien doan", "tong ldld", "tld", "trung uong", "toan quoc")),
    (UnitLevel.GROUP, ("to cong doan",)),
    (UnitLevel.GRASSROOTS, ("cong doan co so", "cdcs", "cap co so", "co so")),
    (
        UnitLevel.UPPER,
        (
            "cap tren",
            "huyen",
            "thi xa",
            "ldld quan",
            "cong doan nganh",
            "khu cong nghiep",
            "khu kinh te",
            "cong doan vien chuc",
            "cdvc",
            "cong doan khoi",
        ),
    ),
    (UnitLevel.PROVINCE, ("tinh", "cap tinh", "ldld tinh")),
]
_UPPER_BEFORE_GRASSROOTS = ("cap tren co so", "cap tren truc tiep co so")
YEAR_RE = re.compile(r"^(?:nam\s*)?(\d{4})$")


def cell_text(value: Any) -> str:
    """A cell as the text a user would recognise in the error list."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return clean(str(value))


def _field_of(cell: Any) -> str | None:
    return ALIASES.get(fold(cell_text(cell))) if cell is not None else None


def _is_header(names: list[str | None]) -> bool:
    return ("full_name" in names or "collective_name" in names) and "award" in names


def find_header(rows: Iterator[tuple[int, list]]) -> tuple[int, dict, dict, list] | None:
    """Consume rows up to the header (a name column and an award column); map it to fields."""
    header = tabular.find_header(
        rows,
        field_of=_field_of,
        is_header=_is_header,
        text=cell_text,
        listed=lambda text: fold(text) not in QUIET_COLUMNS,
        search_rows=HEADER_SEARCH_ROWS,
    )
    return None if header is None else (header.row, header.index, header.headers, header.ignored)


def chunks(
    rows: Iterable[tuple[int, list]], index: dict[str, int], size: int = 2000
) -> Iterator[list[tuple[int, list]]]:
    """Non-blank data rows, CHUNK_SIZE at a time (a row counts when any known column is filled)."""
    positions = list(index.values())
    chunk: list[tuple[int, list]] = []
    for number, cells in rows:
        if all(cell_at(cells, p) is None for p in positions):
            continue
        chunk.append((number, cells))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def issuer_level_from_text(text: str) -> tuple[bool, int | None]:
    """(found, level) for an issuer written in words: "LĐLĐ tỉnh X" -> (True, PROVINCE),
    "UBND tỉnh" -> (True, None: outside the union); (False, None) when nothing is recognised."""
    words = f" {fold(text)} "
    if any(f" {w} " in words for w in _OUTSIDE_WORDS):
        return True, None
    if any(f" {w} " in words for w in _UPPER_BEFORE_GRASSROOTS):
        return True, UnitLevel.UPPER
    for level, keys in _LEVEL_WORDS:
        if any(f" {w} " in words for w in keys):
            return True, int(level)
    return False, None


@dataclass(slots=True)
class Row:
    number: int
    kind: str = ""
    name: str = ""
    name_folded: str = ""
    cccd: str = ""
    born: datetime.date | None = None
    sex: str = ""
    position_title: str = ""
    unit_code: str = ""
    unit_text: str = ""
    award: Award | None = None
    year: int | None = None
    theme: str = ""
    decision_number: str = ""
    decided_on: datetime.date | None = None
    issuer_text: str = ""
    note: str = ""
    member: tuple | None = None  # (pk, unit_id, name, sex)
    unit: tuple | None = None  # (pk, path, name, kind, sector)
    valid: bool = True


class RowParser:
    """Reads one row's cells into a Row, reporting each problem through `error`; the lookups
    that need the database run afterwards on a whole chunk (awards/services/register_import.py)."""

    def __init__(self, *, index: dict[str, int], written: dict[str, str], result, awards) -> None:
        self.index = index
        self.written = written
        self.result = result
        self.today = timezone.localdate()
        self.award_by_code: dict[str, Award] = {}
        self.award_by_name: dict[str, list[Award]] = {}
        for award in awards:
            self.award_by_code[award.code.lower()] = award
            self.award_by_name.setdefault(award.name_folded or fold(award.name), []).append(award)

    # -- errors ------------------------------------------------------------------------------

    def error(self, row: Row, name: str, value: Any, message: str) -> None:
        row.valid = False
        self.result.error_count += 1
        if len(self.result.errors) < MAX_LISTED_ERRORS:
            column = self.written.get(name) or LABELS.get(name, "")
            self.result.errors.append(RowError(row.number, column, cell_text(value)[:200], str(message)))

    def cell(self, cells: list, name: str) -> Any:
        return cell_at(cells, self.index.get(name))

    def parse(self, number: int, cells: list) -> Row:
        row = Row(number=number)
        person, collective = self.cell(cells, "full_name"), self.cell(cells, "collective_name")
        if person is not None and collective is not None:
            self.error(
                row,
                "collective_name",
                collective,
                _("Fill in either the person's name or the collective's name, not both."),
            )
        elif person is None and collective is None:
            name = "full_name" if "full_name" in self.index else "collective_name"
            self.error(row, name, None, _("The name of the person or of the collective is required."))
        row.kind = PERSON if person is not None else COLLECTIVE
        raw_name = person if person is not None else collective
        row.name = cell_text(raw_name)
        row.name_folded = fold(row.name)
        if raw_name is not None and not row.name_folded:
            self.error(
                row,
                "full_name" if person is not None else "collective_name",
                raw_name,
                _("This is not a name."),
            )
        self.parse_texts(row, cells)
        if row.kind == PERSON:
            self.parse_person(row, cells)
        self.parse_award(row, cells)
        self.parse_year_and_dates(row, cells)
        return row

    def parse_texts(self, row: Row, cells: list) -> None:
        if len(row.name) > TEXT_LIMITS["name"]:
            column = "full_name" if row.kind == PERSON else "collective_name"
            self.error(
                row, column, row.name, _("At most %(limit)s characters.") % {"limit": TEXT_LIMITS["name"]}
            )
        for name in ("position_title", "theme", "decision_number", "issuer", "note"):
            raw = self.cell(cells, name)
            text = cell_text(raw)
            if len(text) > TEXT_LIMITS[name]:
                self.error(row, name, raw, _("At most %(limit)s characters.") % {"limit": TEXT_LIMITS[name]})
            setattr(row, "issuer_text" if name == "issuer" else name, text)
        row.unit_code = cell_text(self.cell(cells, "unit_code"))
        row.unit_text = cell_text(self.cell(cells, "unit"))

    def parse_person(self, row: Row, cells: list) -> None:
        raw = self.cell(cells, "cccd")
        if raw is not None:
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                cccd = cell_text(raw).zfill(CCCD_LENGTH)  # a number cell loses the leading zeros
            else:
                cccd = cell_text(raw).lstrip("'").replace(" ", "").replace(".", "")
            if problem := cccd_error(cccd):
                self.error(row, "cccd", raw, problem)
            else:
                row.cccd = cccd
        raw = self.cell(cells, "date_of_birth")
        try:
            row.born = parse_date(raw)
        except (ValueError, OverflowError):
            self.error(row, "date_of_birth", raw, _("This is not a date; write it as dd/mm/yyyy."))
        else:
            if row.born and row.born > self.today:
                self.error(row, "date_of_birth", raw, _("The date is in the future."))
        raw = self.cell(cells, "sex")
        if raw is not None:
            sex = SEX_WORDS.get(fold(cell_text(raw)))
            if sex is None:
                self.error(row, "sex", raw, _("Unknown sex; write Nam or Nữ."))
            else:
                row.sex = sex

    def parse_award(self, row: Row, cells: list) -> None:
        raw = self.cell(cells, "award")
        if raw is None:
            self.error(row, "award", raw, _("The award is required."))
            return
        text = cell_text(raw)
        key = fold(text)
        award = self.award_by_code.get(text.lower())
        if award is None:
            found = self.award_by_name.get(key, [])
            if not found:  # "Chiến sĩ thi đua cấp tỉnh" for "Chiến sĩ thi đua cấp tỉnh, ngành"
                found = [
                    a
                    for name, awards in self.award_by_name.items()
                    if name.startswith(key + " ")
                    for a in awards
                ]
            if len(found) == 1:
                award = found[0]
            elif len(found) > 1:
                self.error(
                    row,
                    "award",
                    raw,
                    _("Several awards match this name (%(names)s); write the full name or the code.")
                    % {"names": ", ".join(sorted(a.name for a in found))},
                )
                return
        if award is None:
            self.error(row, "award", raw, _("No award of the catalogue has this name or code."))
            return
        row.award = award

    def parse_year_and_dates(self, row: Row, cells: list) -> None:
        raw = self.cell(cells, "year")
        if raw is None:
            self.error(row, "year", raw, _("The year is required."))
        else:
            match = (
                YEAR_RE.match(fold(cell_text(raw))) if not isinstance(raw, (datetime.date, bool)) else None
            )
            year = int(match.group(1)) if match else None
            if year is None:
                self.error(row, "year", raw, _("Write the year with four digits, e.g. 2019."))
            elif not FIRST_YEAR <= year <= self.today.year:
                self.error(
                    row,
                    "year",
                    raw,
                    _("The year must be between %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": self.today.year},
                )
            else:
                row.year = year
        raw = self.cell(cells, "decided_on")
        try:
            row.decided_on = parse_date(raw)
        except (ValueError, OverflowError):
            self.error(row, "decided_on", raw, _("This is not a date; write it as dd/mm/yyyy."))
            return
        if row.decided_on and row.decided_on > self.today:
            self.error(row, "decided_on", raw, _("The date is in the future."))
        elif row.decided_on and row.year and row.decided_on.year < row.year:
            self.error(
                row, "decided_on", raw, _("The decision cannot be dated before the year of the award.")
            )
