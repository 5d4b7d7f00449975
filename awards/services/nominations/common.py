"""What every step of a nomination shares: the editable states, the writer check, the deciding
level, and the row lock and history line of each move up the tree."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.scoping import can_write
from awards.models import AwardCondition, Nomination, NominationStep
from awards.selectors.nominations import deciding_unit_for
from org.models import Unit

EDITABLE = (Nomination.Status.DRAFT, Nomination.Status.RETURNED)
WITHDRAWABLE = (Nomination.Status.DRAFT, Nomination.Status.SUBMITTED, Nomination.Status.RETURNED)
NOMINATION_FIELDS = {"letter_number", "letter_date", "minutes_number", "minutes_file", "note"}
ONCE = AwardCondition.Kind.ONCE_IN_LIFE


def _require_writer(user, unit: Unit) -> None:
    if not can_write(user=user, unit=unit):
        raise PermissionDenied


def deciding_unit(*, nomination: Nomination) -> Unit:
    """The level whose council decides the nomination (see selectors.nominations)."""
    return deciding_unit_for(unit=nomination.unit, award=nomination.award)


def _step(nomination: Nomination, action: str, *, by, from_unit, to_unit, comment: str = "") -> None:
    NominationStep.objects.create(
        nomination=nomination, action=action, from_unit=from_unit, to_unit=to_unit, comment=comment, by=by
    )


def _locked(nomination: Nomination) -> Nomination:
    """The row locked for the transition (two officers clicking at once move it once)."""
    fresh = Nomination.objects.select_for_update().only("status", "at_unit").get(pk=nomination.pk)
    nomination.status = fresh.status
    if nomination.at_unit_id != fresh.at_unit_id:
        nomination.at_unit = fresh.at_unit
    return nomination
