"""Reads for scoring: visible tables and sheets, a sheet's scores with their changes, ranking rows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet, Sum

from accounts.scoping import scoped, scoped_with_above, writable_units
from campaigns.models import Cluster, ClusterMember
from campaigns.selectors.covenants import clusters_for_user
from org import tree
from org.models import Unit
from reports.models import Criterion, Score, ScoreChange, ScoreSheet, ScoringTable
from reports.services.scoring import (
    FLAG_PROPOSAL,
    RankingRow,
    cluster_ranking,
    grade_for,
    printed_ranking,
    ranking_published,
    table_for,
)

if TYPE_CHECKING:
    from accounts.models import User

__all__ = [
    "cluster_ranking",
    "printed_ranking",
    "ranking_lines",
    "ranking_published",
    "ranking_rows",
    "tables_for_user",
    "sheets_for_user",
    "clusters_for_user",
]


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
    return list(writable_units(user=user).filter(pk__in=member_ids).order_by(tree.tree_order())[:200])


def ranking_years(*, cluster: Cluster) -> list[int]:
    return list(
        ScoreSheet.objects.filter(cluster=cluster).values_list("year", flat=True).distinct().order_by("-year")
    )


def ranking_rows(
    *, cluster: Cluster, year: int, table: ScoringTable
) -> tuple[list[Criterion], list[RankingRow]]:
    """(criteria, rows) of a ranking still being scored, from today's sheets and names: the
    per-criterion breakdown, CĐCS grade and the flag proposal for rank 1; a fixed number of
    queries whatever the cluster's size. A published ranking reads `printed_ranking` instead."""
    criteria = list(table.criteria.all())
    top = sum((c.max_points for c in criteria), Decimal("0"))
    rows = []
    for sheet, total, rank in cluster_ranking(cluster=cluster, year=year, table=table):
        by_criterion = {s.criterion_id: s.points for s in sheet.scores.all()}
        rows.append(
            RankingRow(
                sheet_id=sheet.pk,
                unit_id=sheet.unit_id,
                unit_name=sheet.unit.name,
                total=total,
                rank=rank,
                points=[by_criterion.get(c.pk) for c in criteria],
                grade=grade_for(total=total, max_total=top),
                flag=str(FLAG_PROPOSAL) if rank == 1 else "",
            )
        )
    return criteria, rows


def ranking_lines(*, cluster: Cluster, year: int) -> list[dict]:
    """The API's lines of a cluster's ranking under the table in force that year: as published
    once published, else from today's sheets."""
    table = table_for(cluster=cluster, on=datetime.date(year, 12, 31))
    if table is None:
        return []
    publication = ranking_published(table=table, cluster=cluster, year=year)
    if publication is not None:
        printed = printed_ranking(publication=publication)
        return [
            {
                "unit": row.unit_id,
                "unit_name": row.unit_name,
                "total": row.total,
                "rank": row.rank,
                "status": ScoreSheet.Status.FROZEN,
            }
            for row in printed.rows
        ]
    return [
        {
            "unit": sheet.unit_id,
            "unit_name": sheet.unit.name,
            "total": total,
            "rank": rank,
            "status": sheet.status,
        }
        for sheet, total, rank in cluster_ranking(cluster=cluster, year=year, table=table)
    ]
