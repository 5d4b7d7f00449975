"""Ranking a cluster's sheets and publishing it, which freezes the sheets."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Cluster
from reports.models import Criterion, RankingPublication, ScoreSheet, ScoringTable
from reports.services.scoring.published import ranking_file_store, ranking_snapshot_store
from reports.services.scoring.rules import ZERO, _audited, _q
from reports.services.scoring.tables import table_for

if TYPE_CHECKING:
    from accounts.models import User


RANKED = (ScoreSheet.Status.SUBMITTED, ScoreSheet.Status.REVIEWED, ScoreSheet.Status.FROZEN)


def _tie_key(table: ScoringTable, sheet: ScoreSheet, criteria: list[Criterion]) -> tuple:
    """A key where smaller ranks higher, after the total (already equal)."""
    if table.tie_break == ScoringTable.TieBreak.FIRST_CRITERION:
        by_criterion = {s.criterion_id: s.points or ZERO for s in sheet.scores.all()}
        return tuple(-by_criterion.get(c.pk, ZERO) for c in criteria)
    if table.tie_break == ScoringTable.TieBreak.MORE_MEMBERS:
        return (-sheet.unit.member_count,)
    if table.tie_break == ScoringTable.TieBreak.EARLIER_SUBMISSION:
        at = sheet.submitted_at
        return (at is None, at or timezone.now())
    return ()


def cluster_ranking(
    *, cluster: Cluster, year: int, table: ScoringTable | None = None
) -> list[tuple[ScoreSheet, Decimal, int]]:
    """[(sheet, total, rank)] of the cluster's submitted sheets, best first; ties broken by the
    table's rule, and still equal after it -> the same rank (1, 2, 2, 4). Four queries."""
    if table is None:
        table = table_for(cluster=cluster, on=datetime.date(year, 12, 31))
    if table is None:
        return []
    criteria = list(table.criteria.all())
    sheets = list(
        ScoreSheet.objects.filter(table=table, cluster=cluster, year=year, status__in=RANKED)
        .select_related("unit")
        .prefetch_related("scores")
    )
    for sheet in sheets:
        sheet.current_total = _q(sum((s.points or ZERO for s in sheet.scores.all()), ZERO))
    keyed = sorted(
        (((-sheet.current_total, *_tie_key(table, sheet, criteria)), sheet) for sheet in sheets),
        key=lambda pair: (pair[0], pair[1].unit.name, pair[1].pk),
    )
    out: list[tuple[ScoreSheet, Decimal, int]] = []
    previous = None
    rank = 0
    for position, (key, sheet) in enumerate(keyed, start=1):
        if key != previous:
            rank = position
            previous = key
        out.append((sheet, sheet.current_total, rank))
    return out


@_audited
@transaction.atomic
def ranking_publish(
    *,
    table: ScoringTable,
    cluster: Cluster,
    year: int,
    decision_number: str,
    decision_file=None,
    by: User | None,
) -> RankingPublication:
    """Publish a cluster's ranking: freeze its sheets with their totals and ranks, keep the decision,
    and store what the ranking prints and its .xlsx (see published.py)."""
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise ValidationError(_("Enter the decision number."))
    if RankingPublication.objects.filter(table=table, cluster=cluster, year=year).exists():
        raise ValidationError(_("This ranking has already been published."))
    # Lock the sheets so no review slips in between ranking and freezing.
    list(ScoreSheet.objects.select_for_update().filter(table=table, cluster=cluster, year=year))
    ranking = cluster_ranking(cluster=cluster, year=year, table=table)
    if not ranking:
        raise ValidationError(_("No unit has submitted its self-assessment yet."))
    now = timezone.now()
    for sheet, total, rank in ranking:
        sheet.total, sheet.rank = total, rank
        sheet.status, sheet.frozen_at = ScoreSheet.Status.FROZEN, now
        sheet.save(update_fields=["total", "rank", "status", "frozen_at"])
    # Sheets never submitted are frozen too: nothing changes after the decision.
    ScoreSheet.objects.filter(table=table, cluster=cluster, year=year).exclude(
        status=ScoreSheet.Status.FROZEN
    ).update(status=ScoreSheet.Status.FROZEN, frozen_at=now)
    publication = RankingPublication(
        table=table, cluster=cluster, year=year, decision_number=decision_number, published_by=by
    )
    if decision_file:
        publication.decision_file.save(decision_file.name, decision_file, save=False)
    publication.save()
    ranking_snapshot_store(publication=publication, table=table, cluster=cluster, ranking=ranking)
    ranking_file_store(publication=publication)
    return publication


def ranking_published(*, table: ScoringTable, cluster: Cluster, year: int) -> RankingPublication | None:
    """The publication of a cluster's ranking for a year, if it has been published."""
    return RankingPublication.objects.filter(table=table, cluster=cluster, year=year).first()
