"""Award decisions (quyết định khen thưởng): drafted from a closed council meeting or by hand,
edited while a draft, then issued; issuing writes the register (AwardRecord).

An issued decision never changes (the models refuse it). A mistake is corrected by another
decision: a revoking one marks records revoked; an amending one revokes the old record and
writes a corrected one. Both keep a link to what they corrected."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can_write
from awards.models import (
    COLLECTIVE_KINDS,
    PERSON_KINDS,
    Award,
    AwardRecord,
    Decision,
    DecisionLine,
    Meeting,
    Nomination,
    NominationStep,
    Nominee,
    RecipientKind,
    Round,
)
from awards.papers_decisions import printed_names
from awards.selectors.councils import award_allowed, in_subtree
from awards.selectors.nominations import provinces_of
from awards.services.decision_files import decision_files_store
from lib.text import clean, fold
from org import tree
from org.models import Member, Unit

EDITABLE = ("number", "place", "signed_on", "year", "title", "grounds", "reason")
EDITABLE += ("signer_authority", "signer_title", "signer_name", "recipients_copy")
DEFAULT_RECIPIENTS = ["- Như Điều 3;", "- Lưu: VT, TĐKT."]


def _draft(decision: Decision, user) -> Decision:
    """The decision locked for this transaction; refused when issued or out of the user's reach."""
    locked = Decision.objects.select_for_update().select_related("unit", "award").get(pk=decision.pk)
    if locked.is_issued:
        raise ValidationError(_("An issued decision cannot be changed; issue an amending decision."))
    if not can_write(user=user, unit=locked.unit):
        raise PermissionDenied
    return locked


def _dmy(date: datetime.date | None) -> str:
    return f"{date:%d/%m/%Y}" if date else ""


def _grounds(award: Award, extra: str = "") -> str:
    lines = [
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Điều lệ Công đoàn Việt Nam;",
    ]
    if award.regulation:
        lines.append(f"Căn cứ {award.regulation};")
    if extra:
        lines.append(extra)
    return "\n".join(lines)


def _next_position(decision: Decision) -> int:
    return (decision.lines.aggregate(m=Max("position"))["m"] or 0) + 1


# --- drafting ----------------------------------------------------------------------------------


@transaction.atomic
def decision_create(
    *,
    unit: Unit,
    award: Award,
    year: int,
    created_by,
    title: str = "",
    round: Round | None = None,
) -> Decision:
    """An empty draft decision of `unit` on `award`, to which lines are added by hand."""
    if not can_write(user=created_by, unit=unit):
        raise PermissionDenied
    if not award_allowed(award, unit):
        raise ValidationError(_("This unit cannot give that award."))
    return Decision.objects.create(
        unit=unit,
        award=award,
        round=round,
        year=year,
        title=clean(title) or f"khen thưởng {award.name} năm {year}",
        grounds=_grounds(award),
        recipients_copy=list(DEFAULT_RECIPIENTS),
        created_by=created_by,
    )


@transaction.atomic
def decision_from_meeting(*, meeting: Meeting, award: Award, created_by) -> Decision:
    """A draft decision with one line per nominee who passed the meeting's vote for `award` and is
    on no other decision yet."""
    meeting = Meeting.objects.select_related("council__unit", "round").get(pk=meeting.pk)
    unit = meeting.council.unit
    if not can_write(user=created_by, unit=unit):
        raise PermissionDenied
    if meeting.status != Meeting.Status.CLOSED:
        raise ValidationError(_("Close the meeting before drafting its decision."))
    nominees = list(
        Nominee.objects.filter(
            nomination__meetings=meeting, nomination__award=award, status=Nominee.Status.PASSED
        )
        .exclude(pk__in=DecisionLine.objects.filter(nominee__isnull=False).values("nominee_id"))
        .select_related("nomination")
        .order_by(tree.tree_order("nomination__unit"), "nomination_id", "position", "id")
    )
    if not nominees:
        raise ValidationError(_("No nominee passed for this award, or all are already on a decision."))
    council = meeting.council
    held = f"Xét đề nghị của {council.name} tại cuộc họp ngày {_dmy(meeting.held_on)}."
    decision = Decision.objects.create(
        unit=unit,
        award=award,
        round=meeting.round,
        meeting=meeting,
        year=meeting.round.year,
        title=f"khen thưởng {award.name} năm {meeting.round.year}",
        grounds=_grounds(award),
        reason=held,
        recipients_copy=list(DEFAULT_RECIPIENTS),
        created_by=created_by,
    )
    DecisionLine.objects.bulk_create(
        [
            DecisionLine(
                decision=decision,
                nominee=n,
                recipient_kind=n.recipient_kind,
                member_id=n.member_id,
                unit_id=n.unit_id,
                name=n.name,
                position_title=n.position_title,
                achievement=_achievement_text(n),
                position=i,
            )
            for i, n in enumerate(nominees, start=1)
        ]
    )
    return decision


