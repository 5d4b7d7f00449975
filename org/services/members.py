"""Writes to members: create, update, move, change status. Counts on units follow each write."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.text import clean, digits, fold
from org.models import Member, MemberMove, MemberStatus, Sex, Unit
from org.services.counts import counts_bump
from org.validators import cccd_taken_message, validate_cccd

EDITABLE_FIELDS = [
    "full_name",
    "date_of_birth",
    "sex",
    "cccd",
    "phone",
    "position",
    "ethnicity",
    "joined_on",
    "card_number",
]


def _weight(member: Member) -> tuple[int, int]:
    """What this member adds to its unit's counts."""
    if member.status != MemberStatus.ACTIVE:
        return 0, 0
    return 1, 1 if member.sex == Sex.FEMALE else 0


def _normalise(data: dict) -> dict:
    out = dict(data)
    if "full_name" in out:
        out["full_name"] = clean(out["full_name"])
    if "cccd" in out:
        out["cccd"] = digits(out["cccd"]) or None
    if "phone" in out:
        out["phone"] = clean(out["phone"])
    for key in ("position", "ethnicity", "card_number"):
        if key in out:
            out[key] = clean(out[key])
    return out


def _check_cccd(cccd: str | None, *, exclude_pk: int | None = None) -> None:
    if not cccd:
        return
    validate_cccd(cccd)
    if Member.objects.filter(cccd=cccd).exclude(pk=exclude_pk).exists():
        raise ValidationError({"cccd": cccd_taken_message()})


@transaction.atomic
def member_create(*, unit: Unit, created_by=None, **data) -> Member:
    """Add a member to a unit."""
    data = _normalise(data)
    _check_cccd(data.get("cccd"))
    member = Member(unit=unit, **data)
    member.name_folded = fold(member.full_name)
    member.full_clean()
    member.save()
    n, f = _weight(member)
    counts_bump(unit_id=unit.pk, members=n, female=f)
    return member


@transaction.atomic
def member_update(*, member: Member, updated_by=None, **data) -> Member:
    """Change a member's own fields (not unit or status: those have their own actions)."""
    data = {k: v for k, v in _normalise(data).items() if k in EDITABLE_FIELDS}
    member = Member.objects.select_for_update().get(pk=member.pk)
    if "cccd" in data and data["cccd"] != member.cccd:
        _check_cccd(data["cccd"], exclude_pk=member.pk)
    before = _weight(member)
    changed = [k for k, v in data.items() if getattr(member, k) != v]
    if not changed:
        return member
    for key in changed:
        setattr(member, key, data[key])
    if "full_name" in changed:
        member.name_folded = fold(member.full_name)
        changed.append("name_folded")
    member.full_clean()
    member.save(update_fields=[*changed, "updated_at"])
    after = _weight(member)
    counts_bump(unit_id=member.unit_id, members=after[0] - before[0], female=after[1] - before[1])
    return member


@transaction.atomic
def member_move(
    *, member: Member, to_unit: Unit, moved_on: datetime.date, reason: str = "", moved_by=None, event=None
) -> Member:
    """Move a member to another unit, keeping where they came from."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.unit_id == to_unit.pk:
        return member
    n, f = _weight(member)
    MemberMove.objects.create(
        member=member,
        from_unit_id=member.unit_id,
        to_unit=to_unit,
        moved_on=moved_on,
        reason=clean(reason),
        event=event,
        created_by=moved_by,
    )
    counts_bump(unit_id=member.unit_id, members=-n, female=-f)
    member.unit = to_unit
    member.save(update_fields=["unit", "updated_at"])
    counts_bump(unit_id=to_unit.pk, members=n, female=f)
    return member


@transaction.atomic
def member_set_status(*, member: Member, status: str, on: datetime.date, changed_by=None) -> Member:
    """Record that a member left, moved out, died, or is active again. Never deletes."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if status not in MemberStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if member.status == status:
        return member
    before = _weight(member)
    member.status = status
    member.status_changed_on = on
    member.save(update_fields=["status", "status_changed_on", "updated_at"])
    after = _weight(member)
    counts_bump(unit_id=member.unit_id, members=after[0] - before[0], female=after[1] - before[1])
    return member
