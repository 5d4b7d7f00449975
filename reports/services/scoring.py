"""Scoring in clusters: tables of criteria, self-assessment, review with reasons, ranking, freezing.

A published table never changes; a change is a new version with a new effective date. A unit
scores itself first; each reviewing level (a writer on a unit strictly above the sheet's unit)
may change a score only with a written reason (ScoreChange old -> new). Publishing a cluster's
ranking freezes its sheets.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import writable_units
from campaigns.models import Cluster, ClusterMember
from org.models import Unit
from org.services.units import acting_as
from reports.models import (
    Criterion,
    FormVersion,
    RankingPublication,
    Report,
    ReportValue,
    Score,
    ScoreChange,
    ScoreSheet,
    ScoringTable,
)

if TYPE_CHECKING:
    from accounts.models import User


def _audited(func):
    """Record the `by=` user as the actor of the audit entries the service writes."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with acting_as(kwargs.get("by")):
            return func(*args, **kwargs)

    return wrapper


ZERO = Decimal("0")
CENT = Decimal("0.01")
M = Criterion.Method

# Keys each rule method needs (the rule JSON of a Criterion).
RULE_KEYS: dict[str, tuple[str, ...]] = {
    M.THRESHOLD: ("indicator", "at_least", "points"),
    M.RATIO: ("numerator", "denominator", "points"),
    M.PROPORTIONAL: ("indicator", "points_each"),
    M.MANUAL: (),
}

GRADES = (
    (Decimal("0.90"), gettext_lazy("Strong, excellent")),
    (Decimal("0.70"), gettext_lazy("Strong")),
    (Decimal("0.50"), gettext_lazy("Tasks completed")),
)
"""CĐCS grading by share of the table's maximum (≥ 90 % vững mạnh xuất sắc, ≥ 70 % vững mạnh,
≥ 50 % hoàn thành nhiệm vụ, else chưa hoàn thành). The thresholds come from the grading guide
(hướng dẫn đánh giá, xếp loại CĐCS) and should become data on the scoring table later."""
GRADE_BELOW = gettext_lazy("Tasks not completed")
FLAG_PROPOSAL = gettext_lazy("Proposed for the cluster emulation flag")


def grade_for(*, total: Decimal, max_total: Decimal) -> str:
    """The CĐCS grade for a total out of the table's maximum (see GRADES)."""
    if not max_total:
        return str(GRADE_BELOW)
    share = Decimal(total) / Decimal(max_total)
    for threshold, label in GRADES:
        if share >= threshold:
            return str(label)
    return str(GRADE_BELOW)


def _dec(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value})


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- Tables ------------------------------------------------------------------------------------


def rule_problems(*, method: str, rule: dict, codes: set[str] | None = None) -> list[str]:
    """What is wrong with a criterion's rule (empty when it is usable)."""
    if method == M.MANUAL:
        return []
    if not isinstance(rule, dict):
        return [_('The rule must be an object such as {"indicator": "code", "points": 10}.')]
    problems = []
    for key in RULE_KEYS.get(method, ()):
        if key not in rule or rule[key] in ("", None):
            problems.append(_("The rule needs “%(key)s”.") % {"key": key})
    if problems:
        return problems
    for key in ("at_least", "points", "points_each"):
        if key in rule:
            try:
                _dec(rule[key])
            except ValidationError:
                problems.append(_("“%(key)s” must be a number.") % {"key": key})
    if codes is not None:
        for key in ("indicator", "numerator", "denominator"):
            if key in rule and rule[key] not in codes:
                problems.append(_("The form has no indicator “%(code)s”.") % {"code": rule[key]})
    return problems


def _check_clusters(*, unit: Unit, clusters: Iterable[Cluster]) -> list[Cluster]:
    clusters = list(clusters)
    for c in clusters:
        if not c.unit.path.startswith(unit.path):
            raise ValidationError(
                _("The cluster “%(name)s” is not in this unit's subtree.") % {"name": c.name}
            )
    return clusters