def _achievement_text(nominee: Nominee) -> str:
    """A one-line "for" from the achievement report, when the report has a summary."""
    data = nominee.achievement if isinstance(nominee.achievement, dict) else {}
    return clean(str(data.get("summary") or data.get("for") or ""))[:500]


@transaction.atomic
def decision_update(*, decision: Decision, updated_by, **fields) -> Decision:
    """Change a draft's number, date, signer, grounds... (an issued decision refuses)."""
    decision = _draft(decision, updated_by)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip() if name in ("grounds", "reason") else clean(value)
        if name == "recipients_copy":
            value = [clean(v) for v in value if clean(v)]
        setattr(decision, name, value)
    if not decision.title:
        raise ValidationError(_("Say what the decision is about."))
    decision.save(update_fields=list(fields))
    return decision


def _kind_for(award: Award, *, person: bool, wanted: str | None) -> str:
    family = PERSON_KINDS if person else COLLECTIVE_KINDS
    if wanted:
        if wanted not in family:
            raise ValidationError(_("That kind of recipient does not fit."))
        return wanted
    kinds = [k for k in award.recipient_kinds if k in family]
    if award.recipient_kinds and not kinds:
        raise ValidationError(
            _("This award is not given to persons.")
            if person
            else _("This award is not given to collectives.")
        )
    if kinds:
        return kinds[0]
    return RecipientKind.MEMBER if person else RecipientKind.COLLECTIVE


@transaction.atomic
def decision_line_add(
    *,
    decision: Decision,
    added_by,
    member: Member | None = None,
    unit: Unit | None = None,
    recipient_kind: str | None = None,
    position_title: str = "",
    achievement: str = "",
) -> DecisionLine:
    """A recipient added by hand: a member (person) or a unit (collective) of the issuer's subtree."""
    decision = _draft(decision, added_by)
    if decision.kind != Decision.Kind.AWARD:
        raise ValidationError(_("A correcting decision only lists the records it corrects."))
    if (member is None) == (unit is None):
        raise ValidationError(_("Choose one member or one unit."))
    target = member.unit if member is not None else unit
    if not in_subtree(target, decision.unit):
        raise ValidationError(_("The recipient must be under the issuing unit."))
    lines = decision.lines.all()
    if (member is not None and lines.filter(member=member).exists()) or (
        unit is not None and lines.filter(member__isnull=True, unit=unit).exists()
    ):
        raise ValidationError(_("This recipient is already on the decision."))
    kind = _kind_for(decision.award, person=member is not None, wanted=recipient_kind)
    return DecisionLine.objects.create(
        decision=decision,
        recipient_kind=kind,
        member=member,
        unit=target,
        name=member.full_name if member is not None else unit.name,
        position_title=clean(position_title) or (member.position if member is not None else ""),
        achievement=clean(achievement),
        position=_next_position(decision),
    )


@transaction.atomic
def decision_line_update(
    *,
    decision: Decision,
    line: DecisionLine,
    updated_by,
    name: str,
    position_title: str = "",
    achievement: str = "",
) -> DecisionLine:
    """Correct how a recipient is printed (a misspelt name in an amending decision, a title)."""
    decision = _draft(decision, updated_by)
    if line.decision_id != decision.pk:
        raise ValidationError(_("This line is not on the decision."))
    if decision.kind == Decision.Kind.REVOKE:
        raise ValidationError(_("A revoking decision lists the records as they are."))
    name = clean(name)
    if not name:
        raise ValidationError(_("The name cannot be empty."))
    line.name, line.position_title, line.achievement = name, clean(position_title), clean(achievement)
    line.save(update_fields=["name", "position_title", "achievement"])
    return line


@transaction.atomic
def decision_line_remove(*, decision: Decision, line: DecisionLine, removed_by) -> None:
    decision = _draft(decision, removed_by)
    if line.decision_id != decision.pk:
        raise ValidationError(_("This line is not on the decision."))
    line.delete()


@transaction.atomic
def decision_discard(*, decision: Decision, discarded_by) -> None:
    """Throw away a draft (nothing relies on it yet)."""
    decision = _draft(decision, discarded_by)
    decision.lines.all().delete()
    decision.delete()


# --- issuing -------------------------------------------------------------------------------------


