"""Score sheets: a unit's sheet under a published table, computed from indicators, self-assessed
and submitted."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Cluster, ClusterMember
from org.models import Unit
from reports.models import Report, ReportValue, Score, ScoreChange, ScoreSheet, ScoringTable
from reports.services.scoring.rules import ZERO, M, _audited, _q, rule_points

if TYPE_CHECKING:
    from accounts.models import User


def indicator_values_for(*, table: ScoringTable, unit: Unit, year: int) -> dict[str, Decimal]:
    """{code: number} from the unit's submitted or accepted report of the table's form that year
    (the latest request whose due date falls in the year); empty without a form or a report."""
    if table.form_version_id is None:
        return {}
    report = (
        Report.objects.filter(
            unit=unit,
            request__version__form_id=table.form_version.form_id,
            request__due_on__year=year,
            status__in=(Report.Status.SUBMITTED, Report.Status.ACCEPTED),
            current_version__isnull=False,
        )
        .order_by("-request__due_on", "-request_id")
        .first()
    )
    if report is None:
        return {}
    rows = ReportValue.objects.filter(version_id=report.current_version_id, number__isnull=False).values_list(
        "indicator__code", "number"
    )
    return dict(rows)


def _require_open(sheet: ScoreSheet) -> None:
    if sheet.status == ScoreSheet.Status.FROZEN:
        raise ValidationError(_("The ranking is published; these scores are frozen."))


def _refresh_total(sheet: ScoreSheet) -> None:
    total = sum((s.points or ZERO for s in Score.objects.filter(sheet=sheet)), ZERO)
    sheet.total = _q(Decimal(total))
    sheet.save(update_fields=["total"])


@transaction.atomic
def sheet_get_or_create(
    *, table: ScoringTable, unit: Unit, year: int, cluster: Cluster | None = None
) -> ScoreSheet:
    """The unit's sheet for the year under a published table, with one score row per criterion."""
    if not table.is_published:
        raise ValidationError(_("Units score themselves only against a published table."))
    if cluster is None:
        cluster = (
            table.clusters.filter(
                pk__in=ClusterMember.objects.filter(unit=unit, left_on__isnull=True).values("cluster_id")
            )
            .order_by("id")
            .first()
        )
    if (
        cluster is None
        or not ClusterMember.objects.filter(cluster=cluster, unit=unit, left_on__isnull=True).exists()
    ):
        raise ValidationError(_("This unit is not a member of a cluster the table applies to."))
    sheet, created = ScoreSheet.objects.get_or_create(
        table=table, unit=unit, year=year, defaults={"cluster": cluster}
    )
    if created:
        Score.objects.bulk_create(Score(sheet=sheet, criterion=c) for c in table.criteria.all())
        sheet_compute(sheet=sheet, values=indicator_values_for(table=table, unit=unit, year=year))
    return sheet


@transaction.atomic
def sheet_compute(*, sheet: ScoreSheet, values: dict[str, Decimal]) -> ScoreSheet:
    """Fill the rule-based criteria from indicator values; manual ones stay for people to score."""
    _require_open(sheet)
    scores = list(Score.objects.filter(sheet=sheet).select_related("criterion"))
    reviewed = set(ScoreChange.objects.filter(score__sheet=sheet).values_list("score_id", flat=True))
    changed = []
    for score in scores:
        points = rule_points(criterion=score.criterion, values=values)
        if points is None or score.pk in reviewed:
            continue  # manual, or a reviewer's reasoned change outranks a recomputation
        score.self_points = points
        score.points = points
        changed.append(score)
    Score.objects.bulk_update(changed, ["self_points", "points"])
    _refresh_total(sheet)
    return sheet


@_audited
@transaction.atomic
def sheet_self_assess(
    *, sheet: ScoreSheet, entries: dict[int, tuple[Decimal | None, str]], by: User | None
) -> ScoreSheet:
    """Save the unit's own points and evidence for manual criteria ({criterion id: (points, evidence)})."""
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    _require_open(sheet)
    if sheet.status != ScoreSheet.Status.DRAFT:
        raise ValidationError(_("The self-assessment has been submitted; only reviewers change it now."))
    scores = {s.criterion_id: s for s in Score.objects.filter(sheet=sheet).select_related("criterion")}
    errors = []
    changed = []
    for criterion_id, (points, evidence) in entries.items():
        score = scores.get(int(criterion_id))
        if score is None:
            continue
        c = score.criterion
        if c.method == M.MANUAL:
            if points is not None and not (ZERO <= points <= c.max_points):
                errors.append(
                    _("%(label)s: the points must be between 0 and %(max)s.")
                    % {"label": c.label, "max": c.max_points}
                )
                continue
            score.self_points = points
            score.points = points
        score.self_evidence = (evidence or "").strip()
        changed.append(score)
    if errors:
        raise ValidationError(errors)
    Score.objects.bulk_update(changed, ["self_points", "points", "self_evidence"])
    _refresh_total(sheet)
    return sheet


@_audited
@transaction.atomic
def sheet_submit(*, sheet: ScoreSheet, by: User | None) -> ScoreSheet:
    """Submit the self-assessment. Every manual criterion needs points; 0 is a real answer."""
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    _require_open(sheet)
    if sheet.status != ScoreSheet.Status.DRAFT:
        raise ValidationError(_("The self-assessment has already been submitted."))
    values = indicator_values_for(table=sheet.table, unit=sheet.unit, year=sheet.year)
    if values:  # the report may have come in after the sheet was opened
        sheet_compute(sheet=sheet, values=values)
    missing = [
        s.criterion.label
        for s in Score.objects.filter(sheet=sheet, criterion__method=M.MANUAL, self_points__isnull=True)
        .select_related("criterion")
        .order_by("criterion__position", "criterion_id")
    ]
    if missing:
        raise ValidationError(
            [_("Enter your points (0 if none) for: %(label)s.") % {"label": label} for label in missing]
        )
    sheet.status = ScoreSheet.Status.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["status", "submitted_at"])
    _refresh_total(sheet)
    return sheet
