"""Restructuring the union tree: merge, split, move, dissolve.

Each is one atomic act with an effective date and a decision number, recorded as a UnitEvent.
The parent a unit had over time is kept in UnitLink rows (the current one is closed with
valid_to = the effective date and a new one opened), so org.selectors.history can rebuild the
tree as of any date. Ended units are never deleted: they keep their history and stay readable.

Services trust their caller for permissions (views check can_write on every unit involved) but
validate the structure themselves.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.text import clean
from org import tree
from org.models import Member, MemberMove, MemberStatus, Unit, UnitEvent, UnitLink, UnitStatus
from org.services.counts import counts_recompute
from org.services.units import acting_as, unit_create

NEW_UNIT_FIELDS = ("code", "name", "kind", "short_name", "sector", "address")
BATCH = 2000


# --- helpers -------------------------------------------------------------------------------


def _lock(ids: Sequence[int]) -> list[Unit]:
    """Fresh copies of the units, locked for the rest of the transaction, in the given order."""
    found = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=list(ids))}
    return [found[pk] for pk in ids if pk in found]


def _parent_of(unit: Unit) -> Unit | None:
    return tree.parent(unit)


def _active_children(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(tree.children_q(unit), status=UnitStatus.ACTIVE).order_by(tree.tree_order())


def _require_date(on: datetime.date | None, units: Iterable[Unit]) -> None:
    if on is None:
        raise ValidationError({"effective_on": _("Enter the effective date.")})
    for unit in units:
        if unit.established_on and on < unit.established_on:
            raise ValidationError(
                _("The effective date is before %(unit)s was established (%(date)s).")
                % {"unit": unit.name, "date": unit.established_on.strftime("%d/%m/%Y")}
            )


def _require_active(units: Iterable[Unit]) -> None:
    for unit in units:
        if not unit.is_active:
            raise ValidationError(
                _("%(unit)s is no longer active and cannot be restructured.") % {"unit": unit.name}
            )


def _require_outside(target: Unit, unit: Unit) -> None:
    """A unit cannot go under itself or under one of its own descendants."""
    if tree.is_descendant(target, unit):
        raise ValidationError(
            _("%(target)s is %(unit)s itself or lies inside it.") % {"target": target.name, "unit": unit.name}
        )


def _event(
    *,
    kind: str,
    on: datetime.date,
    decision_number: str,
    note: str,
    by,
    sources: Iterable[Unit],
    targets: Iterable[Unit] = (),
) -> UnitEvent:
    event = UnitEvent.objects.create(
        kind=kind,
        effective_on=on,
        decision_number=clean(decision_number),
        note=(note or "").strip(),
        created_by=by,
    )
    event.sources.set(list(sources))
    event.targets.set(list(targets))
    return event


def _relink(*, unit: Unit, new_parent: Unit | None, on: datetime.date, event: UnitEvent) -> None:
    """Close the unit's current parent link at `on` and open one under `new_parent`."""
    current = UnitLink.objects.select_for_update().filter(unit=unit, valid_to__isnull=True).first()
    if current is None:
        # Units loaded in bulk may have no history yet: record where they were until now.
        UnitLink.objects.create(
            unit=unit, parent=_parent_of(unit), valid_from=unit.established_on, valid_to=on
        )
    else:
        if current.valid_from and current.valid_from > on:
            raise ValidationError(
                _("%(unit)s already changed parent on %(date)s; the effective date cannot be earlier.")
                % {"unit": unit.name, "date": current.valid_from.strftime("%d/%m/%Y")}
            )
        current.valid_to = on
        current.save(update_fields=["valid_to"])
    UnitLink.objects.create(unit=unit, parent=new_parent, valid_from=on, event=event)


def _move(*, unit: Unit, new_parent: Unit, on: datetime.date, event: UnitEvent) -> None:
    """Move a subtree under `new_parent` (last child), keeping the parent history."""
    unit.refresh_from_db()
    new_parent.refresh_from_db()
    _relink(unit=unit, new_parent=new_parent, on=on, event=event)
    Unit.objects.move(unit, new_parent, "last-child")
    unit.refresh_from_db()
    new_parent.refresh_from_db()


def _move_members(
    *, members: QuerySet[Member], to_unit: Unit, on: datetime.date, event: UnitEvent, by, reason: str
) -> set[int]:
    """Move members in bulk (one UPDATE, MemberMove rows in batches); returns the units left."""
    rows = list(members.exclude(unit=to_unit).select_for_update().values_list("pk", "unit_id"))
    if not rows:
        return set()
    ids = [pk for pk, _unit in rows]
    now = timezone.now()
    for start in range(0, len(ids), BATCH):
        Member.objects.filter(pk__in=ids[start : start + BATCH]).update(unit=to_unit, updated_at=now)
    MemberMove.objects.bulk_create(
        [
            MemberMove(
                member_id=pk,
                from_unit_id=unit_id,
                to_unit=to_unit,
                moved_on=on,
                reason=reason,
                event=event,
                created_by=by,
            )
            for pk, unit_id in rows
        ],
        batch_size=BATCH,
    )
    return {unit_id for _pk, unit_id in rows}


