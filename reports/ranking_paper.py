"""The .xlsx of a published ranking (no HTTP): made from what the ranking printed when published."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from openpyxl.styles import Alignment, Font

from lib.spreadsheets import SafeWorkbook

if TYPE_CHECKING:
    from reports.services.scoring.published import PrintedRanking


def ranking_xlsx(*, printed: PrintedRanking) -> bytes:
    """The published ranking as .xlsx: one row per unit, a column per criterion, total, rank, grade."""
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    ws.append([f"Bảng xếp hạng {printed.cluster_name} năm {printed.year}"])
    ws.append([f"{printed.table_name} (phiên bản {printed.table_version})"])
    ws.append([f"Quyết định số {printed.decision_number}, công bố ngày {printed.published_at:%d/%m/%Y}"])
    ws.append([])
    header = ["Xếp hạng", "Đơn vị"]
    header += [f"{c.code}. {c.label} (tối đa {c.max_points})" for c in printed.criteria]
    header += ["Tổng điểm", "Xếp loại", "Đề nghị"]
    ws.append(header)
    for cell in ws[5]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=13)
    for row in printed.rows:
        ws.append(
            [row.rank, row.unit_name]
            + [float(p) if p is not None else None for p in row.points]
            + [float(row.total), row.grade, row.flag]
        )
    ws.column_dimensions["B"].width = 45
    ws.freeze_panes = "C6"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
