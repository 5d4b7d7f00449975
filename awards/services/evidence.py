"""The evidence award conditions read besides the register: recognised initiatives (of a person
or a collective) and a person's periods of union service. Audited, with the acting user."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Initiative, ServicePeriod
from lib.text import clean
from org.models import Member, Unit, UnitLevel
from org.services.units import acting_as

INITIATIVE_FIELDS = ("title", "year", "scope_level", "recognised_by", "decision_number", "value")
SERVICE_FIELDS = ("kind", "start", "end", "position")
FIRST_YEAR = 1950


def _clean_initiative(data: dict) -> dict:
    errors = {}
    data = {k: data.get(k) for k in INITIATIVE_FIELDS}
    for key in ("title", "recognised_by", "decision_number"):
        data[key] = clean(data[key])
    if not data["title"]:
        errors["title"] = _("Enter the initiative's title.")
    this_year = timezone.localdate().year
    if data["year"] is None or not FIRST_YEAR <= int(data["year"]) <= this_year + 1:
        errors["year"] = _("Enter the year it was recognised.")
    if data["scope_level"] is None or int(data["scope_level"]) not in UnitLevel.values:
        errors["scope_level"] = _("Choose the level at which it has effect.")
    if data["value"] is not None and int(data["value"]) < 0:
        errors["value"] = _("The value cannot be negative.")
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def initiative_create(
    *, created_by, member: Member | None = None, unit: Unit | None = None, **fields
) -> Initiative:
    """An initiative of a person (filed under their unit now) or of a collective (`unit`)."""
    if (member is None) == (unit is None):
        raise ValidationError(_("An initiative belongs to a person or to a collective."))
    data = _clean_initiative(fields)
    initiative = Initiative(
        member=member, unit=member.unit if member else unit, created_by=created_by, **data
    )
    initiative.full_clean()
    with acting_as(created_by):
        initiative.save()
    return initiative


@transaction.atomic
def initiative_update(*, initiative: Initiative, updated_by, **fields) -> Initiative:
    data = _clean_initiative({k: fields.get(k, getattr(initiative, k)) for k in INITIATIVE_FIELDS})
    changed = [k for k, v in data.items() if getattr(initiative, k) != v]
    if not changed:
        return initiative
    for key in changed:
        setattr(initiative, key, data[key])
    initiative.full_clean()
    with acting_as(updated_by):
        initiative.save(update_fields=changed)
    return initiative


@transaction.atomic
def initiative_delete(*, initiative: Initiative, deleted_by) -> None:
    """Remove an initiative entered by mistake. Dossiers already made keep the reasons they
    recorded; only later judgements change."""
    with acting_as(deleted_by):
        initiative.delete()


def _clean_period(member: Member, data: dict, *, exclude: int | None = None) -> dict:
    errors = {}
    data = {k: data.get(k) for k in SERVICE_FIELDS}
    data["position"] = clean(data["position"])
    if data["kind"] not in ServicePeriod.Kind.values:
        errors["kind"] = _("Choose the kind of work.")
    start, end = data["start"], data["end"]
    if start is None:
        errors["start"] = _("Enter the first day of the period.")
    elif end is not None and end < start:
        errors["end"] = _("The period cannot end before it starts.")
    elif start.year < FIRST_YEAR:
        errors["start"] = _("Enter the first day of the period.")
    if not errors:
        # Counted twice otherwise: periods of one person do not overlap.
        overlap = ServicePeriod.objects.filter(member=member).filter(Q(end__isnull=True) | Q(end__gte=start))
        if end is not None:
            overlap = overlap.filter(start__lte=end)
        if exclude is not None:
            overlap = overlap.exclude(pk=exclude)
        if overlap.exists():
            errors["start"] = _("This period overlaps another period of the same person.")
    if errors:
        raise ValidationError(errors)
    return data


def _lock(member_id: int) -> None:
    """Lock the person, so two periods saved at once cannot both pass the overlap check."""
    list(Member.objects.select_for_update().filter(pk=member_id).values_list("pk", flat=True))


@transaction.atomic
def service_period_create(*, member: Member, created_by, **fields) -> ServicePeriod:
    _lock(member.pk)
    period = ServicePeriod(member=member, **_clean_period(member, fields))
    period.full_clean()
    with acting_as(created_by):
        period.save()
    return period


@transaction.atomic
def service_period_update(*, period: ServicePeriod, updated_by, **fields) -> ServicePeriod:
    _lock(period.member_id)
    data = _clean_period(
        period.member, {k: fields.get(k, getattr(period, k)) for k in SERVICE_FIELDS}, exclude=period.pk
    )
    changed = [k for k, v in data.items() if getattr(period, k) != v]
    if not changed:
        return period
    for key in changed:
        setattr(period, key, data[key])
    period.full_clean()
    with acting_as(updated_by):
        # save() derives the month numbers the engine sums from the dates.
        period.save(update_fields=[*changed, "start_month", "end_month"])
    return period


@transaction.atomic
def service_period_delete(*, period: ServicePeriod, deleted_by) -> None:
    with acting_as(deleted_by):
        period.delete()