def _end(unit: Unit, *, status: str, on: datetime.date, successor: Unit | None = None) -> None:
    unit.refresh_from_db()
    unit.status = status
    unit.ended_on = on
    unit.successor = successor
    unit.save(update_fields=["status", "ended_on", "successor", "updated_at"])


def _new_unit(*, parent: Unit | None, data: dict, on: datetime.date, event: UnitEvent) -> Unit:
    fields = {k: data.get(k) or "" for k in NEW_UNIT_FIELDS}
    for key in ("code", "name", "kind"):
        if not fields[key]:
            raise ValidationError({key: _("This field is required.")})
    unit = unit_create(parent=parent, established_on=on, **fields)
    UnitLink.objects.filter(unit=unit, valid_to__isnull=True).update(event=event)
    return unit


# --- the four acts ---------------------------------------------------------------------------


@transaction.atomic
def units_merge(
    *,
    sources: list[Unit],
    into: Unit | None = None,
    new_unit: dict | None = None,
    effective_on: datetime.date,
    decision_number: str,
    note: str = "",
    acted_by=None,
) -> Unit:
    """Merge units into one: `into` (one of them) survives, or a new unit is created from
    `new_unit` under the first source's parent. Returns the surviving unit."""
    if (into is None) == (new_unit is None):
        raise ValidationError(_("Choose either the unit that remains or the details of a new unit."))
    ids = list(dict.fromkeys(u.pk for u in sources))
    if into is not None and into.pk not in ids:
        ids.append(into.pk)
    if len(ids) < 2:
        raise ValidationError(_("Choose at least two units to merge."))
    with acting_as(acted_by):
        units = _lock(ids)
        _require_active(units)
        _require_date(effective_on, units)
        for a in units:
            for b in units:
                if a.pk != b.pk and tree.is_descendant(b, a):
                    raise ValidationError(
                        _("%(inner)s lies inside %(outer)s; merge units that do not contain each other.")
                        % {"inner": b.name, "outer": a.name}
                    )
        event = _event(
            kind=UnitEvent.Kind.MERGE,
            on=effective_on,
            decision_number=decision_number,
            note=note,
            by=acted_by,
            sources=units,
        )
        if into is not None:
            survivor = next(u for u in units if u.pk == into.pk)
            merged = [u for u in units if u.pk != into.pk]
        else:
            merged = units
            survivor = _new_unit(parent=_parent_of(units[0]), data=new_unit, on=effective_on, event=event)
        event.targets.set([survivor])

        for unit in merged:
            for child in list(_active_children(unit)):
                _move(unit=child, new_parent=survivor, on=effective_on, event=event)
        _move_members(
            members=Member.objects.filter(unit__in=[u.pk for u in merged]),
            to_unit=survivor,
            on=effective_on,
            event=event,
            by=acted_by,
            reason=_("Merger"),
        )
        for unit in merged:
            _end(unit, status=UnitStatus.MERGED, on=effective_on, successor=survivor)
            # Kept as an inactive node inside the survivor, so it stays readable in its subtree.
            _move(unit=unit, new_parent=survivor, on=effective_on, event=event)
        counts_recompute(unit_ids=[survivor.pk, *(u.pk for u in merged)])
        survivor.refresh_from_db()
    return survivor


@transaction.atomic
def unit_split(
    *,
    unit: Unit,
    parts: list[dict],
    effective_on: datetime.date,
    decision_number: str,
    note: str = "",
    acted_by=None,
) -> list[Unit]:
    """Split a unit into new sibling units. Each part lists the `children` and `members` it
    takes; whatever is not listed goes to the first part. The old unit ends (status SPLIT)."""
    if len(parts) < 2:
        raise ValidationError(_("A split needs at least two new units."))
    with acting_as(acted_by):
        (unit,) = _lock([unit.pk])
        _require_active([unit])
        _require_date(effective_on, [unit])
        children = {c.pk: c for c in _active_children(unit)}
        member_ids = set(Member.objects.filter(unit=unit).values_list("pk", flat=True))
        seen_children: set[int] = set()
        seen_members: set[int] = set()
        for part in parts:
            for child in part.get("children") or []:
                if child.pk not in children or child.pk in seen_children:
                    raise ValidationError(
                        _("%(child)s is not an active unit directly under %(unit)s, or is listed twice.")
                        % {"child": child.name, "unit": unit.name}
                    )
                seen_children.add(child.pk)
            for member in part.get("members") or []:
                if member.pk not in member_ids or member.pk in seen_members:
                    raise ValidationError(
                        _("%(member)s is not a member of %(unit)s, or is listed twice.")
                        % {"member": member.full_name, "unit": unit.name}
                    )
                seen_members.add(member.pk)

        event = _event(
            kind=UnitEvent.Kind.SPLIT,
            on=effective_on,
            decision_number=decision_number,
            note=note,
            by=acted_by,
            sources=[unit],
        )
        parent = _parent_of(unit)
        new_units = [_new_unit(parent=parent, data=part, on=effective_on, event=event) for part in parts]
        event.targets.set(new_units)

        for part, new in zip(parts, new_units, strict=True):
            for child in part.get("children") or []:
                _move(unit=children[child.pk], new_parent=new, on=effective_on, event=event)
            ids = [m.pk for m in part.get("members") or []]
            if ids:
                _move_members(
                    members=Member.objects.filter(pk__in=ids),
                    to_unit=new,
                    on=effective_on,
                    event=event,
                    by=acted_by,
                    reason=_("Split"),
                )
        for pk, child in children.items():
            if pk not in seen_children:
                _move(unit=child, new_parent=new_units[0], on=effective_on, event=event)
        _move_members(
            members=Member.objects.filter(unit=unit),
            to_unit=new_units[0],
            on=effective_on,
            event=event,
            by=acted_by,
            reason=_("Split"),
        )
        _end(unit, status=UnitStatus.SPLIT, on=effective_on)
        counts_recompute(unit_ids=[unit.pk, *(u.pk for u in new_units)])
        for new in new_units:
            new.refresh_from_db()
    return new_units


