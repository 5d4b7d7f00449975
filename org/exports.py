"""Member roster export (CSV and XLSX). The same columns and headers are what the roster import
accepts, so a file exported here can be edited in Excel and imported back."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import QuerySet
from openpyxl.cell import WriteOnlyCell

from lib.spreadsheets import SafeWorkbook, csv_writer
from org.models import Member, MemberStatus, Sex, UnitLevel

# The levels' names in every spreadsheet (award register, campaign tables): fixed Vietnamese
# like the headers, so files from different pages read alike.
LEVEL_LABELS = {
    UnitLevel.CONFEDERATION: "Tổng Liên đoàn",
    UnitLevel.PROVINCE: "LĐLĐ tỉnh, CĐ ngành TW",
    UnitLevel.UPPER: "Công đoàn cấp trên trực tiếp cơ sở",
    UnitLevel.GRASSROOTS: "Công đoàn cơ sở",
    UnitLevel.GROUP: "Tổ công đoàn",
}

# (field name, Vietnamese header). The headers are fixed Vietnamese, not translated: they are
# the roster file format shared with imports/, whatever the interface language.
MEMBER_COLUMNS: list[tuple[str, str]] = [
    ("full_name", "Họ và tên"),
    ("date_of_birth", "Ngày sinh"),
    ("sex", "Giới tính"),
    ("cccd", "Số CCCD"),
    ("phone", "Số điện thoại"),
    ("position", "Chức vụ"),
    ("ethnicity", "Dân tộc"),
    ("joined_on", "Ngày vào công đoàn"),
    ("card_number", "Số thẻ đoàn viên"),
    ("unit_name", "Đơn vị"),
    ("unit_code", "Mã đơn vị"),
    ("status", "Trạng thái"),
]

# Values written for choice fields; the import reads the same words back.
SEX_LABELS: dict[str, str] = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}
STATUS_LABELS: dict[str, str] = {
    MemberStatus.ACTIVE: "Đang sinh hoạt",
    MemberStatus.MOVED: "Đã chuyển đi",
    MemberStatus.LEFT: "Đã ra khỏi công đoàn",
    MemberStatus.DECEASED: "Đã từ trần",
}

DATE_FORMAT = "%d/%m/%Y"
CHUNK_SIZE = 2000

# Export field -> ORM lookup; values_list skips building a model object per row.
_LOOKUPS = {"unit_name": "unit__name", "unit_code": "unit__code"}
_DATE_FIELDS = {"date_of_birth", "joined_on"}


def _values(queryset: QuerySet[Member]) -> Iterator[tuple]:
    lookups = [_LOOKUPS.get(field, field) for field, _ in MEMBER_COLUMNS]
    # values_list drops select_related; the unit columns come from one JOIN in the same query.
    return queryset.values_list(*lookups).iterator(chunk_size=CHUNK_SIZE)


def member_rows(queryset: QuerySet[Member], *, dates_as_text: bool = True) -> Iterator[list]:
    """Export rows of the members in `queryset`, in MEMBER_COLUMNS order, streamed in chunks."""
    fields = [field for field, _ in MEMBER_COLUMNS]
    for values in _values(queryset):
        row = []
        for field, value in zip(fields, values, strict=True):
            if field in _DATE_FIELDS:
                if value is not None and dates_as_text:
                    value = value.strftime(DATE_FORMAT)
            elif field == "sex":
                value = SEX_LABELS.get(value, value)
            elif field == "status":
                value = STATUS_LABELS.get(value, value)
            row.append("" if value is None else value)
        yield row


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a streaming response."""

    def write(self, value: str) -> str:
        return value


def members_csv_lines(queryset: QuerySet[Member]) -> Iterator[str]:
    """CSV text, a BOM first so Excel reads the Vietnamese as UTF-8, then a header and one line per member."""
    writer = csv_writer(_Echo())
    yield "\ufeff" + writer.writerow([header for _, header in MEMBER_COLUMNS])
    for row in member_rows(queryset):
        yield writer.writerow(row)


def members_xlsx_file(queryset: QuerySet[Member]) -> IO[bytes]:
    """An anonymous temporary file holding the XLSX workbook, rewound; closing it deletes it.

    A write-only workbook keeps one row in memory at a time, so large rosters stay bounded.
    """
    wb = SafeWorkbook(write_only=True)
    ws = wb.create_sheet("Đoàn viên")
    ws.append([header for _, header in MEMBER_COLUMNS])
    date_columns = {i for i, (field, _) in enumerate(MEMBER_COLUMNS) if field in _DATE_FIELDS}
    for row in member_rows(queryset, dates_as_text=False):
        ws.append(_xlsx_cells(ws, row, date_columns))
    out = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(out)
    out.seek(0)
    return out


def _xlsx_cells(ws, row: list, date_columns: Iterable[int]) -> list:
    cells = list(row)
    for i in date_columns:
        if isinstance(cells[i], datetime.date):
            cell = WriteOnlyCell(ws, value=cells[i])
            cell.number_format = "DD/MM/YYYY"
            cells[i] = cell
    return cells
