"""Reads of the tree's history: the tree as of a date, a unit's restructuring events and links."""

import datetime

from django.db.models import F, Q, QuerySet

from org.models import Unit, UnitEvent, UnitLink

# Keeps each `parent_id IN (...)` under SQLite's bound-parameter limit on very wide levels.
CHUNK = 5000


def _alive_q(on: datetime.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}established_on__isnull": True}) | Q(**{f"{prefix}established_on__lte": on})) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on})
    )


def _valid_q(on: datetime.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )


def unit_alive_on(*, unit: Unit, on: datetime.date) -> bool:
    return (unit.established_on is None or unit.established_on <= on) and (
        unit.ended_on is None or unit.ended_on > on
    )


def tree_as_of(*, root: Unit, on: datetime.date, max_depth: int | None = None) -> list[tuple[Unit, int]]:
    """The subtree of `root` as it stood on `on`: (unit, depth below root) in display order.

    Read from the parent links valid that day and the units alive then, one query per level
    (a handful: the tree is at most six levels deep), then put in order in Python."""
    if not unit_alive_on(unit=root, on=on):
        return []
    children: dict[int, list[Unit]] = {}
    seen = {root.pk}
    frontier = [root.pk]
    level = 0
    while frontier and (max_depth is None or level < max_depth):
        found: list[int] = []
        for start in range(0, len(frontier), CHUNK):
            links = (
                UnitLink.objects.filter(
                    _valid_q(on), _alive_q(on, "unit__"), parent_id__in=frontier[start : start + CHUNK]
                )
                .select_related("unit")
                .order_by("unit__code")
            )
            for link in links:
                if link.unit_id in seen:  # a damaged history must not loop
                    continue
                seen.add(link.unit_id)
                children.setdefault(link.parent_id, []).append(link.unit)
                found.append(link.unit_id)
        frontier = found
        level += 1

    out: list[tuple[Unit, int]] = []
    stack: list[tuple[Unit, int]] = [(root, 0)]
    while stack:
        unit, depth = stack.pop()
        out.append((unit, depth))
        for child in reversed(children.get(unit.pk, [])):
            stack.append((child, depth + 1))
    return out


def unit_events(*, unit: Unit) -> QuerySet[UnitEvent]:
    """Restructuring events the unit took part in (as source or target), newest first."""
    ids = UnitEvent.objects.filter(Q(sources=unit) | Q(targets=unit)).values("pk")
    return (
        UnitEvent.objects.filter(pk__in=ids)
        .select_related("created_by")
        .prefetch_related("sources", "targets")
        .order_by("-effective_on", "-id")
    )


def unit_parent_links(*, unit: Unit) -> QuerySet[UnitLink]:
    """The parents the unit has had, oldest first."""
    return (
        UnitLink.objects.filter(unit=unit)
        .select_related("parent", "event")
        .order_by(F("valid_from").asc(nulls_first=True), "id")
    )