def _issue_problems(decision: Decision, lines: list[DecisionLine]) -> list[str]:
    problems = []
    if not decision.number:
        problems.append(_("Give the decision its number."))
    if not decision.signed_on:
        problems.append(_("Give the date it is signed."))
    if not decision.signer_name:
        problems.append(_("Give the signer's name."))
    if not lines:
        problems.append(_("The decision lists no one."))
    if (
        decision.number
        and Decision.objects.filter(unit=decision.unit, number=decision.number, status=Decision.Status.ISSUED)
        .exclude(pk=decision.pk)
        .exists()
    ):
        problems.append(
            _("The unit has already issued a decision numbered %(number)s.") % {"number": decision.number}
        )
    for line in lines:
        if decision.kind != Decision.Kind.AWARD and (line.corrects is None or line.corrects.is_revoked):
            problems.append(_("%(name)s: the record to correct is already revoked.") % {"name": line.name})
    return problems


def issue_problems(decision: Decision) -> list[str]:
    """What stands in the way of issuing a draft (shown on its page)."""
    return _issue_problems(decision, list(decision.lines.select_related("corrects")))


def _issued_fields(decision: Decision, line: DecisionLine, issued_by) -> dict:
    """What every record a decision issues takes from its line and the decision, whether it is
    a new record or the amended copy of an old one."""
    return {
        "recipient_kind": line.recipient_kind,
        "member": line.member,
        "name": line.name,
        "name_folded": fold(line.name),
        "position_title": line.position_title,
        "issuer": decision.unit,
        "issuer_name": decision.unit_name,
        "issuer_level": decision.unit.level,
        "decision": decision,
        "line": line,
        "decision_number": decision.number,
        "decided_on": decision.signed_on,
        "source": AwardRecord.Source.DECISION,
        "created_by": issued_by,
    }


def _record_from_line(decision: Decision, line: DecisionLine, provinces: dict, issued_by) -> AwardRecord:
    unit = line.unit
    return AwardRecord(
        award=decision.award,
        award_name=decision.award_name,
        year=decision.year,
        theme=decision.round.theme if decision.round_id else "",
        unit=unit,
        unit_name=line.unit_name,
        sex=line.member.sex if line.member_id else "",
        sector=unit.sector,
        province=provinces.get(unit.pk),
        **_issued_fields(decision, line, issued_by),
    )


def _corrected_record(decision: Decision, line: DecisionLine, old: AwardRecord, issued_by) -> AwardRecord:
    """The amended record: the old one's award, year and unit then, with the line's corrections."""
    return AwardRecord(
        award=old.award,
        award_name=old.award_label,
        year=old.year,
        theme=old.theme,
        unit=line.unit,
        unit_name=old.unit_name if line.unit_id == old.unit_id else line.unit_name,
        sex=old.sex,
        sector=old.sector,
        province=old.province,
        **_issued_fields(decision, line, issued_by),
    )


SNAPSHOT = ("award_name", "award_kind", "certificate_heading", "unit_name", "parent_body", "issuing_body")


@transaction.atomic
def decision_issue(*, decision: Decision, issued_by) -> Decision:
    """Sign off a draft: the register gets its lines (or, for a correction, the records it
    corrects are revoked and amended ones written), nominees become awarded and their nominations
    decided. The names its papers print are stored with it, and its .docx and PDF as made now.
    From now on the decision cannot change."""
    decision = _draft(decision, issued_by)
    lines = list(
        decision.lines.select_related("unit", "member", "nominee", "corrects").order_by("position", "id")
    )
    printed_names(decision, lines)
    problems = _issue_problems(decision, lines)
    # Two drafts may list the same nominee (drafted at once): with the nominees locked, only the
    # first one issued awards them.
    nominees = Nominee.objects.select_for_update().filter(
        pk__in=[x.nominee_id for x in lines if x.nominee_id]
    )
    problems += [
        _("%(name)s was already awarded by another decision.") % {"name": n.name}
        for n in nominees.order_by("id")
        if n.status == Nominee.Status.AWARDED
    ]
    if problems:
        raise ValidationError(problems)
    DecisionLine.objects.bulk_update(lines, ["unit_name", "parent_name"])
    if decision.kind == Decision.Kind.AWARD:
        provinces = provinces_of([line.unit for line in lines])
        provinces = {pk: u for pk, u in provinces.items() if u is not None}
        for line in lines:
            _record_from_line(decision, line, provinces, issued_by).save()
        _decide_nominations(decision, lines, issued_by)
    else:
        for line in lines:
            old = AwardRecord.objects.select_for_update().get(pk=line.corrects_id)
            if old.is_revoked:
                raise ValidationError(
                    _("%(name)s: the record to correct is already revoked.") % {"name": line.name}
                )
            old.status, old.revoked_by = AwardRecord.Status.REVOKED, decision
            old.save(update_fields=["status", "revoked_by"])
            if decision.kind == Decision.Kind.AMEND:
                _corrected_record(decision, line, old, issued_by).save()
    decision.status = Decision.Status.ISSUED
    decision.issued_by = issued_by
    decision.issued_at = timezone.now()
    try:
        with transaction.atomic():
            decision.save(update_fields=["status", "issued_by", "issued_at", *SNAPSHOT])
    except IntegrityError:
        raise ValidationError(
            _("The unit has already issued a decision numbered %(number)s.") % {"number": decision.number}
        )
    decision_files_store(decision=decision)
    return decision


