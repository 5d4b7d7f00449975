"""A nomination's dossier while its unit edits it: the letter and minutes, the nominees (each
judged against the nomination's rules snapshot) and the attached files."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import (
    COLLECTIVE_KINDS,
    PERSON_KINDS,
    Award,
    Nomination,
    NominationFile,
    Nominee,
    RecipientKind,
    Round,
)
from awards.selectors import eligibility
from awards.selectors.nominations import achievement_initial
from awards.services.nominations.common import EDITABLE, NOMINATION_FIELDS, ONCE, _require_writer
from lib.text import clean
from org import tree
from org.models import Member, Unit, UnitKind, UnitLevel
from org.services.units import acting_as
from reports.services.reports import evidence_check


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
