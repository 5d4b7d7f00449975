"""One roster row checked: its cells turned into a member's fields, each problem recorded as a
RowError against the row and the column as the file names it. No query, no write."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lib.tabular import Header, Memo, RowError, cell_at, cell_text, number_text, parse_date
from lib.text import fold
from org.models import Sex
from org.validators import cccd_error

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

_PHONE = re.compile(r"[\d\s.+()\-]+")


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
    # Ids of the members written, as [first, last] ranges: {"added": [...], "updated": [...]}.
    member_ids: dict[str, list[list[int]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.error_count


@dataclass(slots=True)
class Row:
    number: int
    values: dict[str, Any]
    unit_code: str = ""
    raw_cccd: str = ""
    cccd_ok: bool = False  # well formed, so worth looking up
    name_folded: str = ""
    pk: int | None = None  # set once the member is written
    valid: bool = True


class RowChecker:
    """Checks one row at a time against the file's columns; caches what rosters repeat."""

    def __init__(self, *, columns: Header, result: ImportResult) -> None:
        self.columns = columns
        self.result = result
        self.today = timezone.localdate()
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
        self.sex_of = Memo(lambda raw: SEX_WORDS.get(fold(cell_text(raw))))
        self.text_of = Memo(cell_text)
        self.date_of = Memo(parse_date)
        self.folded_word = Memo(fold)
        self.folded_name = Memo(self.fold_name)

    def error(self, row: Row | int, name: str, value: Any, message: str) -> None:
        number = row if isinstance(row, int) else row.number
        if not isinstance(row, int):
            row.valid = False
        self.result.error_count += 1
        if len(self.result.errors) < MAX_LISTED_ERRORS:
            column = self.columns.headers.get(name, "")
            self.result.errors.append(RowError(number, column, cell_text(value)[:200], str(message)))

    def cell(self, cells: list, name: str) -> Any:
        return cell_at(cells, self.pos.get(name))

    def fold_name(self, name: str) -> str:
        """`fold(name)`, word by word through a cache: folding works on each word alone, and
        a roster's names are made of a few thousand words."""
        folded = self.folded_word
        return " ".join(word for word in (folded[w] for w in name.split()) if word)

    def parse(self, number: int, cells: list) -> Row:
        row = Row(number=number, values={})
        values = row.values
        pos = self.pos

        raw_name = cell_at(cells, pos["full_name"])
        values["full_name"] = name = self.text_of[raw_name]
        row.name_folded = self.folded_name[name]
        if not row.name_folded:
            self.error(row, "full_name", raw_name, _("The full name is required."))
        if len(name) > TEXT_LIMITS["full_name"]:
            self.error(row, "full_name", raw_name, _("At most %(limit)s characters.") % {"limit": 150})

        self.parse_sex(row, cells)

        raw = cell_at(cells, pos["cccd"])
        num = number_text(raw)
        cccd = num.zfill(12) if num and len(num) <= 12 else cell_text(raw)
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
            raw = cell_at(cells, pos["phone"])
            num = number_text(raw)
            phone = num if num is not None else cell_text(raw).lstrip("'")
            if num is not None and len(phone) == 9:
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
            raw = cell_at(cells, p)
            text = number_text(raw) or text_of[raw]
            if len(text) > limit:
                self.error(row, name, raw, _("At most %(limit)s characters.") % {"limit": limit})
            values[name] = text

        if pos["unit_code"] is not None:
            raw = cell_at(cells, pos["unit_code"])
            row.unit_code = number_text(raw) or cell_text(raw)
        return row

    def parse_dates(self, row: Row, cells: list) -> None:
        values, today = row.values, self.today
        for name in ("date_of_birth", "joined_on"):
            p = self.pos[name]
            if p is None:
                continue
            raw = cell_at(cells, p)
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

    def parse_sex(self, row: Row, cells: list) -> None:
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
