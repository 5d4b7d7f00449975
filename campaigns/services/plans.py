"""Writing, issuing, amending, closing and cascading plans; the movement catalogue; launches."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import role_units
from campaigns.models import Duty, LaunchEvent, Movement, Phase, Plan, PlanDelivery, PlanMovement, Target
from lib.text import clean, fold
from org import tree
from org.models import Unit, UnitLevel, UnitStatus
from org.services.units import acting_as

PLAN_FIELDS = [
    "year",
    "number",
    "place",
    "issued_on",
    "title",
    "preamble",
    "purposes",
    "theme",
    "contents",
    "closing",
    "reporting",
    "recipients",
    "signer_authority",
    "signer_title",
    "signer_name",
]
TEXT_FIELDS = {"number", "place", "title", "theme", "signer_authority", "signer_title", "signer_name"}

STALE_MESSAGE = (
    "This plan was changed by someone else after you opened it; reload it and make your changes again."
)

# Duty levels that concern a unit deriving its own plan, by the unit's level.
DUTY_LEVELS_FOR = {
    UnitLevel.PROVINCE: [
        Duty.Level.UPPER,
        Duty.Level.GRASSROOTS,
        Duty.Level.UPPER_AND_GRASSROOTS,
        Duty.Level.ALL,
    ],
    UnitLevel.UPPER: [
        Duty.Level.UPPER,
        Duty.Level.GRASSROOTS,
        Duty.Level.UPPER_AND_GRASSROOTS,
        Duty.Level.ALL,
    ],
    UnitLevel.GRASSROOTS: [Duty.Level.GRASSROOTS, Duty.Level.UPPER_AND_GRASSROOTS, Duty.Level.ALL],
    UnitLevel.GROUP: [Duty.Level.GRASSROOTS, Duty.Level.ALL],
}


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in fields.items() if k in PLAN_FIELDS}
    for key in TEXT_FIELDS & out.keys():
        out[key] = clean(out[key])
    for key in ("purposes", "recipients"):
        if key in out:
            out[key] = [clean(line) for line in out[key] or [] if clean(line)]
    if "contents" in out:
        out["contents"] = [
            {"number": clean(c.get("number", "")), "text": clean(c.get("text", ""))}
            for c in out["contents"] or []
            if clean(c.get("text", ""))
        ]
    return out


def _phase_errors(*, year: int, phases: list[dict]) -> list[str]:
    errors = []
    for p in phases:
        name = p.get("name") or "?"
        start, end = p.get("start"), p.get("end")
        if not start or not end:
            errors.append(_("Phase “%(name)s” needs a start and an end date.") % {"name": name})
            continue
        if start > end:
            errors.append(_("Phase “%(name)s” starts after it ends.") % {"name": name})
        if start.year != year or end.year != year:
            errors.append(
                _("Phase “%(name)s” falls outside the plan's year %(year)s.") % {"name": name, "year": year}
            )
    dated = sorted((p for p in phases if p.get("start") and p.get("end")), key=lambda p: p["start"])
    for a, b in zip(dated, dated[1:], strict=False):
        if b["start"] <= a["end"]:
            errors.append(
                _("Phases “%(a)s” and “%(b)s” overlap.")
                % {"a": a.get("name") or "?", "b": b.get("name") or "?"}
            )
    return errors


def _target_errors(*, duties: list[dict]) -> list[str]:
    errors = []
    for duty in duties:
        for t in duty.get("targets", []):
            if not t.get("count"):
                errors.append(
                    _("Target “%(text)s” needs a number (at least 1).") % {"text": t.get("text") or "?"}
                )
    return errors


def _structure_errors(*, year: int, title: str, phases: list[dict], duties: list[dict]) -> list[str]:
    errors = []
    if not clean(title):
        errors.append(_("The plan needs a title."))
    return errors + _phase_errors(year=year, phases=phases) + _target_errors(duties=duties)


def _plan_parts(plan: Plan) -> tuple[list[dict], list[dict]]:
    """The plan's phases and duties (with targets) as the dicts plan_update takes."""
    phases = [
        {"name": p.name, "start": p.start, "end": p.end, "purpose": p.purpose} for p in plan.phases.all()
    ]
    targets_by_duty: dict[int | None, list[dict]] = {}
    for t in plan.targets.all():
        targets_by_duty.setdefault(t.duty_id, []).append(
            {
                "text": t.text,
                "count": t.count,
                "kind": t.kind,
                "unit_level": t.unit_level,
                "movement": t.movement,
            }
        )
    duties = [
        {
            "level": d.level,
            "level_label": d.level_label,
            "items": list(d.items),
            "targets": targets_by_duty.get(d.pk, []),
        }
        for d in plan.duties.all()
    ]
    return phases, duties


