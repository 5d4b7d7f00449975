"""Excel exports of a plan: target progress per child unit, and the registration list of a subtree.

Headers are fixed Vietnamese (the files go to the federation's offices whatever the interface
language); dates are written as dates with a dd/mm/yyyy format. Write-only workbooks keep one
row in memory at a time, so a national registration list stays bounded.
"""

from __future__ import annotations

import tempfile
from typing import IO

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell

from campaigns.models import MemberPledge, Plan, Pledge, Registration, Target
from campaigns.selectors.targets import plan_target_progress
from lib.spreadsheets import SafeWorkbook
from org import tree
from org.exports import LEVEL_LABELS
from org.models import LEVEL_OF_KIND, Unit, UnitKind, UnitStatus

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TARGET_HEADERS = [
    "STT",
    "Chỉ tiêu",
    "Cách đo",
    "Số lượng tối thiểu",
    "Cấp đơn vị",
    "Mã đơn vị",
    "Đơn vị",
    "Số đơn vị thuộc diện",
    "Số đơn vị đạt",
    "Tỷ lệ đạt (%)",
]
REGISTRATION_HEADERS = [
    "STT",
    "Mã đơn vị",
    "Tên đơn vị",
    "Cấp",
    "Trạng thái đăng ký",
    "Ngày gửi",
    "Số nội dung đăng ký",
    "Số đoàn viên đăng ký",
]

KIND_LABELS = {
    Target.Kind.PILOT_MODEL: "Mô hình điểm",
    Target.Kind.REGISTRATION: "Đăng ký thi đua",
    Target.Kind.CONTEST_ENTRY: "Sản phẩm dự thi sáng tạo",
    Target.Kind.OTHER: "Báo cáo thủ công",
}
STATUS_LABELS = {
    Registration.Status.SUBMITTED: "Đã gửi",
    Registration.Status.DRAFT: "Đang soạn",
    None: "Chưa đăng ký",
}


def _file(wb: SafeWorkbook) -> IO[bytes]:
    out = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(out)
    out.seek(0)
    return out


def _pct(met: int, applicable: int) -> float | None:
    return round(100 * met / applicable, 1) if applicable else None


def target_progress_xlsx(*, plan: Plan, unit: Unit) -> IO[bytes]:
    """Every target of the plan: a total row for `unit`, then one row per active child unit."""
    wb = SafeWorkbook(write_only=True)
    ws = wb.create_sheet("Tiến độ chỉ tiêu")
    ws.append([f"{plan.number} – {plan.title}".strip(" –")])
    ws.append([f"Đơn vị: {unit.name}", f"Ngày xuất: {timezone.localdate():%d/%m/%Y}"])
    ws.append(TARGET_HEADERS)
    for i, progress in enumerate(plan_target_progress(plan=plan, unit=unit, with_children=True), start=1):
        t = progress.target
        head = [i, t.text, KIND_LABELS.get(t.kind, t.kind), t.count, LEVEL_LABELS.get(t.unit_level, "")]
        if not progress.computed:
            ws.append(head + [unit.code, unit.name, None, None, None])
            continue
        ws.append(
            head
            + [
                unit.code,
                f"{unit.name} (tổng)",
                progress.applicable,
                progress.met,
                _pct(progress.met, progress.applicable),
            ]
        )
        for child in progress.per_child:
            ws.append(
                [
                    "",
                    "",
                    "",
                    "",
                    "",
                    child.unit.code,
                    child.unit.name,
                    child.applicable,
                    child.met,
                    _pct(child.met, child.applicable),
                ]
            )
    return _file(wb)


def _registrations(plan: Plan, unit: Unit) -> dict[int, tuple]:
    """{unit_id: (status, submitted_at, pledges, member pledges)} in one query."""

    def counter(model):
        return Coalesce(
            Subquery(
                model.objects.filter(registration=OuterRef("pk"))
                .order_by()
                .values("registration")
                .annotate(n=Count("id"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    rows = (
        Registration.objects.filter(tree.subtree_q(unit, field="unit"), plan=plan)
        .order_by()
        .annotate(pledge_n=counter(Pledge), member_n=counter(MemberPledge))
        .values_list("unit_id", "status", "submitted_at", "pledge_n", "member_n")
    )
    return {r[0]: r[1:] for r in rows.iterator(chunk_size=5000)}


def registration_list_xlsx(*, plan: Plan, unit: Unit) -> IO[bytes]:
    """Every active unit of `unit`'s subtree (itself first, tree order) with its registration
    status for the plan, submission date and pledge counts. Two queries in all."""
    regs = _registrations(plan, unit)
    wb = SafeWorkbook(write_only=True)
    ws = wb.create_sheet("Đăng ký thi đua")
    ws.append([f"{plan.number} – {plan.title}".strip(" –")])
    ws.append([f"Đơn vị: {unit.name}", f"Ngày xuất: {timezone.localdate():%d/%m/%Y}"])
    ws.append(REGISTRATION_HEADERS)
    units = (
        Unit.objects.filter(tree.subtree_q(unit), status=UnitStatus.ACTIVE)
        .order_by(tree.tree_order())
        .values_list("id", "code", "name", "kind")
    )
    for i, (uid, code, name, kind) in enumerate(units.iterator(chunk_size=5000), start=1):
        status, submitted_at, pledges, members = regs.get(uid, (None, None, 0, 0))
        date_cell = None
        if submitted_at is not None:
            date_cell = WriteOnlyCell(ws, value=timezone.localtime(submitted_at).date())
            date_cell.number_format = "DD/MM/YYYY"
        level = LEVEL_OF_KIND.get(UnitKind(kind)) if kind in UnitKind.values else None
        ws.append(
            [
                i,
                code,
                name,
                LEVEL_LABELS.get(level, ""),
                STATUS_LABELS.get(status, status),
                date_cell,
                pledges,
                members,
            ]
        )
    return _file(wb)