def _decide_nominations(decision: Decision, lines: list[DecisionLine], issued_by) -> None:
    nominee_ids = [line.nominee_id for line in lines if line.nominee_id]
    for nominee in Nominee.objects.filter(pk__in=nominee_ids).select_related("nomination"):
        nominee.status = Nominee.Status.AWARDED
        nominee.save(update_fields=["status"])
    nominations = Nomination.objects.filter(nominees__in=nominee_ids)
    if decision.meeting_id:
        # The meeting's other lists for this award are decided too, even when no one on them passed.
        nominations = nominations | Nomination.objects.filter(
            meetings=decision.meeting_id, award=decision.award_id
        )
    # Stored in the dossier's history: written in Vietnamese like the decision itself.
    comment = f"Quyết định số {decision.number} ngày {_dmy(decision.signed_on)}"
    for nomination in nominations.filter(status=Nomination.Status.AT_COUNCIL).distinct():
        step_from = nomination.at_unit_id
        nomination.status = Nomination.Status.DECIDED
        nomination.save(update_fields=["status"])
        NominationStep.objects.create(
            nomination=nomination,
            action=NominationStep.Action.DECIDE,
            from_unit_id=step_from,
            to_unit_id=None,
            comment=comment,
            by=issued_by,
        )


# --- corrections -------------------------------------------------------------------------------


@transaction.atomic
def decision_correct(*, decision: Decision, kind: str, records, created_by) -> Decision:
    """A draft amending (kind "amend") or revoking ("revoke") decision on records of an issued
    decision: one line per record, which the amending draft may then correct."""
    decision = Decision.objects.select_related("unit", "award", "round").get(pk=decision.pk)
    if not can_write(user=created_by, unit=decision.unit):
        raise PermissionDenied
    if kind not in (Decision.Kind.AMEND, Decision.Kind.REVOKE):
        raise ValidationError(_("Choose to amend or to revoke."))
    if not decision.is_issued:
        raise ValidationError(_("Only an issued decision is corrected by another decision; edit the draft."))
    records = list(records)
    if not records:
        raise ValidationError(_("Choose the records to correct."))
    ids = [r.pk for r in records]
    valid = list(
        AwardRecord.objects.filter(pk__in=ids, decision=decision, status=AwardRecord.Status.VALID)
        .select_related("line", "unit", "member")
        .order_by("line__position", "id")
    )
    if len(valid) != len(set(ids)):
        raise ValidationError(_("Only valid records of this decision can be corrected by it."))
    reference = f"Quyết định số {decision.number} ngày {_dmy(decision.signed_on)}"
    verb = "sửa đổi, bổ sung" if kind == Decision.Kind.AMEND else "thu hồi"
    new = Decision.objects.create(
        unit=decision.unit,
        kind=kind,
        award=decision.award,
        round=decision.round,
        amends=decision,
        year=decision.year,
        title=f"{verb} {reference} của {decision.unit_label} về việc {decision.title}",
        grounds=_grounds(decision.award, f"Căn cứ {reference} về việc {decision.title};"),
        signer_authority=decision.signer_authority,
        signer_title=decision.signer_title,
        signer_name=decision.signer_name,
        place=decision.place,
        recipients_copy=list(decision.recipients_copy or DEFAULT_RECIPIENTS),
        created_by=created_by,
    )
    DecisionLine.objects.bulk_create(
        [
            DecisionLine(
                decision=new,
                recipient_kind=r.recipient_kind,
                member=r.member,
                unit=r.unit,
                name=r.name,
                position_title=r.position_title,
                achievement=r.line.achievement if r.line_id else "",
                corrects=r,
                position=i,
            )
            for i, r in enumerate(valid, start=1)
        ]
    )
    return new
