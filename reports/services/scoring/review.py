"""Review: a level above the sheet's unit changes a score only with a written reason."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scoping import writable_units
from org import tree
from org.models import Unit
from reports.models import Score, ScoreChange, ScoreSheet
from reports.services.scoring.rules import ZERO, _audited
from reports.services.scoring.sheets import _refresh_total, _require_open

if TYPE_CHECKING:
    from accounts.models import User


def reviewing_unit(*, user: User, unit: Unit) -> Unit | None:
    """The nearest unit strictly ABOVE `unit` on which the user may write, or None: a unit's own
    officers never review their own sheet."""
    return writable_units(user=user).filter(tree.ancestors_q(unit)).order_by("-depth").first()


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
    elif not tree.is_descendant(sheet.unit, by_unit, strict=True):
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