@_audited
@transaction.atomic
def scoring_table_create(
    *,
    unit: Unit,
    name: str,
    effective_from: datetime.date,
    clusters: Iterable[Cluster],
    form_version: FormVersion | None,
    tie_break: str,
    by: User | None,
) -> ScoringTable:
    """A new draft table (version 1) kept by `unit`."""
    clusters = _check_clusters(unit=unit, clusters=clusters)
    table = ScoringTable.objects.create(
        unit=unit,
        name=name.strip(),
        effective_from=effective_from,
        form_version=form_version,
        tie_break=tie_break,
        created_by=by,
    )
    table.clusters.set(clusters)
    return table


def _require_draft(table: ScoringTable) -> None:
    if table.is_published:
        raise ValidationError(_("A published scoring table cannot change; make a new version."))


@_audited
@transaction.atomic
def scoring_table_update(
    *,
    table: ScoringTable,
    name: str,
    effective_from: datetime.date,
    clusters: Iterable[Cluster],
    form_version: FormVersion | None,
    tie_break: str,
    criteria: list[dict],
    by: User | None = None,
) -> ScoringTable:
    """Change a draft table and replace its criteria (dicts of code, label, max_points, method, rule)."""
    table = ScoringTable.objects.select_for_update().get(pk=table.pk)
    _require_draft(table)
    clusters = _check_clusters(unit=table.unit, clusters=clusters)
    codes = None
    if form_version is not None:
        codes = set(form_version.indicators.values_list("code", flat=True))
    seen: set[str] = set()
    errors = []
    for row in criteria:
        if row["code"] in seen:
            errors.append(_("The code “%(code)s” is used twice.") % {"code": row["code"]})
        seen.add(row["code"])
        for problem in rule_problems(method=row["method"], rule=row.get("rule") or {}, codes=codes):
            errors.append(f"{row['code']}: {problem}")
    if errors:
        raise ValidationError(errors)
    table.name = name.strip()
    table.effective_from = effective_from
    table.form_version = form_version
    table.tie_break = tie_break
    table.save(update_fields=["name", "effective_from", "form_version", "tie_break"])
    table.clusters.set(clusters)
    # A draft has no sheets yet (sheets need a published table), so its criteria may be replaced.
    table.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(
            table=table,
            code=row["code"],
            label=row["label"],
            max_points=row["max_points"],
            method=row["method"],
            rule=(row.get("rule") or {}) if row["method"] != M.MANUAL else {},
            position=i,
        )
        for i, row in enumerate(criteria)
    )
    return table


@_audited
@transaction.atomic
def scoring_table_publish(*, table: ScoringTable, by: User | None) -> ScoringTable:
    """Publish a draft: from now on it never changes."""
    table = ScoringTable.objects.select_for_update().get(pk=table.pk)
    _require_draft(table)
    if not table.criteria.exists():
        raise ValidationError(_("Add at least one criterion before publishing."))
    if not table.clusters.exists():
        raise ValidationError(_("Choose the clusters the table applies to before publishing."))
    table.is_published = True
    table.save(update_fields=["is_published"])
    return table


@_audited
@transaction.atomic
def scoring_table_new_version(
    *, table: ScoringTable, effective_from: datetime.date, by: User | None
) -> ScoringTable:
    """A draft copy of a published table, numbered after the latest version of the same name."""
    if not table.is_published:
        raise ValidationError(_("Only a published table gets a new version; edit the draft instead."))
    if effective_from <= table.effective_from:
        raise ValidationError(_("The new version must take effect after the current one."))
    latest = ScoringTable.objects.filter(unit=table.unit, name=table.name).aggregate(n=Max("version"))["n"]
    copy = ScoringTable.objects.create(
        unit=table.unit,
        name=table.name,
        version=(latest or 0) + 1,
        effective_from=effective_from,
        form_version=table.form_version,
        tie_break=table.tie_break,
        created_by=by,
    )
    copy.clusters.set(table.clusters.all())
    Criterion.objects.bulk_create(
        Criterion(
            table=copy,
            code=c.code,
            label=c.label,
            max_points=c.max_points,
            method=c.method,
            rule=c.rule,
            position=c.position,
        )
        for c in table.criteria.all()
    )
    return copy