def plan_validate(plan: Plan) -> list[str]:
    """Everything that stops the plan from being issued; empty when it may be issued."""
    phases, duties = _plan_parts(plan)
    errors = _structure_errors(year=plan.year, title=plan.title, phases=phases, duties=duties)
    if not plan.number:
        errors.append(_("The plan needs a number and symbol (e.g. 15/KH-LĐLĐ)."))
    if not plan.issued_on:
        errors.append(_("The plan needs a date."))
    if not (plan.signer_authority and plan.signer_title and plan.signer_name):
        errors.append(_("The signer is missing: fill in the signing authority, title and name."))
    if not phases:
        errors.append(_("The plan needs at least one phase."))
    return errors


def _write_children(*, plan: Plan, phases: list[dict], duties: list[dict], movements: list[Movement]) -> None:
    """Replace a draft's phases, duties, targets and movements (drafts only: nothing refers to them)."""
    plan.targets.all().delete()
    plan.duties.all().delete()
    plan.phases.all().delete()
    plan.plan_movements.all().delete()
    Phase.objects.bulk_create(
        Phase(
            plan=plan,
            name=clean(p.get("name")),
            start=p["start"],
            end=p["end"],
            purpose=p.get("purpose", ""),
            position=i,
        )
        for i, p in enumerate(phases)
    )
    for i, d in enumerate(duties):
        duty = Duty.objects.create(
            plan=plan,
            level=d["level"],
            level_label=clean(d.get("level_label")),
            items=[clean(x) for x in d.get("items", []) if clean(x)],
            position=i,
        )
        Target.objects.bulk_create(
            Target(
                plan=plan,
                duty=duty,
                text=clean(t.get("text")),
                count=t["count"],
                kind=t.get("kind") or Target.Kind.OTHER,
                unit_level=t.get("unit_level", UnitLevel.GRASSROOTS),
                movement=t.get("movement"),
                position=j,
            )
            for j, t in enumerate(d.get("targets", []))
        )
    seen: set[int] = set()
    links = []
    for i, m in enumerate(movements):
        if m.pk not in seen:
            seen.add(m.pk)
            links.append(PlanMovement(plan=plan, movement=m, position=i))
    PlanMovement.objects.bulk_create(links)


@transaction.atomic
def plan_create(*, unit: Unit, year: int, title: str, created_by, **fields) -> Plan:
    """A new draft plan of `unit`."""
    data = _clean_fields({**fields, "year": year, "title": title})
    errors = _structure_errors(year=year, title=data["title"], phases=[], duties=[])
    if errors:
        raise ValidationError(errors)
    with acting_as(created_by):
        plan = Plan.objects.create(unit=unit, created_by=created_by, **data)
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    revision: int,
    updated_by,
    data: dict[str, Any],
    phases: list[dict],
    duties: list[dict],
    movements: list[Movement],
) -> Plan:
    """Save a draft as a whole. Refused when someone else saved it after `revision` was read."""
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("Only a draft can be edited; amend an issued plan instead."))
    fields = _clean_fields(data)
    year = fields.get("year", plan.year)
    errors = _structure_errors(year=year, title=fields.get("title", plan.title), phases=phases, duties=duties)
    if errors:
        raise ValidationError(errors)
    if plan.revision != revision:
        raise ValidationError(_(STALE_MESSAGE))
    # The conditional UPDATE is the lock: of two saves from the same revision only one matches.
    if not Plan.objects.filter(pk=plan.pk, revision=revision, status=Plan.Status.DRAFT).update(
        revision=F("revision") + 1
    ):
        raise ValidationError(_(STALE_MESSAGE))
    with acting_as(updated_by):
        plan.revision = revision + 1
        for key, value in fields.items():
            setattr(plan, key, value)
        plan.save(update_fields=[*fields.keys(), "updated_at"])
        _write_children(plan=plan, phases=phases, duties=duties, movements=movements)
    return plan


@transaction.atomic
def plan_update_with_new_movements(
    *, plan: Plan, updated_by, movements: list[Movement], new_movement_names: list[str], **rest: Any
) -> Plan:
    """plan_update (`rest`: revision, data, phases, duties), first adding the movements named in
    `new_movement_names` to the catalogue.

    One transaction: when the save is refused (stale, invalid), the new movements are not kept."""
    chosen = list(movements)
    for name in new_movement_names:
        chosen.append(movement_get_or_create(unit=plan.unit, name=name, created_by=updated_by))
    return plan_update(plan=plan, updated_by=updated_by, movements=chosen, **rest)


