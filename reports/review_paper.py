"""The mid-term / year-end review report (báo cáo sơ kết / tổng kết) as an `OfficialDoc`, and its
full data as .xlsx.

The paper's text is Vietnamese by law (Decree 30), so it is written here as such. The figures
come from the live roll-up (`reports.selectors.rollup`); the campaign's content items, movements
and pilot models from the plan the form belongs to. Everything is read in a fixed number of
queries, whatever the size of the subtree.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import IO

from django.db.models import Count, F
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from campaigns.papers import issuing_bodies
from campaigns.selectors.targets import pilot_models_below
from documents.official import Block, OfficialDoc, Signer, number_line, place_date
from lib.spreadsheets import SafeWorkbook
from lib.text import fold
from org import tree
from org.models import Unit, UnitKind
from reports.models import Indicator, Report, ReportRequest, ReportValue, RequestRecipient
from reports.selectors.rollup import DONE, rollup

DOTS = "." * 110
NUMERIC = (Indicator.Kind.INTEGER, Indicator.Kind.MONEY, Indicator.Kind.PERCENT, Indicator.Kind.BOOLEAN)
TABLE_INDICATORS = 3  # figures per unit in the paper's table; the .xlsx has them all
TOP_UNITS = 5
STATUS_LABELS = {
    Report.Status.DRAFT: "Đang soạn",
    Report.Status.SUBMITTED: "Đã gửi",
    Report.Status.RETURNED: "Bị trả lại",
    Report.Status.ACCEPTED: "Đã duyệt",
}
NOT_STARTED = "Chưa báo cáo"
PILOT_STATUS = {  # campaigns.PilotModel.Status, as the paper words them
    "planned": "Đăng ký xây dựng",
    "in_progress": "Đang xây dựng",
    "completed": "Hoàn thành",
    "recognised": "Được công nhận",
}


def figure_text(value: Decimal | bool | None, *, kind: str = Indicator.Kind.INTEGER) -> str:
    """1234000 -> '1.234.000'; 12.5 -> '12,5'; None -> '-' (Vietnamese number display)."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    whole, _, frac = f"{value.quantize(Decimal('0.01')):,}".partition(".")
    return f"{whole.replace(',', '.')},{frac.rstrip('0')}"


def _item_number(number: str) -> str:
    """'2.1.' and ' 2.1' name the same content item as '2.1'."""
    return number.strip().rstrip(".")


def figure_line(fig) -> str:
    """'Giá trị làm lợi từ sáng kiến: 1.234.000 đồng;' for one rolled-up figure."""
    ind = fig.indicator
    uom = f" {ind.unit_of_measure}" if ind.unit_of_measure and fig.value is not None else ""
    return f"{ind.label}: {figure_text(fig.value, kind=ind.kind)}{uom};"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def paper_title(request: ReportRequest, plan) -> str:
    """'Sơ kết đợt 1 năm 2021 thực hiện kế hoạch …' from the request's period and the plan."""
    period = (request.period or request.title).strip()
    folded = fold(period)
    if not (folded.startswith("so ket") or folded.startswith("tong ket")):
        word = "Sơ kết" if request.version.form.phase_id or "dot" in folded else "Tổng kết"
        period = f"{word} {_lower_first(period)}"
    if plan is not None:
        return f"{period} thực hiện {_lower_first(plan.title)}"
    return f"{period} {_lower_first(request.version.form.name)}"


def _top_units(*, request: ReportRequest, unit: Unit, indicator: Indicator) -> list[tuple[Unit, Decimal]]:
    rows = (
        ReportValue.objects.filter(
            tree.subtree_q(unit, field="version__report__unit"),
            indicator=indicator,
            version_id=F("version__report__current_version_id"),
            version__report__request=request,
            version__report__status__in=DONE,
            number__gt=0,
        )
        .select_related("version__report__unit")
        .order_by("-number", tree.tree_order("version__report__unit"))[:TOP_UNITS]
    )
    return [(row.version.report.unit, row.number) for row in rows]


