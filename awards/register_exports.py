"""Excel files of the register: the filtered register, its statistics, and the import template.

Headers are fixed Vietnamese (the files go to the federation's offices whatever the interface
language). The register export writes the columns the import reads (awards/services/
register_rows.py), so an exported register can be corrected in Excel and imported elsewhere.
A write-only workbook keeps one row in memory; rows come from one query read in chunks."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.scoping import can_read_path
from awards.models import COLLECTIVE_KINDS, Award, AwardRecord
from awards.selectors.register import StatRow, stats_totals
from awards.services.register_rows import HEADERS
from lib.spreadsheets import SafeWorkbook
from org import tree
from org.exports import LEVEL_LABELS
from org.models import Sector, Sex

CHUNK_SIZE = 2000
DATE_FORMAT = "DD/MM/YYYY"

SEX_LABELS = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}
OUTSIDE_LABEL = "Ngoài công đoàn hoặc không rõ"
SECTOR_LABELS = {
    Sector.STATE: "Nhà nước",
    Sector.NON_STATE: "Ngoài nhà nước",
    Sector.PUBLIC_SERVICE: "Sự nghiệp công lập",
}
STATUS_LABELS = {AwardRecord.Status.VALID: "Còn hiệu lực", AwardRecord.Status.REVOKED: "Đã thu hồi"}
SOURCE_LABELS = {
    AwardRecord.Source.DECISION: "Quyết định trên hệ thống",
    AwardRecord.Source.IMPORT: "Nhập từ sổ cũ",
    AwardRecord.Source.OUTSIDE: "Quyết định ngoài công đoàn",
}

# (header, lookup): the import's columns first, then what only the register knows.
_H = dict(HEADERS)
REGISTER_COLUMNS: list[tuple[str, str]] = [
    (_H["full_name"], "name"),
    (_H["collective_name"], "name"),
    (_H["cccd"], "member__cccd"),
    (_H["date_of_birth"], "member__date_of_birth"),
    (_H["sex"], "sex"),
    (_H["position_title"], "position_title"),
    (_H["unit"], "unit_name"),
    ("Mã đơn vị", "unit__code"),
    (_H["award"], "award_label"),  # the name it was given under
    (_H["year"], "year"),
    (_H["theme"], "theme"),
    (_H["decision_number"], "decision_number"),
    (_H["decided_on"], "decided_on"),
    (_H["issuer"], "issuer_name"),
    (_H["note"], "note"),
    ("Cấp", "issuer_level"),
    ("Khu vực", "sector"),
    ("Trạng thái", "status"),
    ("Thu hồi theo quyết định", "revoked_by__number"),
    ("Ngày thu hồi", "revoked_by__signed_on"),
    ("Nguồn", "source"),
]
_MEMBER_UNIT = tree.key_field("member__unit")
_LOOKUPS = ["recipient_kind", _MEMBER_UNIT, *dict.fromkeys(lookup for _h, lookup in REGISTER_COLUMNS)]
# A member's current personal data: only for members now in the reader's units (a line stays
# visible where it was given, but the person may have moved out since).
PERSONAL = ("member__cccd", "member__date_of_birth")


def register_rows(records: QuerySet[AwardRecord], *, user=None) -> Iterator[list]:
    """Export rows of `records`, in REGISTER_COLUMNS order, from one query read in chunks."""
    records = records.annotate(award_label=Coalesce(NullIf("award_name", Value("")), "award__name"))
    for values in records.values_list(*_LOOKUPS).iterator(chunk_size=CHUNK_SIZE):
        v = dict(zip(_LOOKUPS, values, strict=True))
        if user is not None and not can_read_path(user=user, path=v[_MEMBER_UNIT]):
            v.update(dict.fromkeys(PERSONAL))
        collective = v["recipient_kind"] in COLLECTIVE_KINDS
        row = []
        for header, lookup in REGISTER_COLUMNS:
            value = v[lookup]
            if header == _H["full_name"]:
                value = "" if collective else value
            elif header == _H["collective_name"]:
                value = value if collective else ""
            elif lookup == "sex":
                value = SEX_LABELS.get(value, "")
            elif lookup == "issuer_level":
                value = LEVEL_LABELS.get(value, OUTSIDE_LABEL)
            elif lookup == "sector":
                value = SECTOR_LABELS.get(value, "")
            elif lookup == "status":
                value = STATUS_LABELS.get(value, value)
            elif lookup == "source":
                value = SOURCE_LABELS.get(value, value)
            row.append("" if value is None else value)
        yield row


def register_xlsx_file(records: QuerySet[AwardRecord], *, user=None) -> IO[bytes]:
    """An anonymous temporary file holding the register workbook, rewound; closing deletes it."""
    wb = SafeWorkbook(write_only=True)
    ws = wb.create_sheet("Sổ khen thưởng")
    ws.append([header for header, _lookup in REGISTER_COLUMNS])
    dates = {
        i for i, (_h, lookup) in enumerate(REGISTER_COLUMNS) if lookup.endswith(("_on", "date_of_birth"))
    }
    text = {i for i, (_h, lookup) in enumerate(REGISTER_COLUMNS) if lookup == "member__cccd"}
    for row in register_rows(records, user=user):
        ws.append(_cells(ws, row, dates, text))
    out = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(out)
    out.seek(0)
    return out


def _cells(ws, row: list, dates: Iterable[int], text: Iterable[int]) -> list:
    cells = list(row)
    for i in dates:
        if cells[i]:
            cell = WriteOnlyCell(ws, value=cells[i])
            cell.number_format = DATE_FORMAT
            cells[i] = cell
    for i in text:  # a CCCD stays text, or Excel drops its leading zero
        if cells[i]:
            cell = WriteOnlyCell(ws, value=cells[i])
            cell.number_format = "@"
            cells[i] = cell
    return cells


STAT_SHEETS = [
    ("year", "Theo năm", "Năm"),
    ("award", "Theo danh hiệu", "Danh hiệu, hình thức khen thưởng"),
    ("level", "Theo cấp khen", "Cấp khen"),
    ("sector", "Theo khu vực", "Khu vực"),
    ("sex", "Theo giới tính", "Giới tính"),
]
STAT_HEADERS = ["Cá nhân", "Tập thể", "Trong đó nữ", "Tổng cộng"]


def _stat_label(table: str, row: StatRow) -> str:
    if table == "level":
        return LEVEL_LABELS.get(row.key, OUTSIDE_LABEL)
    if table == "sector":
        return SECTOR_LABELS.get(row.key, "Không rõ")
    if table == "sex":
        return SEX_LABELS.get(row.key, "Không rõ")
    return row.label


def stats_xlsx(stats: dict[str, list[StatRow]], *, title: str) -> bytes:
    """The statistics tables, one sheet each, with a total line."""
    wb = SafeWorkbook(write_only=True)
    bold = Font(bold=True)
    for key, sheet_name, first_header in STAT_SHEETS:
        ws = wb.create_sheet(sheet_name)
        heading = WriteOnlyCell(ws, value=title)
        heading.font = bold
        ws.append([heading])
        header = []
        for text in [first_header, *STAT_HEADERS]:
            cell = WriteOnlyCell(ws, value=text)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        rows = stats[key]
        for row in rows:
            ws.append([_stat_label(key, row), row.persons, row.collectives, row.female, row.total])
        total = stats_totals(rows)
        ws.append(
            [
                WriteOnlyCell(ws, value="Tổng cộng"),
                total.persons,
                total.collectives,
                total.female,
                total.total,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_xlsx(awards: Iterable[Award]) -> bytes:
    """The import template: the headers, a person's and a collective's example line, and the
    catalogue (names and codes) on a second sheet, offered as a list in the award column."""
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = "Sổ khen thưởng"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    examples = [
        {
            "full_name": "Nguyễn Thị Thu Hà",
            "cccd": "045190000001",
            "date_of_birth": "01/05/1980",
            "sex": "Nữ",
            "position_title": "Giáo viên",
            "unit": "QT.DH.001",
            "award": "Lao động tiên tiến",
            "year": 2019,
            "decision_number": "125/QĐ-SGD",
            "decided_on": "20/12/2019",
            "issuer": "Thủ trưởng đơn vị",
        },
        {
            "collective_name": "Công đoàn Trường THPT Lê Lợi",
            "unit": "QT.DH.001",
            "award": "Giấy khen",
            "year": 2020,
            "decision_number": "45/QĐ-LĐLĐ",
            "decided_on": "15/01/2021",
            "issuer": "LĐLĐ thành phố Đông Hà",
        },
    ]
    for col, (name, header) in enumerate(HEADERS, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[cell.column_letter].width = (
            34 if name in ("full_name", "collective_name", "award") else 18
        )
        for r, example in enumerate(examples, start=2):
            ws.cell(row=r, column=col, value=example.get(name))
    positions = {name: i for i, (name, _h) in enumerate(HEADERS, start=1)}
    cccd_letter = ws.cell(row=1, column=positions["cccd"]).column_letter
    for row in range(2, 1002):
        ws[f"{cccd_letter}{row}"].number_format = "@"
    sex_letter = ws.cell(row=1, column=positions["sex"]).column_letter
    sexes = DataValidation(type="list", formula1='"Nam,Nữ"', allow_blank=True)
    sexes.add(f"{sex_letter}2:{sex_letter}5000")
    ws.add_data_validation(sexes)

    catalogue = wb.create_sheet("Danh mục khen thưởng")
    catalogue.append(["Danh hiệu / Hình thức khen thưởng", "Mã"])
    for cell in catalogue[1]:
        cell.font, cell.fill = bold, fill
    count = 0
    for award in awards:
        catalogue.append([award.name, award.code])
        count += 1
    catalogue.column_dimensions["A"].width = 60
    catalogue.column_dimensions["B"].width = 30
    if count:
        award_letter = ws.cell(row=1, column=positions["award"]).column_letter
        # A list, not a rule: old registers use other spellings, which the import still matches.
        choices = DataValidation(
            type="list",
            formula1=f"='Danh mục khen thưởng'!$A$2:$A${count + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        choices.add(f"{award_letter}2:{award_letter}5000")
        ws.add_data_validation(choices)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
