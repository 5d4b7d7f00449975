"""Scoring tables: drafts, publishing, new versions, and the table in force for a cluster.

A published table never changes; a change is a new version with a new effective date."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from campaigns.models import Cluster
from org import tree
from org.models import Unit
from reports.models import Criterion, FormVersion, ScoringTable
from reports.services.scoring.rules import M, _audited, rule_problems

if TYPE_CHECKING:
    from accounts.models import User


def _check_clusters(*, unit: Unit, clusters: Iterable[Cluster]) -> list[Cluster]:
    clusters = list(clusters)
    for c in clusters:
        if not tree.is_descendant(c.unit, unit):
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
