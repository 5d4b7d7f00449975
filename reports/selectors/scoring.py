"""Reads for scoring: visible tables and sheets, a sheet's scores with their changes, ranking rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet, Sum

from accounts.scoping import scoped, scoped_with_above, writable_units
from campaigns.models import Cluster, ClusterMember
from campaigns.selectors.covenants import clusters_for_user
from org.models import Unit
from reports.models import Criterion, Score, ScoreChange, ScoreSheet, ScoringTable
from reports.services.scoring import FLAG_PROPOSAL, cluster_ranking, grade_for

if TYPE_CHECKING:
    from accounts.models import User

__all__ = ["cluster_ranking", "ranking_rows", "tables_for_user", "sheets_for_user", "clusters_for_user"]


def tables_for_user(*, user: User) -> QuerySet[ScoringTable]:
    """Tables kept in the user's subtrees, and published tables of the levels above them."""
    return scoped_with_above(
        ScoringTable.objects.all(), user=user, published=Q(is_published=True)
    ).select_related("unit")


def sheets_for_user(*, user: User) -> QuerySet[ScoreSheet]:
    """Sheets of units in the user's subtrees (a unit's own, and those it reviews)."""
    return scoped(ScoreSheet.objects.all(), user=user).select_related("table", "unit", "cluster")


def scores_for_user(*, user: User) -> QuerySet[Score]:
    return scoped(Score.objects.all(), user=user, unit_field="sheet__unit").select_related(
        "sheet", "sheet__unit", "criterion"
    )


def max_total(table: ScoringTable) -> Decimal:
    return table.criteria.aggregate(s=Sum("max_points"))["s"] or Decimal("0")


def sheet_scores(*, sheet: ScoreSheet) -> list[Score]:
    """The sheet's scores in criterion order, each with its changes (newest first); two queries."""
    changes = ScoreChange.objects.select_related("by_unit", "by").order_by("-at", "-id")
    return list(
        sheet.scores.select_related("criterion")
        .prefetch_related(Prefetch("changes", queryset=changes))
        .order_by("criterion__position", "criterion_id")
    )


def self_assess_units(*, user: User, table: ScoringTable) -> list[Unit]:
    """Units the user may score themselves for under the table: writable and current members
    of one of the table's clusters."""
    member_ids = ClusterMember.objects.filter(cluster__in=table.clusters.all(), left_on__isnull=True).values(
        "unit_id"
    )
    return list(writable_units(user=user).filter(pk__in=member_ids).order_by("path")[:200])


def ranking_years(*, cluster: Cluster) -> list[int]:
    return list(
        ScoreSheet.objects.filter(cluster=cluster).values_list("year", flat=True).distinct().order_by("-year")
    )


@dataclass
class RankingRow:
    sheet: ScoreSheet
    total: Decimal
    rank: int
    points: list[Decimal | None]
    grade: str
    flag: str


def ranking_rows(
    *, cluster: Cluster, year: int, table: ScoringTable
) -> tuple[list[Criterion], list[RankingRow]]:
    """(criteria, rows) of a cluster's ranking with the per-criterion breakdown, CĐCS grade and
    the flag proposal for rank 1; a fixed number of queries whatever the cluster's size."""
    criteria = list(table.criteria.all())
    top = sum((c.max_points for c in criteria), Decimal("0"))
    rows = []
    for sheet, total, rank in cluster_ranking(cluster=cluster, year=year, table=table):
        by_criterion = {s.criterion_id: s.points for s in sheet.scores.all()}
        rows.append(
            RankingRow(
                sheet=sheet,
                total=total,
                rank=rank,
                points=[by_criterion.get(c.pk) for c in criteria],
                grade=grade_for(total=total, max_total=top),
                flag=str(FLAG_PROPOSAL) if rank == 1 else "",
            )
        )
    return criteria, rows


def ranking_xlsx(
    *, cluster: Cluster, year: int, publication, criteria: list[Criterion], rows: list[RankingRow]
) -> bytes:
    """The published ranking as .xlsx: one row per unit, a column per criterion, total, rank, grade."""
    from io import BytesIO

    from openpyxl.styles import Alignment, Font

    from lib.spreadsheets import SafeWorkbook

    wb = SafeWorkbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    ws.append([f"Bảng xếp hạng {cluster.name} năm {year}"])
    ws.append([f"{publication.table.name} (phiên bản {publication.table.version})"])
    ws.append(
        [f"Quyết định số {publication.decision_number}, công bố ngày {publication.published_at:%d/%m/%Y}"]
    )
    ws.append([])
    header = ["Xếp hạng", "Đơn vị"]
    header += [f"{c.code}. {c.label} (tối đa {c.max_points})" for c in criteria]
    header += ["Tổng điểm", "Xếp loại", "Đề nghị"]
    ws.append(header)
    for cell in ws[5]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=13)
    for row in rows:
        ws.append(
            [row.rank, row.sheet.unit.name]
            + [float(p) if p is not None else None for p in row.points]
            + [float(row.total), row.grade, row.flag]
        )
    ws.column_dimensions["B"].width = 45
    ws.freeze_panes = "C6"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
