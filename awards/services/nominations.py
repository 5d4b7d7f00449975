"""Rounds and nominations: a unit proposes a list for an award in a round, it travels up the tree
level by level (each level returns it with a comment or forwards it) until the deciding level
sends it to its council.

Every refusal carries its reason; a submission lists every reason at once. The rules checked
are the nomination's snapshot (`rules`), never the catalogue's later edits."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can_write
from awards.models import (
    COLLECTIVE_KINDS,
    PERSON_KINDS,
    Award,
    AwardCondition,
    Nomination,
    NominationFile,
    NominationStep,
    Nominee,
    RecipientKind,
    Round,
)
from awards.selectors import eligibility
from awards.selectors.nominations import achievement_initial, deciding_unit_for
from awards.services.quotas import quota_problems
from lib.text import clean
from org import tree
from org.models import Member, Unit, UnitKind, UnitLevel
from org.services.units import acting_as
from reports.services.reports import evidence_check

EDITABLE = (Nomination.Status.DRAFT, Nomination.Status.RETURNED)
WITHDRAWABLE = (Nomination.Status.DRAFT, Nomination.Status.SUBMITTED, Nomination.Status.RETURNED)
NOMINATION_FIELDS = {"letter_number", "letter_date", "minutes_number", "minutes_file", "note"}
ONCE = AwardCondition.Kind.ONCE_IN_LIFE


def _require_writer(user, unit: Unit) -> None:
    if not can_write(user=user, unit=unit):
        raise PermissionDenied


# --- rounds ------------------------------------------------------------------------------------


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


# --- nominations -------------------------------------------------------------------------------


def deciding_unit(*, nomination: Nomination) -> Unit:
    """The level whose council decides the nomination (see selectors.nominations)."""
    return deciding_unit_for(unit=nomination.unit, award=nomination.award)


def _fields(fields: dict) -> dict:
    unknown = set(fields) - NOMINATION_FIELDS
    if unknown:
        raise TypeError(f"unknown nomination fields: {sorted(unknown)}")
    out = dict(fields)
    for key in ("letter_number", "minutes_number"):
        if key in out:
            out[key] = clean(out[key])
    return out


def _check_minutes_file(upload) -> None:
    errors = evidence_check(upload)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def nomination_create(*, round: Round, award: Award, unit: Unit, created_by, **fields) -> Nomination:  # noqa: A002
    """A draft list of `unit` for `award` in `round`, keeping a snapshot of the award's rules."""
    from awards.selectors.eligibility import rules_of

    _require_writer(created_by, unit)
    errors = []
    if round.status != Round.Status.OPEN:
        errors.append(_("The round is closed."))
    if not round.awards.filter(pk=award.pk).exists():
        errors.append(_("“%(award)s” is not considered in this round.") % {"award": award.name})
    if not award.is_active:
        errors.append(_("“%(award)s” is no longer given.") % {"award": award.name})
    if not tree.is_descendant(unit, round.unit):
        errors.append(
            _("Only %(unit)s and the units below it propose in this round.") % {"unit": round.unit.name}
        )
    if not unit.is_active:
        errors.append(_("The unit is no longer active."))
    if int(unit.level) not in [int(x) for x in award.proposer_levels]:
        errors.append(
            _("“%(award)s” is not proposed by units of the level “%(level)s”.")
            % {"award": award.name, "level": UnitLevel(unit.level).label}
        )
    if errors:
        raise ValidationError(errors)
    data = _fields(fields)
    if data.get("minutes_file"):
        _check_minutes_file(data["minutes_file"])
    with acting_as(created_by):
        return Nomination.objects.create(
            round=round,
            award=award,
            unit=unit,
            at_unit=unit,
            rules=rules_of(award),
            award_version=award.version,
            created_by=created_by,
            **data,
        )


@transaction.atomic
def nomination_update(*, nomination: Nomination, updated_by, **fields) -> Nomination:
    """Change the letter, the minutes (file or number) or the note of a draft or returned list."""
    _require_writer(updated_by, nomination.unit)
    if nomination.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned nomination can be changed."))
    data = _fields(fields)
    if data.get("minutes_file"):
        _check_minutes_file(data["minutes_file"])
    elif "minutes_file" in data and data["minutes_file"] is None:
        del data["minutes_file"]  # no new upload: keep the file
    for key, value in data.items():
        setattr(nomination, key, value)
    if data:
        with acting_as(updated_by):
            nomination.save(update_fields=list(data))
    return nomination


# --- nominees ----------------------------------------------------------------------------------