def _recipient_errors(*, issuer: Unit, units: list[Unit]) -> list[str]:
    """Why these units cannot receive a plan of `issuer`: each must be an active unit below it."""
    if not units:
        return [_("Choose at least one unit to send the plan to.")]
    ids = {u.pk for u in units}
    inside = Unit.objects.filter(
        tree.subtree_q(issuer, strict=True), pk__in=ids, status=UnitStatus.ACTIVE
    ).count()
    if inside != len(ids):
        return [_("Some of the chosen units are not active units below the issuing unit.")]
    return []


@transaction.atomic
def plan_issue(
    *,
    plan: Plan,
    issued_by,
    deliver_below: bool = False,
    recipient_units: list[Unit] | None = None,
) -> Plan:
    """Issue a draft: checked first (nothing saved on error), then sent to its recipients' inboxes.

    The recipients are `recipient_units` (active units below the issuer), or when None the
    issuer's direct children; with `deliver_below` every active unit below them as well.
    """
    from campaigns.tasks import plan_distribute

    plan = Plan.objects.select_for_update(of=("self",)).select_related("supersedes", "unit").get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("Only a draft can be issued."))
    errors = plan_validate(plan)
    if recipient_units is not None:
        errors += _recipient_errors(issuer=plan.unit, units=recipient_units)
    if errors:
        raise ValidationError(errors)
    with acting_as(issued_by):
        plan.status = Plan.Status.ISSUED
        plan.issued_at = timezone.now()
        plan.issued_by = issued_by
        plan.save(update_fields=["status", "issued_at", "issued_by", "updated_at"])
        old = plan.supersedes
        if old is not None and old.status in (Plan.Status.ISSUED, Plan.Status.CLOSED):
            old.status = Plan.Status.SUPERSEDED
            old.save(update_fields=["status", "updated_at"])
    unit_ids = None if recipient_units is None else sorted({u.pk for u in recipient_units})
    plan_distribute.enqueue(plan.pk, deliver_below, unit_ids)
    return plan


def _copy_children(
    *, source: Plan, plan: Plan, duty_levels: list[str] | None = None, min_level: int = 0
) -> None:
    phases, duties = _plan_parts(source)
    if duty_levels is not None:
        duties = [d for d in duties if d["level"] in duty_levels]
    for d in duties:
        d["targets"] = [t for t in d["targets"] if t["unit_level"] >= min_level]
    movements = [pm.movement for pm in source.plan_movements.select_related("movement")]
    _write_children(plan=plan, phases=phases, duties=duties, movements=movements)


@transaction.atomic
def plan_amend(*, plan: Plan, created_by) -> Plan:
    """A new draft version of an issued plan; issuing it supersedes the old one."""
    if plan.status != Plan.Status.ISSUED:
        raise ValidationError(_("Only an issued plan can be amended."))
    if plan.amendments.filter(status=Plan.Status.DRAFT).exists():
        raise ValidationError(_("A draft amendment of this plan already exists."))
    with acting_as(created_by):
        new = Plan.objects.create(
            unit=plan.unit,
            parent_plan=plan.parent_plan,
            supersedes=plan,
            version=plan.version + 1,
            created_by=created_by,
            **{k: getattr(plan, k) for k in PLAN_FIELDS},
        )
        _copy_children(source=plan, plan=new)
    return new


@transaction.atomic
def plan_close(*, plan: Plan, closed_by) -> Plan:
    """Close an issued plan at the end of its campaign."""
    if plan.status != Plan.Status.ISSUED:
        raise ValidationError(_("Only an issued plan can be closed."))
    with acting_as(closed_by):
        plan.status = Plan.Status.CLOSED
        plan.closed_at = timezone.now()
        plan.save(update_fields=["status", "closed_at", "updated_at"])
    return plan


def _derived_recipients(*, parent_plan: Plan, unit: Unit) -> list[str]:
    # Document text, written in the plan's own language like the rest of its body.
    lines = [f"- {parent_plan.unit.name} (để b/c);"]
    if unit.level < UnitLevel.GRASSROOTS:
        lines.append("- Các công đoàn trực thuộc (để t/h);")
    lines.append("- Lưu: VT.")
    return lines


