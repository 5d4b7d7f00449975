"""Rounds: a unit opens a round for the awards it may give, and closes it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import Award, Round
from awards.services.nominations.common import _require_writer
from lib.text import clean
from org import tree
from org.models import Unit
from org.services.units import acting_as


def _award_usable_by(award: Award, unit: Unit) -> bool:
    """A national award, or one kept by the unit or a unit above it."""
    return award.is_active and (award.unit_id is None or tree.is_descendant(unit, award.unit))


@transaction.atomic
def round_create(
    *,
    unit: Unit,
    name: str,
    year: int,
    kind: str,
    awards,
    created_by,
    theme: str = "",
    plan=None,
    phase=None,
    deadline=None,
) -> Round:
    """Open a round of awards at `unit`; units below it propose into it."""
    _require_writer(created_by, unit)
    awards = list(awards)
    name, theme = clean(name), clean(theme)
    errors = []
    if not name:
        errors.append(_("Give the round a name."))
    if kind not in Round.Kind.values:
        errors.append(_("Choose the kind of round."))
    if not 1945 <= int(year) <= 2200:
        errors.append(_("The year is not valid."))
    if kind == Round.Kind.THEME and not theme:
        errors.append(_("A round for a theme needs the theme (quotas are counted per theme)."))
    if not awards:
        errors.append(_("Choose at least one award to consider."))
    for award in awards:
        if not _award_usable_by(award, unit):
            errors.append(_("“%(award)s” cannot be given by this unit.") % {"award": award.name})
    if phase is not None:
        if plan is None:
            plan = phase.plan
        elif phase.plan_id != plan.pk:
            errors.append(_("The phase does not belong to the chosen plan."))
    if plan is not None and not tree.is_descendant(unit, plan.unit):
        errors.append(_("The plan must be the unit's own or one of a unit above it."))
    if errors:
        raise ValidationError(errors)
    with acting_as(created_by):
        rnd = Round.objects.create(
            unit=unit,
            name=name,
            year=int(year),
            kind=kind,
            theme=theme,
            plan=plan,
            phase=phase,
            deadline=deadline,
            created_by=created_by,
        )
        rnd.awards.set(awards)
    return rnd


@transaction.atomic
def round_close(*, round: Round, closed_by) -> Round:  # noqa: A002 - the shared signature
    """Close a round: no new proposals or submissions; the lists already in go on."""
    _require_writer(closed_by, round.unit)
    if round.status == Round.Status.CLOSED:
        raise ValidationError(_("The round is already closed."))
    round.status = Round.Status.CLOSED
    with acting_as(closed_by):
        round.save(update_fields=["status"])
    return round