def review_paper(*, request: ReportRequest, unit: Unit, top_by: str = "", today=None) -> OfficialDoc:
    """The sơ kết / tổng kết report of `unit` for a request: results per content item and
    movement, the rolled-up figures, a table by unit, outstanding units, pilot models, and a
    section left for the officer's assessment."""
    request = ReportRequest.objects.select_related("version__form__plan__unit", "unit").get(pk=request.pk)
    form = request.version.form
    plan = form.plan
    result = rollup(request=request, unit=unit, children=True)
    figures = [f for f in result.figures if f.indicator.kind in NUMERIC]
    sections = {s.pk: s.title for s in request.version.sections.all()}
    roman = iter(["I", "II", "III", "IV", "V", "VI", "VII"])
    blocks: list[Block] = []

    if plan is not None:
        number = f" số {plan.number}" if plan.number else ""
        about = _lower_first(plan.title.removeprefix("Kế hoạch "))
        blocks.append(Block("paragraph", f"Thực hiện Kế hoạch{number} của {plan.unit.name} về {about};"))
    blocks.append(
        Block("paragraph", f"{unit.name} báo cáo kết quả {_lower_first(paper_title(request, plan))} như sau:")
    )

    # I. Results
    blocks.append(Block("heading", f"{next(roman)}. KẾT QUẢ THỰC HIỆN"))
    done = result.submitted + result.accepted
    blocks.append(Block("paragraph", "1. Tình hình báo cáo", bold=True))
    blocks.append(
        Block(
            "paragraph",
            f"Có {done}/{result.recipients} đơn vị đã gửi báo cáo ({result.accepted} báo cáo đã được "
            f"duyệt); còn {result.missing} đơn vị chưa gửi báo cáo.",
        )
    )
    n = 1
    by_item: dict[str, list] = {}
    by_movement: dict[int, list] = {}
    for fig in figures:
        if fig.indicator.content_number:
            by_item.setdefault(_item_number(fig.indicator.content_number), []).append(fig)
        if fig.indicator.movement_id:
            by_movement.setdefault(fig.indicator.movement_id, []).append(fig)
    if plan is not None and plan.contents:
        n += 1
        blocks.append(Block("paragraph", f"{n}. Kết quả thực hiện các nội dung thi đua", bold=True))
        for item in plan.contents:
            number = item.get("number", "")
            text = item.get("text", "")
            blocks.append(Block("paragraph", f"{number}. {text}" if number else text, italic=True))
            linked = by_item.get(_item_number(number), []) if number else []
            if linked:
                blocks += [Block("item", figure_line(fig)) for fig in linked]
            else:
                blocks.append(Block("paragraph", f"Kết quả: {DOTS}"))
    if plan is not None:
        counts = dict(
            pilot_models_below(plan=plan, unit=unit)
            .values("movement_id")
            .annotate(n=Count("id"))
            .values_list("movement_id", "n")
        )
        movements = [
            pm.movement for pm in plan.plan_movements.select_related("movement").order_by("position")
        ]
        if movements:
            n += 1
            blocks.append(
                Block("paragraph", f"{n}. Kết quả các phong trào thi đua, cuộc vận động", bold=True)
            )
            for movement in movements:
                pilots = counts.get(movement.pk, 0)
                linked = by_movement.get(movement.pk, [])
                rest = " ".join(figure_line(fig) for fig in linked) if linked else DOTS[:40]
                blocks.append(
                    Block(
                        "item",
                        f"Phong trào \u201c{movement.name}\u201d: {figure_text(pilots)} mô hình điểm; {rest}",
                    )
                )
    if figures:
        n += 1
        blocks.append(Block("paragraph", f"{n}. Số liệu tổng hợp", bold=True))
        rows = [["STT", "Nội dung", "Đơn vị tính", "Kết quả"]]
        current, i = None, 0
        for fig in figures:
            ind = fig.indicator
            if ind.section_id and ind.section_id != current:
                current = ind.section_id
                rows.append(["", sections.get(ind.section_id, "").upper(), "", ""])
            i += 1
            rows.append([str(i), ind.label, ind.unit_of_measure, figure_text(fig.value, kind=ind.kind)])
        blocks.append(Block("table", rows=rows))

    # II. By unit
    children = [c for c in result.children if c["recipients"]]
    if children:
        blocks.append(Block("heading", f"{next(roman)}. KẾT QUẢ THEO ĐƠN VỊ"))
        shown = [f.indicator for f in figures if f.indicator.rollup != Indicator.Rollup.NONE][
            :TABLE_INDICATORS
        ]
        rows = [["STT", "Đơn vị", "Đã báo cáo"] + [ind.label for ind in shown]]
        for i, child in enumerate(children, start=1):
            rows.append(
                [
                    str(i),
                    child["unit"].name,
                    f"{child['submitted'] + child['accepted']}/{child['recipients']}",
                ]
                + [figure_text(child["values"].get(ind.code), kind=ind.kind) for ind in shown]
            )
        blocks.append(Block("table", rows=rows))
        blocks.append(
            Block("paragraph", "(Số liệu đầy đủ của từng đơn vị tại tệp Excel kèm theo.)", italic=True)
        )

    # III. Outstanding units and people
    blocks.append(Block("heading", f"{next(roman)}. ĐƠN VỊ, CÁ NHÂN TIÊU BIỂU"))
    ranked = [
        f.indicator for f in figures if f.indicator.kind in (Indicator.Kind.INTEGER, Indicator.Kind.MONEY)
    ]
    by = next((i for i in ranked if i.code == top_by), ranked[0] if ranked else None)
    top = _top_units(request=request, unit=unit, indicator=by) if by else []
    if top:
        blocks.append(Block("paragraph", f"1. Đơn vị tiêu biểu (theo \u201c{by.label}\u201d):", bold=True))
        for u, value in top:
            uom = f" {by.unit_of_measure}" if by.unit_of_measure else ""
            blocks.append(Block("item", f"{u.name}: {figure_text(value)}{uom};"))
    else:
        blocks.append(Block("paragraph", "1. Đơn vị tiêu biểu:", bold=True))
        blocks.append(Block("paragraph", DOTS))
    blocks.append(Block("paragraph", "2. Cá nhân tiêu biểu:", bold=True))
    blocks.append(Block("paragraph", DOTS))

    # IV. Pilot models
    if plan is not None:
        pilots = list(
            pilot_models_below(plan=plan, unit=unit)
            .select_related("unit", "movement")
            .order_by(tree.tree_order("unit"), "id")
        )
        blocks.append(Block("heading", f"{next(roman)}. MÔ HÌNH ĐIỂM"))
        if pilots:
            rows = [["STT", "Tên mô hình", "Đơn vị", "Phong trào", "Tình trạng"]]
            for i, p in enumerate(pilots, start=1):
                movement = p.movement.name if p.movement else ""
                rows.append([str(i), p.name, p.unit.name, movement, PILOT_STATUS.get(p.status, p.status)])
            blocks.append(Block("table", rows=rows))
        else:
            blocks.append(Block("paragraph", "(Chưa có mô hình điểm.)", italic=True))

    # V. The officer's assessment
    blocks.append(Block("heading", f"{next(roman)}. ĐÁNH GIÁ CHUNG"))
    blocks += [Block("paragraph", DOTS) for _ in range(3)]

    authority = "TM. BAN CHẤP HÀNH" if unit.kind == UnitKind.GRASSROOTS else "TM. BAN THƯỜNG VỤ"
    parent, issuer = issuing_bodies(unit, authority=authority)
    recipients = ["- Lưu: VT."]
    if request.unit_id != unit.pk:
        recipients.insert(0, f"- {request.unit.short_name or request.unit.name} (để báo cáo);")
    return OfficialDoc(
        parent_body=parent,
        issuing_body=issuer,
        number=number_line("", placeholder="/BC"),
        place_date=place_date(plan.place if plan else "", today or timezone.localdate()),
        kind="BÁO CÁO",
        title=paper_title(request, plan),
        blocks=blocks,
        recipients=recipients,
        signer=Signer(authority, "CHỦ TỊCH", ""),
    )