def _recipient_kind(
    kinds: list[str], *, member: Member | None, unit: Unit | None, asked: str | None
) -> str | None:
    if asked:
        fits = asked in (PERSON_KINDS if member is not None else COLLECTIVE_KINDS)
        return asked if fits and asked in kinds else None
    if member is not None:
        return next(
            (
                k.value
                for k in (RecipientKind.MEMBER, RecipientKind.PERSON, RecipientKind.FAMILY)
                if k in kinds
            ),
            None,
        )
    if unit.kind == UnitKind.GRASSROOTS and RecipientKind.GRASSROOTS in kinds:
        return RecipientKind.GRASSROOTS.value
    if unit.kind == UnitKind.GROUP and RecipientKind.UNION_GROUP in kinds:
        return RecipientKind.UNION_GROUP.value
    if RecipientKind.COLLECTIVE in kinds and unit.kind != UnitKind.CONFEDERATION:
        return RecipientKind.COLLECTIVE.value
    return None


def _judge(nomination: Nomination, *, member: Member | None, unit: Unit | None) -> eligibility.Verdict:
    return eligibility.check(
        award=nomination.award,
        year=nomination.round.year,
        member=member,
        unit=None if member is not None else unit,
        rules=nomination.rules,
    )


def _holds_once_in_life(results: list[dict]) -> bool:
    return any(r.get("kind") == ONCE and r.get("status") == eligibility.BLOCKED for r in results)


def _reasons(results: list[dict]) -> str:
    return "; ".join(r["reason"] for r in results if not r.get("ok"))


@transaction.atomic
def nominee_add(
    *,
    nomination: Nomination,
    added_by,
    member: Member | None = None,
    unit: Unit | None = None,
    recipient_kind: str | None = None,
    achievement: dict | None = None,
    position_title: str = "",
    override_ground: str = "",
) -> Nominee:
    """Put a person (member) or a collective (unit) of the proposing unit's subtree on the list,
    with the eligibility found under the nomination's rules. Ineligible nominees are kept,
    flagged; they need a written ground before the list is submitted."""
    _require_writer(added_by, nomination.unit)
    if (member is None) == (unit is None):
        raise ValidationError(_("Choose one person or one collective."))
    if nomination.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned nomination can be changed."))
    kinds = nomination.rules.get("recipient_kinds", [])
    kind = _recipient_kind(kinds, member=member, unit=unit, asked=recipient_kind)
    if kind is None:
        raise ValidationError(
            _("This award is not given to persons.")
            if member is not None
            else _("This award is not given to this kind of unit.")
        )
    target_unit = member.unit if member is not None else unit
    name = member.full_name if member is not None else unit.name
    if not tree.is_descendant(target_unit, nomination.unit):
        raise ValidationError(
            _("%(name)s is outside %(unit)s: a unit proposes only its own members and units.")
            % {"name": name, "unit": nomination.unit.name}
        )
    active = nomination.nominees.exclude(status=Nominee.Status.REMOVED)
    if member is not None and active.filter(member=member).exists():
        raise ValidationError(_("%(name)s is already on this list.") % {"name": name})
    if member is None and active.filter(member__isnull=True, unit=unit).exists():
        raise ValidationError(_("%(name)s is already on this list.") % {"name": name})
    verdict = _judge(nomination, member=member, unit=unit)
    results = [r.as_dict() for r in verdict.results]
    if _holds_once_in_life(results):
        raise ValidationError(
            _("%(name)s already holds this award, which is given once in a life: %(reason)s")
            % {"name": name, "reason": _reasons([r for r in results if r["kind"] == ONCE])}
        )
    if achievement is None:
        achievement = achievement_initial(nomination=nomination, member=member, unit=unit)
    ground = (override_ground or "").strip()
    last = nomination.nominees.order_by("-position").values_list("position", flat=True).first()
    with acting_as(added_by):
        return Nominee.objects.create(
            nomination=nomination,
            recipient_kind=kind,
            member=member,
            unit=target_unit,
            name=f"Gia đình {name}" if kind == RecipientKind.FAMILY else name,
            position_title=clean(position_title) or (member.position if member is not None else ""),
            achievement=achievement,
            eligibility=results,
            eligible=verdict.eligible,
            override_ground=ground,
            override_by=added_by if ground else None,
            position=(last or 0) + 1,
        )


def _rejudge(nominee: Nominee) -> None:
    verdict = _judge(nominee.nomination, member=nominee.member, unit=nominee.unit)
    nominee.eligibility = [r.as_dict() for r in verdict.results]
    nominee.eligible = verdict.eligible


