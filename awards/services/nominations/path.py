"""The path up the tree: a submission lists every reason at once; each level returns the
nomination with a comment or forwards it, until the deciding level sends it to its council."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Award, Nomination, NominationStep, Nominee, Round
from awards.services.nominations.common import (
    EDITABLE,
    WITHDRAWABLE,
    _locked,
    _require_writer,
    _step,
    deciding_unit,
)
from awards.services.nominations.dossiers import _holds_once_in_life, _reasons, _rejudge
from awards.services.quotas import quota_problems
from org import tree
from org.models import Unit
from org.services.units import acting_as


def submit_problems(*, nomination: Nomination, nominees: list[Nominee]) -> list[str]:
    """Every reason the list cannot be submitted (nominees judged again beforehand)."""
    problems = []
    if nomination.status not in EDITABLE:
        problems.append(_("Only a draft or a returned nomination can be submitted."))
    if nomination.round.status != Round.Status.OPEN:
        problems.append(_("The round is closed."))
    if not nominees:
        problems.append(_("Add at least one nominee."))
    if not nomination.minutes_file and not nomination.minutes_number:
        problems.append(
            _("The minutes of the proposing unit's council are missing: attach the file or give its number.")
        )
    for n in nominees:
        if not tree.is_descendant(n.unit, nomination.unit):
            problems.append(
                _("%(name)s is no longer in %(unit)s.") % {"name": n.name, "unit": nomination.unit.name}
            )
        if _holds_once_in_life(n.eligibility):
            problems.append(
                _(
                    "%(name)s already holds this award, which is given once in a life: remove them from the list."
                )
                % {"name": n.name}
            )
        elif not n.eligible and not n.override_ground.strip():
            problems.append(
                _("%(name)s is not eligible (%(reasons)s): write the ground for proposing them anyway.")
                % {"name": n.name, "reasons": _reasons(n.eligibility) or "–"}
            )
    return problems + quota_problems(nomination=nomination, nominees=nominees)


def _recheck(nomination: Nomination) -> list[Nominee]:
    """Judge every nominee again under the snapshot and keep the verdicts (they stay even if the
    submission is refused, so the page shows what changed)."""
    nominees = list(
        nomination.nominees.filter(status=Nominee.Status.PROPOSED).select_related("member", "unit")
    )
    with transaction.atomic():
        for n in nominees:
            _rejudge(n)
            n.save(update_fields=["eligibility", "eligible"])
    return nominees


def nomination_submit(*, nomination: Nomination, submitted_by) -> Nomination:
    """Send a draft (or a corrected returned) list to the level above; refused with every reason
    (minutes, eligibility without a ground, once in a life, quotas)."""
    _require_writer(submitted_by, nomination.unit)
    if nomination.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned nomination can be submitted."))
    nominees = _recheck(nomination)
    with transaction.atomic():
        # Lists of one award are submitted one at a time, so two cannot both take the last place.
        Award.objects.select_for_update().filter(pk=nomination.award_id).first()
        _locked(nomination)
        problems = submit_problems(nomination=nomination, nominees=nominees)
        if problems:
            raise ValidationError(problems)
        decider = deciding_unit(nomination=nomination)
        target = nomination.unit if decider.pk == nomination.unit_id else nomination.unit.get_parent()
        target = target or nomination.unit
        resubmission = nomination.status == Nomination.Status.RETURNED
        nomination.status = Nomination.Status.SUBMITTED
        nomination.at_unit = target
        nomination.submitted_at = timezone.now()
        fields = ["status", "at_unit", "submitted_at"]
        if resubmission:
            nomination.revision += 1
            fields.append("revision")
        return _move(
            nomination,
            NominationStep.Action.SUBMIT,
            by=submitted_by,
            fields=fields,
            from_unit=nomination.unit,
            to_unit=target,
        )


def _move(nomination: Nomination, action: str, *, by, fields: list[str], from_unit, to_unit, comment=""):
    """Save where the nomination now stands and write the step into its history, both as the
    acting officer (the audit names them)."""
    with acting_as(by):
        nomination.save(update_fields=fields)
        _step(nomination, action, by=by, from_unit=from_unit, to_unit=to_unit, comment=comment)
    return nomination


def _reviewable(nomination: Nomination, by) -> Unit:
    _locked(nomination)
    if nomination.status != Nomination.Status.SUBMITTED or nomination.at_unit is None:
        raise ValidationError(_("The nomination is not waiting for a review."))
    _require_writer(by, nomination.at_unit)
    return nomination.at_unit


@transaction.atomic
def nomination_forward(*, nomination: Nomination, by, comment: str = "") -> Nomination:
    """Pass a reviewed list to the level above the one holding it."""
    here = _reviewable(nomination, by)
    decider = deciding_unit(nomination=nomination)
    if here.pk == decider.pk:
        raise ValidationError(_("This is the deciding level: send the nomination to its council."))
    parent = here.get_parent()
    if parent is None:
        raise ValidationError(_("There is no level above %(unit)s.") % {"unit": here.name})
    nomination.at_unit = parent
    return _move(
        nomination,
        NominationStep.Action.FORWARD,
        by=by,
        fields=["at_unit"],
        from_unit=here,
        to_unit=parent,
        comment=comment.strip(),
    )


@transaction.atomic
def nomination_return(*, nomination: Nomination, by, comment: str) -> Nomination:
    """Send a list back to the proposing unit for correction, with the reviewer's comment."""
    here = _reviewable(nomination, by)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Write what must be corrected."))
    nomination.status = Nomination.Status.RETURNED
    nomination.at_unit = nomination.unit
    return _move(
        nomination,
        NominationStep.Action.RETURN,
        by=by,
        fields=["status", "at_unit"],
        from_unit=here,
        to_unit=nomination.unit,
        comment=comment,
    )


@transaction.atomic
def nomination_to_council(*, nomination: Nomination, by, comment: str = "") -> Nomination:
    """At the deciding level: put the list before the council."""
    here = _reviewable(nomination, by)
    decider = deciding_unit(nomination=nomination)
    if here.pk != decider.pk:
        raise ValidationError(
            _("Only the deciding level (%(unit)s) sends this nomination to its council.")
            % {"unit": decider.name}
        )
    nomination.status = Nomination.Status.AT_COUNCIL
    return _move(
        nomination,
        NominationStep.Action.TO_COUNCIL,
        by=by,
        fields=["status"],
        from_unit=here,
        to_unit=here,
        comment=comment.strip(),
    )


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, by, comment: str = "") -> Nomination:
    """The proposing unit takes its list back, at any time before the council."""
    _require_writer(by, nomination.unit)
    _locked(nomination)
    if nomination.status not in WITHDRAWABLE:
        raise ValidationError(_("A nomination before the council or decided cannot be withdrawn."))
    here = nomination.at_unit
    nomination.status = Nomination.Status.WITHDRAWN
    nomination.at_unit = nomination.unit
    return _move(
        nomination,
        NominationStep.Action.WITHDRAW,
        by=by,
        fields=["status", "at_unit"],
        from_unit=here,
        to_unit=nomination.unit,
        comment=comment.strip(),
    )
