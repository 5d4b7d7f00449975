"""Members' individual pledges from an Excel/CSV list, with the roster import's rules: every
row is checked, every error is listed, and nothing is saved unless the whole file is right.

Columns: "Họ và tên", "Số CCCD", "Danh hiệu đăng ký", optional "Phong trào". Members are found
by CCCD inside the registering unit's subtree; the name must match that member's name.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl.styles import Font, PatternFill

from accounts.scoping import can_write
from campaigns.models import MemberPledge, Registration
from imports.upload_jobs import Outcome
from lib.spreadsheets import SafeWorkbook
from lib.tabular import ImportFileError, RowError, open_rows
from lib.text import clean, digits, fold
from org import tree
from org.models import Member
from org.services.units import acting_as

if TYPE_CHECKING:
    from accounts.models import User
    from imports.models import UploadJob

__all__ = [
    "ImportFileError",
    "PledgeImportResult",
    "import_member_pledges",
    "pledge_upload_run",
    "result_of_job",
    "template_xlsx",
]

HEADERS = {
    "full_name": "Họ và tên",
    "cccd": "Số CCCD",
    "title": "Danh hiệu đăng ký",
    "movement": "Phong trào",
}
_ALIASES = {
    "full_name": ["Họ và tên", "Họ tên", "Họ và tên đoàn viên", "Tên đoàn viên", "Full name", "Name"],
    "cccd": ["Số CCCD", "CCCD", "Số CMND/CCCD", "CMND/CCCD", "Số căn cước", "Số định danh", "Citizen ID"],
    "title": ["Danh hiệu đăng ký", "Danh hiệu", "Danh hiệu thi đua", "Đăng ký danh hiệu", "Title"],
    "movement": ["Phong trào", "Phong trào thi đua", "Movement"],
}
ALIASES = {fold(alias): name for name, aliases in _ALIASES.items() for alias in aliases}
REQUIRED = ("full_name", "cccd", "title")
HEADER_SEARCH_ROWS = 50
CCCD_LENGTH = 12


@dataclass
class PledgeImportResult:
    added: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    name: str
    cccd: str
    title: str
    movement_text: str
    member: Member | None = None
    movement_id: int | None = None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def _cccd(value: Any) -> str:
    # A CCCD typed into a number cell loses its leading zeros; put them back.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return digits(_text(value)).zfill(CCCD_LENGTH)
    text = _text(value)
    return digits(text) if text and len(digits(text)) == len(text.replace(" ", "")) else text


def import_member_pledges(
    *, registration: Registration, path: Path, filename: str | None = None, imported_by: User | None
) -> PledgeImportResult:
    """Check the whole file, then add its pledges in one transaction, or nothing at all."""
    result = PledgeImportResult()
    if registration.status != Registration.Status.DRAFT:
        result.errors.append(RowError(0, "", "", _("This registration has been submitted. Reopen it first.")))
        return result
    with open_rows(path, filename) as source:
        header = None
        for number, cells in source.rows:
            names = [ALIASES.get(fold(_text(c))) for c in cells]
            if "full_name" in names:
                header = (
                    number,
                    {n: i for i, n in reversed(list(enumerate(names))) if n},
                    {n: _text(cells[i]) for i, n in enumerate(names) if n},
                )
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if header is None:
            result.errors.append(
                RowError(
                    0, "", "", _("No header row was found: the file needs a “Họ và tên” (full name) column.")
                )
            )
            return result
        header_row, index, written = header
        missing = [HEADERS[n] for n in REQUIRED if n not in index]
        if missing:
            result.errors.append(
                RowError(
                    header_row, "", "", _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)}
                )
            )
            return result

        def cell(cells: list, name: str) -> Any:
            pos = index.get(name)
            return cells[pos] if pos is not None and pos < len(cells) else None

        rows: list[_Row] = []
        for number, cells in source.rows:
            values = [cell(cells, n) for n in HEADERS]
            if all(_text(v) == "" for v in values):
                continue
            rows.append(
                _Row(
                    number=number,
                    name=_text(values[0]),
                    cccd=_cccd(values[1]),
                    title=_text(values[2]),
                    movement_text=_text(values[3]),
                )
            )
    result.rows = len(rows)
    column = {n: written.get(n, HEADERS[n]) for n in HEADERS}

    def error(row: _Row, name: str, value: str, message: str) -> None:
        result.errors.append(RowError(row.number, column[name], value, message))

    members = {
        m.cccd: m
        for m in Member.objects.select_related("unit").filter(cccd__in={r.cccd for r in rows if r.cccd})
    }
    movements = {
        fold(pm.movement.name): pm.movement_id
        for pm in registration.plan.plan_movements.select_related("movement")
    }
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if not row.name:
            error(row, "full_name", "", _("The full name is missing."))
        if not row.cccd:
            error(row, "cccd", "", _("The CCCD is missing."))
        else:
            member = members.get(row.cccd)
            if member is None:
                error(row, "cccd", row.cccd, _("No member has this CCCD."))
            elif not tree.is_descendant(member.unit, registration.unit):
                error(row, "cccd", row.cccd, _("This member does not belong to the registering unit."))
            else:
                row.member = member
                if row.name and fold(row.name) != fold(member.full_name):
                    error(
                        row,
                        "full_name",
                        row.name,
                        _("The name does not match the member with this CCCD (%(name)s).")
                        % {"name": member.full_name},
                    )
                    row.member = None
        if not row.title:
            error(row, "title", "", _("The title aimed for is missing."))
        if row.movement_text:
            row.movement_id = movements.get(fold(row.movement_text))
            if row.movement_id is None:
                error(
                    row, "movement", row.movement_text, _("This movement is not one of the plan's movements.")
                )
        if row.cccd and row.title:
            key = (row.cccd, fold(row.title))
            if key in seen:
                error(
                    row,
                    "cccd",
                    row.cccd,
                    _("Duplicate row: the same member and title are on row %(row)s.") % {"row": seen[key]},
                )
            else:
                seen[key] = row.number
    if result.errors:
        result.errors.sort(key=lambda e: (e.row, e.column))
        return result

    existing = {
        (member_id, fold(title))
        for member_id, title in registration.member_pledges.values_list("member_id", "title")
    }
    with transaction.atomic(), acting_as(imported_by):
        for row in rows:
            if (row.member.pk, fold(row.title)) in existing:
                result.unchanged += 1
                continue
            # One create per row so each pledge gets its audit entry; lists are a unit's members.
            MemberPledge.objects.create(
                registration=registration, member=row.member, title=row.title, movement_id=row.movement_id
            )
            existing.add((row.member.pk, fold(row.title)))
            result.added += 1
    return result


def pledge_upload_run(job: UploadJob) -> Outcome:
    """The worker's part of an upload on the pledge import page (the file is read in the sandbox)."""
    registration = Registration.objects.select_related("plan", "unit").get(pk=job.params["registration"])
    if job.created_by is not None and not can_write(user=job.created_by, unit=registration.unit):
        raise PermissionDenied
    try:
        result = import_member_pledges(
            registration=registration,
            path=Path(job.file.path),
            filename=job.original_filename,
            imported_by=job.created_by,
        )
    except ImportFileError as exc:
        return Outcome(ok=False, message=str(exc))
    if not result.ok:
        return Outcome(ok=False, errors=[e.__dict__ for e in result.errors], result={"rows": result.rows})
    return Outcome(
        ok=True,
        next_url=reverse("campaigns:registration-detail", args=[registration.pk]),
        message=_("%(added)s pledges added, %(unchanged)s already registered.")
        % {"added": result.added, "unchanged": result.unchanged},
        result={"rows": result.rows, "added": result.added, "unchanged": result.unchanged},
    )


def result_of_job(job: UploadJob) -> PledgeImportResult:
    """A failed upload job's errors, as the import page lists them."""
    return PledgeImportResult(rows=job.result.get("rows", 0), errors=[RowError(**e) for e in job.errors])


def template_xlsx() -> bytes:
    """The pledge list template: the four headers, an example row, CCCD kept as text."""
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = "Đăng ký danh hiệu"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    example = ["Nguyễn Thị Thu Hà", "045185000123", "Lao động giỏi", "Lao động giỏi, Lao động sáng tạo"]
    for col, (header, value) in enumerate(zip(HEADERS.values(), example, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[cell.column_letter].width = 32 if col != 2 else 16
        ws.cell(row=2, column=col, value=value)
    for row in range(2, 1002):
        ws.cell(row=row, column=2).number_format = "@"
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