@transaction.atomic
def nominee_update(
    *,
    nominee: Nominee,
    updated_by,
    achievement: dict | None = None,
    position_title: str | None = None,
    override_ground: str | None = None,
    name: str | None = None,
) -> Nominee:
    """Edit a nominee's achievement report, position, printed name or override ground; the
    eligibility is judged again (the register may have changed)."""
    nomination = nominee.nomination
    _require_writer(updated_by, nomination.unit)
    if nomination.status not in EDITABLE or nominee.status == Nominee.Status.REMOVED:
        raise ValidationError(_("Only a draft or a returned nomination can be changed."))
    fields = ["eligibility", "eligible"]
    if achievement is not None:
        nominee.achievement = achievement
        fields.append("achievement")
    if position_title is not None:
        nominee.position_title = clean(position_title)
        fields.append("position_title")
    if name is not None:
        if not clean(name):
            raise ValidationError(_("The name cannot be empty."))
        nominee.name = clean(name)
        fields.append("name")
    if override_ground is not None:
        ground = override_ground.strip()
        if ground != nominee.override_ground:
            nominee.override_ground = ground
            nominee.override_by = updated_by if ground else None
            fields += ["override_ground", "override_by"]
    _rejudge(nominee)
    with acting_as(updated_by):
        nominee.save(update_fields=fields)
    return nominee


@transaction.atomic
def nominee_remove(*, nominee: Nominee, removed_by) -> None:
    """Take a nominee off the list (kept as removed: public comments and files may name it)."""
    nomination = nominee.nomination
    _require_writer(removed_by, nomination.unit)
    if nomination.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned nomination can be changed."))
    nominee.status = Nominee.Status.REMOVED
    with acting_as(removed_by):
        nominee.save(update_fields=["status"])


# --- files -------------------------------------------------------------------------------------


@transaction.atomic
def nomination_file_add(
    *, nomination: Nomination, upload, uploaded_by, nominee: Nominee | None = None, name: str = ""
) -> NominationFile:
    """Attach checked evidence (photos, PDF; at most 10 MB) to the list or to one nominee."""
    _require_writer(uploaded_by, nomination.unit)
    if nomination.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned nomination can be changed."))
    if nominee is not None and nominee.nomination_id != nomination.pk:
        raise ValidationError(_("The nominee is not on this list."))
    errors = evidence_check(upload)
    if errors:
        raise ValidationError(errors)
    with acting_as(uploaded_by):
        return NominationFile.objects.create(
            nomination=nomination,
            nominee=nominee,
            file=upload,
            name=(clean(name) or upload.name)[:255],
            uploaded_by=uploaded_by,
        )


@transaction.atomic
def nomination_file_remove(*, file: NominationFile, removed_by) -> None:
    nomination = file.nomination
    _require_writer(removed_by, nomination.unit)
    if nomination.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned nomination can be changed."))
    stored = file.file
    with acting_as(removed_by):
        file.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


# --- the path up the tree ----------------------------------------------------------------------


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
        with acting_as(submitted_by):
            nomination.save(update_fields=fields)
            _step(
                nomination,
                NominationStep.Action.SUBMIT,
                by=submitted_by,
                from_unit=nomination.unit,
                to_unit=target,
            )
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
    with acting_as(by):
        nomination.save(update_fields=["at_unit"])
        _step(
            nomination,
            NominationStep.Action.FORWARD,
            by=by,
            from_unit=here,
            to_unit=parent,
            comment=comment.strip(),
        )
    return nomination


@transaction.atomic
def nomination_return(*, nomination: Nomination, by, comment: str) -> Nomination:
    """Send a list back to the proposing unit for correction, with the reviewer's comment."""
    here = _reviewable(nomination, by)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Write what must be corrected."))
    nomination.status = Nomination.Status.RETURNED
    nomination.at_unit = nomination.unit
    with acting_as(by):
        nomination.save(update_fields=["status", "at_unit"])
        _step(
            nomination,
            NominationStep.Action.RETURN,
            by=by,
            from_unit=here,
            to_unit=nomination.unit,
            comment=comment,
        )
    return nomination


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
    with acting_as(by):
        nomination.save(update_fields=["status"])
        _step(
            nomination,
            NominationStep.Action.TO_COUNCIL,
            by=by,
            from_unit=here,
            to_unit=here,
            comment=comment.strip(),
        )
    return nomination


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
    with acting_as(by):
        nomination.save(update_fields=["status", "at_unit"])
        _step(
            nomination,
            NominationStep.Action.WITHDRAW,
            by=by,
            from_unit=here,
            to_unit=nomination.unit,
            comment=comment.strip(),
        )
    return nomination