def table_for(*, cluster: Cluster, on: datetime.date) -> ScoringTable | None:
    """The published table in force for a cluster on a date (latest effective date, then version)."""
    return (
        ScoringTable.objects.filter(clusters=cluster, is_published=True, effective_from__lte=on)
        .order_by("-effective_from", "-version", "-id")
        .first()
    )


# --- Computing from indicators ------------------------------------------------------------------


def rule_points(*, criterion: Criterion, values: dict[str, Decimal | None]) -> Decimal | None:
    """Points a rule gives for the values, capped at the criterion's maximum; None for manual."""
    rule = criterion.rule or {}
    cap = Decimal(criterion.max_points)

    def val(code: str) -> Decimal:
        v = values.get(code)
        if v is None or v == "":
            return ZERO
        if isinstance(v, bool):
            return Decimal(int(v))
        try:
            return Decimal(str(v))
        except InvalidOperation:
            return ZERO

    if criterion.method == M.THRESHOLD:
        points = _dec(rule["points"]) if val(rule["indicator"]) >= _dec(rule["at_least"]) else ZERO
    elif criterion.method == M.RATIO:
        denominator = val(rule["denominator"])
        points = ZERO if not denominator else val(rule["numerator"]) / denominator * _dec(rule["points"])
    elif criterion.method == M.PROPORTIONAL:
        points = val(rule["indicator"]) * _dec(rule["points_each"])
    else:
        return None
    return _q(max(ZERO, min(cap, points)))


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


# --- Review -------------------------------------------------------------------------------------


def reviewing_unit(*, user: User, unit: Unit) -> Unit | None:
    """The nearest unit strictly ABOVE `unit` on which the user may write, or None: a unit's own
    officers never review their own sheet."""
    step = Unit.steplen
    above = [unit.path[:i] for i in range(step, len(unit.path), step)]
    if not above:
        return None
    return writable_units(user=user).filter(path__in=above).order_by("-depth").first()


@_audited
@transaction.atomic
def score_change(
    *, score: Score, new_points: Decimal | None, reason: str, by: User, by_unit: Unit | None = None
) -> ScoreChange:
    """A reviewing level changes one score, with its written reason; old -> new is recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Write the reason for changing the score."))
    score = (
        Score.objects.select_for_update().select_related("sheet", "sheet__unit", "criterion").get(pk=score.pk)
    )
    sheet = score.sheet
    _require_open(sheet)
    if sheet.status == ScoreSheet.Status.DRAFT:
        raise ValidationError(_("The unit has not submitted its self-assessment yet."))
    if by_unit is None:
        by_unit = reviewing_unit(user=by, unit=sheet.unit)
    elif not (by_unit.path != sheet.unit.path and sheet.unit.path.startswith(by_unit.path)):
        by_unit = None
    if by_unit is None:
        raise PermissionDenied
    if new_points is not None and not (ZERO <= new_points <= score.criterion.max_points):
        raise ValidationError(
            _("The points must be between 0 and %(max)s.") % {"max": score.criterion.max_points}
        )
    change = ScoreChange.objects.create(
        score=score, old_points=score.points, new_points=new_points, reason=reason, by_unit=by_unit, by=by
    )
    score.points = new_points
    score.save(update_fields=["points"])
    ScoreSheet.objects.filter(pk=sheet.pk).update(status=ScoreSheet.Status.REVIEWED)
    sheet.status = ScoreSheet.Status.REVIEWED
    _refresh_total(sheet)
    return change


# --- Ranking ------------------------------------------------------------------------------------

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
    """Publish a cluster's ranking: freeze its sheets with their totals and ranks, keep the decision."""
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
    return publication


def ranking_published(*, table: ScoringTable, cluster: Cluster, year: int) -> RankingPublication | None:
    """The publication of a cluster's ranking for a year, if it has been published."""
    return RankingPublication.objects.filter(table=table, cluster=cluster, year=year).first()