@transaction.atomic
def unit_move(
    *,
    unit: Unit,
    new_parent: Unit,
    effective_on: datetime.date,
    decision_number: str = "",
    note: str = "",
    acted_by=None,
) -> Unit:
    """Move a unit and everything below it under another parent."""
    with acting_as(acted_by):
        unit, new_parent = _lock([unit.pk, new_parent.pk]) if unit.pk != new_parent.pk else (unit, unit)
        _require_outside(new_parent, unit)
        _require_active([unit, new_parent])
        _require_date(effective_on, [unit, new_parent])
        if tree.parent_path(unit) == tree.key(new_parent):
            raise ValidationError(
                _("%(unit)s is already under %(parent)s.") % {"unit": unit.name, "parent": new_parent.name}
            )
        event = _event(
            kind=UnitEvent.Kind.MOVE,
            on=effective_on,
            decision_number=decision_number,
            note=note,
            by=acted_by,
            sources=[unit],
            targets=[new_parent],
        )
        _move(unit=unit, new_parent=new_parent, on=effective_on, event=event)
    return unit


@transaction.atomic
def unit_dissolve(
    *,
    unit: Unit,
    effective_on: datetime.date,
    transfer_children_to: Unit | None = None,
    transfer_members_to: Unit | None = None,
    members_leave: bool = False,
    decision_number: str = "",
    note: str = "",
    acted_by=None,
) -> Unit:
    """Dissolve a unit: its units below go to `transfer_children_to`, its members to
    `transfer_members_to` or, with `members_leave`, are recorded as having left the union."""
    with acting_as(acted_by):
        ids = [unit.pk] + [t.pk for t in (transfer_children_to, transfer_members_to) if t is not None]
        locked = {u.pk: u for u in _lock(list(dict.fromkeys(ids)))}
        unit = locked[unit.pk]
        children_to = locked[transfer_children_to.pk] if transfer_children_to else None
        members_to = locked[transfer_members_to.pk] if transfer_members_to else None
        targets = [t for t in (children_to, members_to) if t is not None]
        _require_active([unit, *targets])
        _require_date(effective_on, [unit])
        for target in targets:
            _require_outside(target, unit)
        children = list(_active_children(unit))
        if children and children_to is None:
            raise ValidationError(
                _("%(unit)s still has active units below it; choose the unit they move to.")
                % {"unit": unit.name}
            )
        active_members = Member.objects.filter(unit=unit, status=MemberStatus.ACTIVE)
        if members_to is None and not members_leave and active_members.exists():
            raise ValidationError(
                _("%(unit)s still has active members; choose the unit they move to.") % {"unit": unit.name}
            )
        event = _event(
            kind=UnitEvent.Kind.DISSOLVE,
            on=effective_on,
            decision_number=decision_number,
            note=note,
            by=acted_by,
            sources=[unit],
            targets=list(dict.fromkeys(targets)),
        )
        for child in children:
            _move(unit=child, new_parent=children_to, on=effective_on, event=event)
        recount = [unit.pk]
        if members_to is not None:
            _move_members(
                members=Member.objects.filter(unit=unit),
                to_unit=members_to,
                on=effective_on,
                event=event,
                by=acted_by,
                reason=_("Dissolution"),
            )
            recount.append(members_to.pk)
        else:
            active_members.update(
                status=MemberStatus.LEFT, status_changed_on=effective_on, updated_at=timezone.now()
            )
        _end(unit, status=UnitStatus.DISSOLVED, on=effective_on)
        counts_recompute(unit_ids=recount)
        unit.refresh_from_db()
    return unit