# -- full data -----------------------------------------------------------------------------


def _cell(ind: Indicator, number: Decimal | None, text: str):
    if ind.kind in (Indicator.Kind.TEXT, Indicator.Kind.FILE):
        return text or None
    if number is None:
        return None
    if ind.kind == Indicator.Kind.BOOLEAN:
        return "Có" if number else "Không"
    return int(number) if number == number.to_integral_value() else float(number)


def review_data_xlsx(*, request: ReportRequest, unit: Unit) -> IO[bytes]:
    """One row per recipient unit of the subtree with every indicator's value, the report's
    status and submission date. Three streamed queries merged in tree order; a write-only
    workbook keeps one row in memory."""
    indicators = list(Indicator.objects.filter(version_id=request.version_id))
    column = {ind.pk: i for i, ind in enumerate(indicators)}
    recipients = (
        RequestRecipient.objects.filter(tree.subtree_q(unit, field="unit"), request=request)
        .order_by(tree.tree_order("unit"))
        .values_list("unit_id", tree.key_field("unit"), "unit__code", "unit__name")
    )
    reports = {
        r[0]: r[1:]
        for r in Report.objects.filter(tree.subtree_q(unit, field="unit"), request=request)
        .values_list("unit_id", "status", "submitted_at")
        .iterator(chunk_size=5000)
    }
    values: Iterator = (
        ReportValue.objects.filter(
            tree.subtree_q(unit, field="version__report__unit"),
            version_id=F("version__report__current_version_id"),
            version__report__request=request,
        )
        .order_by(tree.tree_order("version__report__unit"))
        .values_list(tree.key_field("version__report__unit"), "indicator_id", "number", "text")
        .iterator(chunk_size=5000)
    )
    pending = next(values, None)

    wb = SafeWorkbook(write_only=True)
    ws = wb.create_sheet("Số liệu")
    bold = Font(bold=True)
    title = WriteOnlyCell(ws, value=f"{request.title} – {unit.name}")
    title.font = Font(bold=True, size=13)
    ws.append([title])
    ws.append([f"Hạn gửi: {request.due_on:%d/%m/%Y}; số liệu lúc {timezone.localtime():%d/%m/%Y %H:%M}"])
    headers = ["STT", "Mã đơn vị", "Tên đơn vị", "Trạng thái", "Ngày gửi"] + [
        f"{ind.label} ({ind.unit_of_measure})" if ind.unit_of_measure else ind.label for ind in indicators
    ]
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for i, (unit_id, path, code, name) in enumerate(recipients.iterator(chunk_size=5000), start=1):
        row_values: list = [None] * len(indicators)
        while pending is not None and pending[0] <= path:
            if pending[0] == path and pending[1] in column:
                ind = indicators[column[pending[1]]]
                row_values[column[pending[1]]] = _cell(ind, pending[2], pending[3])
            pending = next(values, None)
        status, submitted_at = reports.get(unit_id, (None, None))
        date = None
        if submitted_at is not None:
            date = WriteOnlyCell(ws, value=timezone.localtime(submitted_at).date())
            date.number_format = "DD/MM/YYYY"
        ws.append([i, code, name, STATUS_LABELS.get(status, NOT_STARTED), date] + row_values)
    out = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(out)
    out.seek(0)
    return out


def review_filename(request: ReportRequest, unit: Unit, ext: str) -> str:
    return f"Báo cáo sơ kết tổng kết {request.pk} {unit.code} {timezone.localdate():%Y%m%d}.{ext}"