@transaction.atomic
def plan_derive(*, parent_plan: Plan, unit: Unit, created_by) -> Plan:
    """A draft for `unit` prefilled from the issued plan of a unit above it."""
    if parent_plan.status != Plan.Status.ISSUED:
        raise ValidationError(_("Only an issued plan can be built upon."))
    if not tree.is_descendant(unit, parent_plan.unit, strict=True):
        raise ValidationError(_("Only a unit below the issuing unit can build its plan from this one."))
    existing = Plan.objects.filter(parent_plan=parent_plan, unit=unit).exclude(status=Plan.Status.SUPERSEDED)
    if existing.exists():
        raise ValidationError(_("This unit already has a plan built from this one."))
    level = unit.level
    with acting_as(created_by):
        plan = Plan.objects.create(
            unit=unit,
            parent_plan=parent_plan,
            created_by=created_by,
            year=parent_plan.year,
            title=parent_plan.title,
            preamble=parent_plan.preamble,
            purposes=list(parent_plan.purposes),
            theme=parent_plan.theme,
            contents=list(parent_plan.contents),
            closing=parent_plan.closing,
            reporting=parent_plan.reporting,
            place=parent_plan.place,
            recipients=_derived_recipients(parent_plan=parent_plan, unit=unit),
        )
        _copy_children(
            source=parent_plan, plan=plan, duty_levels=DUTY_LEVELS_FOR.get(level, []), min_level=level
        )
    return plan


@transaction.atomic
def movement_create(
    *, unit: Unit, name: str, created_by, launched_by: str = "", description: str = ""
) -> Movement:
    """Add a movement to a federation's catalogue; names are unique regardless of accents and case."""
    name = clean(name)
    if not name:
        raise ValidationError({"name": _("Enter the movement's name.")})
    folded = fold(name)
    if Movement.objects.filter(unit=unit, name_folded=folded).exists():
        raise ValidationError({"name": _("This catalogue already has a movement with this name.")})
    with acting_as(created_by):
        return Movement.objects.create(
            unit=unit, name=name, name_folded=folded, launched_by=clean(launched_by), description=description
        )


@transaction.atomic
def movement_update(*, movement: Movement, updated_by, **data) -> Movement:
    """Rename or describe a movement; the name stays unique in its catalogue."""
    with acting_as(updated_by):
        changed = []
        if "name" in data:
            name = clean(data["name"])
            folded = fold(name)
            if not name:
                raise ValidationError({"name": _("Enter the movement's name.")})
            if (
                Movement.objects.filter(unit=movement.unit_id, name_folded=folded)
                .exclude(pk=movement.pk)
                .exists()
            ):
                raise ValidationError({"name": _("This catalogue already has a movement with this name.")})
            movement.name, movement.name_folded = name, folded
            changed += ["name", "name_folded"]
        for key in ("launched_by", "description", "is_active"):
            if key in data:
                setattr(movement, key, data[key])
                changed.append(key)
        if changed:
            movement.save(update_fields=changed)
    return movement


def movement_get_or_create(*, unit: Unit, name: str, created_by) -> Movement:
    """The catalogue's movement of this name (accent/case-insensitive), added when missing."""
    existing = Movement.objects.filter(unit=unit, name_folded=fold(name)).first()
    return existing or movement_create(unit=unit, name=name, created_by=created_by)


@transaction.atomic
def delivery_mark_opened(*, plan: Plan, user) -> int:
    """Mark the plan opened in the inboxes of the units the user holds a role at."""
    units = role_units(user=user)
    return PlanDelivery.objects.filter(plan=plan, unit__in=units, opened_at__isnull=True).update(
        opened_at=timezone.now(), opened_by=user
    )


@transaction.atomic
def launch_create(
    *,
    plan: Plan,
    unit: Unit,
    held_on: datetime.date,
    created_by,
    place: str = "",
    participants: int = 0,
    description: str = "",
) -> LaunchEvent:
    """Record a launch ceremony (lễ phát động) a unit held for an issued plan."""
    if plan.status not in (Plan.Status.ISSUED, Plan.Status.CLOSED):
        raise ValidationError(_("A launch can only be recorded for an issued plan."))
    if not tree.is_descendant(unit, plan.unit):
        raise ValidationError({"unit": _("The unit must be the issuing unit or a unit below it.")})
    with acting_as(created_by):
        return LaunchEvent.objects.create(
            plan=plan,
            unit=unit,
            held_on=held_on,
            place=clean(place),
            participants=participants or 0,
            description=description,
            created_by=created_by,
        )
