"""Excel export of "who is eligible": the whole list for an award, a subtree and a year.

Headers are fixed Vietnamese (the file goes to the federation's offices whatever the interface
language). A write-only workbook fed by a chunked iterator keeps one row in memory at a time, so
a national list stays bounded."""

from __future__ import annotations

import tempfile
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell

from awards.models import Award
from lib.spreadsheets import SafeWorkbook
from org.models import Member, Sex, Unit, UnitKind

CHUNK_SIZE = 2000
MEMBER_HEADERS = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Chức vụ", "Đơn vị", "Mã đơn vị"]
UNIT_HEADERS = ["STT", "Mã đơn vị", "Tên đơn vị", "Loại đơn vị"]
SEX_LABELS = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}
KIND_LABELS = {
    UnitKind.CONFEDERATION: "Tổng Liên đoàn",
    UnitKind.PROVINCE: "LĐLĐ tỉnh, thành phố",
    UnitKind.NATIONAL_SECTOR: "Công đoàn ngành Trung ương",
    UnitKind.DISTRICT: "LĐLĐ quận, huyện",
    UnitKind.SECTOR: "Công đoàn ngành địa phương",
    UnitKind.ZONE: "Công đoàn khu công nghiệp, khu kinh tế",
    UnitKind.CIVIL_SERVANTS: "Công đoàn viên chức",
    UnitKind.BLOC: "Công đoàn khối",
    UnitKind.GRASSROOTS: "Công đoàn cơ sở",
    UnitKind.GROUP: "Tổ công đoàn",
}


def _heading(ws, *, award: Award, unit: Unit, year: int, headers: list[str]) -> None:
    ws.append([f"Danh sách đủ điều kiện: {award.name} – năm {year}"])
    ws.append([f"Đơn vị: {unit.name}", f"Ngày xuất: {timezone.localdate():%d/%m/%Y}"])
    ws.append(headers)


def _file(wb: SafeWorkbook) -> IO[bytes]:
    out = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(out)
    out.seek(0)
    return out


def eligible_members_xlsx(*, members: QuerySet[Member], award: Award, unit: Unit, year: int) -> IO[bytes]:
    """Every member of `members` (the eligible list, ordered), one row each."""
    wb = SafeWorkbook(write_only=True)
    ws = wb.create_sheet("Đủ điều kiện")
    _heading(ws, award=award, unit=unit, year=year, headers=MEMBER_HEADERS)
    rows = members.values_list("full_name", "sex", "date_of_birth", "position", "unit__name", "unit__code")
    for i, (name, sex, born, position, unit_name, unit_code) in enumerate(
        rows.iterator(chunk_size=CHUNK_SIZE), start=1
    ):
        if born is not None:
            cell = WriteOnlyCell(ws, value=born)
            cell.number_format = "DD/MM/YYYY"
            born = cell
        ws.append([i, name, SEX_LABELS.get(sex, sex), born, position, unit_name, unit_code])
    return _file(wb)


def eligible_units_xlsx(*, units: QuerySet[Unit], award: Award, unit: Unit, year: int) -> IO[bytes]:
    """Every unit of `units` (the eligible list, ordered), one row each."""
    wb = SafeWorkbook(write_only=True)
    ws = wb.create_sheet("Đủ điều kiện")
    _heading(ws, award=award, unit=unit, year=year, headers=UNIT_HEADERS)
    rows = units.values_list("code", "name", "kind")
    for i, (code, name, kind) in enumerate(rows.iterator(chunk_size=CHUNK_SIZE), start=1):
        ws.append([i, code, name, KIND_LABELS.get(kind, kind)])
    return _file(wb)
