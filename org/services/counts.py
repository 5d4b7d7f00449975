"""Maintained member counts on each unit (direct members only; roll-ups sum over paths)."""

from collections.abc import Iterable

from django.db.models import Count, F, Q

from org.models import Member, MemberStatus, Sex, Unit


def counts_bump(*, unit_id: int, members: int = 0, female: int = 0) -> None:
    """Shift one unit's maintained counts in SQL, so concurrent writes do not lose updates."""
    if members or female:
        Unit.objects.filter(pk=unit_id).update(
            member_count=F("member_count") + members, female_count=F("female_count") + female
        )


def counts_recompute(*, unit_ids: Iterable[int] | None = None) -> int:
    """Recount the direct active members of the given units (all units when None)."""
    units = Unit.objects.all() if unit_ids is None else Unit.objects.filter(pk__in=list(unit_ids))
    rows = (
        Member.objects.filter(status=MemberStatus.ACTIVE, unit__in=units)
        .values("unit_id")
        .annotate(n=Count("id"), f=Count("id", filter=Q(sex=Sex.FEMALE)))
    )
    found = {r["unit_id"]: (r["n"], r["f"]) for r in rows}
    ids = list(units.values_list("pk", flat=True))
    changed = []
    for unit in Unit.objects.filter(pk__in=ids).only("pk", "member_count", "female_count"):
        n, f = found.get(unit.pk, (0, 0))
        if (unit.member_count, unit.female_count) != (n, f):
            unit.member_count, unit.female_count = n, f
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["member_count", "female_count"], batch_size=2000)
    return len(changed)
