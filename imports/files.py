"""Files the import offers for download: the roster template and a job's error list."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from imports.members.columns import TEMPLATE_HEADERS
from lib.spreadsheets import SafeWorkbook, csv_writer

EXAMPLE_ROW = {
    "full_name": "Nguyễn Thị Thu Hà",
    "date_of_birth": datetime.date(1985, 5, 1),
    "sex": "Nữ",
    "cccd": "045185000123",
    "phone": "0912345678",
    "position": "Giáo viên",
    "ethnicity": "Kinh",
    "joined_on": datetime.date(2008, 3, 20),
    "card_number": "",
    "unit_code": "",
}
WIDTHS = {"full_name": 28, "cccd": 16, "phone": 14, "position": 20, "joined_on": 18, "card_number": 16}
TEMPLATE_ROWS = 1000


def template_xlsx() -> bytes:
    """The roster template: Vietnamese headers, one example row, a Nam/Nữ list for the sex
    column, and text format on the number columns so Excel keeps their leading zeros."""
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = "Danh sách đoàn viên"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for col, (name, header) in enumerate(TEMPLATE_HEADERS, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font, cell.fill = bold, fill
        letter = cell.column_letter
        ws.column_dimensions[letter].width = WIDTHS.get(name, 14)
        example = ws.cell(row=2, column=col, value=EXAMPLE_ROW[name] or None)
        if name in ("date_of_birth", "joined_on"):
            example.number_format = "dd/mm/yyyy"
            for row in range(3, TEMPLATE_ROWS + 2):
                ws.cell(row=row, column=col).number_format = "dd/mm/yyyy"
        elif name in ("cccd", "phone", "card_number", "unit_code"):
            for row in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=row, column=col).number_format = "@"
        if name == "sex":
            dv = DataValidation(type="list", formula1='"Nam,Nữ"', allow_blank=False, showErrorMessage=True)
            dv.error = "Chọn Nam hoặc Nữ"
            dv.errorTitle = "Giới tính"
            dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def error_headers() -> list[str]:
    return [_("Row"), _("Column"), _("Value"), _("Reason")]


def _error_rows(errors: Iterable[dict]) -> Iterable[list]:
    for e in errors:
        yield [e.get("row", ""), e.get("column", ""), e.get("value", ""), e.get("message", "")]


def errors_xlsx(errors: Iterable[dict]) -> bytes:
    wb = SafeWorkbook(write_only=True)
    ws = wb.create_sheet(_("Errors"))
    ws.append(error_headers())
    for row in _error_rows(errors):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def errors_csv(errors: Iterable[dict]) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Vietnamese text correctly."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(error_headers())
    writer.writerows(_error_rows(errors))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
