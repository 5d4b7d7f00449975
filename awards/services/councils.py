"""Councils (hội đồng thi đua - khen thưởng): seats, meetings, votes and results.

A secret ballot stores only THAT a seat voted on a nominee (BallotCast, so that it cannot vote
twice) and anonymous counts (BallotTally, incremented in SQL with F()); how a seat voted is kept
nowhere, and neither table is audited. An open ballot stores each Vote. Closing a meeting freezes
the votes and writes each nominee's counts and outcome."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can_write
from awards.models import (
    BallotCast,
    BallotTally,
    Council,
    CouncilMember,
    Meeting,
    Nomination,
    Nominee,
    Recusal,
    Round,
    Vote,
)
from awards.selectors.councils import (
    RECUSAL_OWN_UNIT,
    RECUSAL_SELF,
    council_candidates,
    in_subtree,
    is_below,
    is_secret,
    meeting_nominees,
    pass_rule,
)
from lib.text import clean
from org.models import Member, Unit


def passes(*, yes: int, of: int, rules: dict) -> bool:
    """Whether `yes` votes out of `of` voting seats reach the share in the nomination's rules
    (strictly more than it when the rules say so). Exact: no floating point."""
    if of <= 0:
        return False
    percent, strictly = pass_rule(rules)
    share, need = Decimal(yes) * 100, percent * of
    return share > need if strictly else share >= need


# --- councils and seats ------------------------------------------------------------------------


@transaction.atomic
def council_create(*, unit: Unit, name: str, created_by) -> Council:
    if not can_write(user=created_by, unit=unit):
        raise PermissionDenied
    name = clean(name)
    if not name:
        raise ValidationError(_("Give the council a name."))
    if Council.objects.filter(unit=unit, name=name, is_active=True).exists():
        raise ValidationError(_("This unit already has a council with that name."))
    return Council.objects.create(unit=unit, name=name)


@transaction.atomic
def seat_add(
    *,
    council: Council,
    full_name: str,
    added_by,
    title: str = "",
    role: str = CouncilMember.Role.MEMBER,
    user=None,
    unit: Unit | None = None,
    member: Member | None = None,
) -> CouncilMember:
    """A seat on the council. Its unit and member record are what recusals are computed from."""
    if not can_write(user=added_by, unit=council.unit):
        raise PermissionDenied
    errors = []
    if not council.is_active:
        errors.append(_("This council is no longer active."))
    full_name = clean(full_name) or (member.full_name if member else "")
    if not full_name:
        errors.append(_("Give the seat holder's full name."))
    if role not in CouncilMember.Role.values:
        errors.append(_("Choose a role."))
    if member is not None and not in_subtree(member.unit, council.unit):
        errors.append(_("The member record must be of a member under the council's unit."))
    if unit is None and member is not None:
        unit = member.unit
    if unit is not None and not (in_subtree(unit, council.unit) or in_subtree(council.unit, unit)):
        errors.append(_("The seat holder must work at the council's unit, a unit below it or above it."))
    if user is not None and not user.is_active:
        errors.append(_("That account is disabled."))
    seats = council.seats.filter(is_active=True)
    if member is not None and seats.filter(member=member).exists():
        errors.append(_("This member already holds a seat on the council."))
    if user is not None and seats.filter(user=user).exists():
        errors.append(_("This account is already linked to a seat on the council."))
    if errors:
        raise ValidationError(errors)
    return CouncilMember.objects.create(
        council=council,
        full_name=full_name,
        title=clean(title),
        role=role,
        user=user,
        unit=unit,
        member=member,
    )


@transaction.atomic
def seat_deactivate(*, seat: CouncilMember, by) -> CouncilMember:
    """A seat leaves the council; its past votes and meetings stay."""
    if not can_write(user=by, unit=seat.council.unit):
        raise PermissionDenied
    if seat.meetings_attended.filter(status=Meeting.Status.OPEN).exists():
        raise ValidationError(_("This seat sits in a meeting still open; close the meeting first."))
    seat.is_active = False
    seat.save(update_fields=["is_active"])
    return seat


# --- meetings ----------------------------------------------------------------------------------


def _recusals(meeting: Meeting, seats: Iterable[CouncilMember], nominees: Iterable[Nominee]) -> list[Recusal]:
    """A seat may not vote on itself, nor on a nominee of its own unit or a unit below it; its
    working at the council's own unit (or above) is no conflict."""
    council_unit = meeting.council.unit
    out = []
    for nominee in nominees:
        for seat in seats:
            reason = ""
            if seat.member_id and nominee.member_id == seat.member_id:
                reason = RECUSAL_SELF
            elif seat.unit_id and in_subtree(nominee.unit, seat.unit) and is_below(seat.unit, council_unit):
                reason = RECUSAL_OWN_UNIT
            if reason:
                out.append(Recusal(meeting=meeting, nominee=nominee, seat=seat, reason=reason))
    return out


def _present_seats(meeting: Meeting, present: Iterable[CouncilMember]) -> list[CouncilMember]:
    present = list(present)
    ids = [s.pk for s in present]
    seats = list(meeting.council.seats.filter(pk__in=ids, is_active=True).select_related("unit"))
    if len(seats) != len(set(ids)):
        raise ValidationError(_("Only active seats of this council can be marked present."))
    if not seats:
        raise ValidationError(_("Mark at least one council member present."))
    return seats


@transaction.atomic
def meeting_open(
    *,
    council: Council,
    round: Round,
    held_on: datetime.date,
    nominations: Iterable[Nomination],
    present: Iterable[CouncilMember],
    created_by,
    place: str = "",
) -> Meeting:
    """A meeting of the council on nominations of a round that it decides, with the seats present
    and the recusals computed."""
    if not can_write(user=created_by, unit=council.unit):
        raise PermissionDenied
    if not council.is_active:
        raise ValidationError(_("This council is no longer active."))
    chosen = {n.pk for n in nominations}
    if not chosen:
        raise ValidationError(_("Choose at least one nomination."))
    allowed = {n.pk for n in council_candidates(council=council, round=round)}
    if chosen - allowed:
        raise ValidationError(
            _(
                "Only nominations of this round sent to the council, decided at the council's unit and "
                "not yet considered in another meeting can be put before it."
            )
        )
    meeting = Meeting.objects.create(
        council=council, round=round, held_on=held_on, place=clean(place), created_by=created_by
    )
    seats = _present_seats(meeting, present)
    meeting.nominations.set(chosen)
    meeting.present.set(seats)
    nominees = list(meeting_nominees(meeting))
    Recusal.objects.bulk_create(_recusals(meeting, seats, nominees))
    # Secret ballots count into rows made up front, so casting is one UPDATE ... SET n = n + 1.
    BallotTally.objects.bulk_create(
        [BallotTally(meeting=meeting, nominee=n) for n in nominees if is_secret(n.nomination)]
    )
    return meeting


def _lock_open(meeting: Meeting) -> Meeting:
    """The meeting row locked for this transaction (votes and closing serialise on it)."""
    locked = Meeting.objects.select_for_update().select_related("council__unit").get(pk=meeting.pk)
    if locked.status != Meeting.Status.OPEN:
        raise ValidationError(_("The meeting is closed: votes can no longer be cast or changed."))
    return locked


def _has_voted(meeting: Meeting, seat_ids) -> set[int]:
    return set(
        Vote.objects.filter(meeting=meeting, seat__in=seat_ids).values_list("seat_id", flat=True)
    ) | set(BallotCast.objects.filter(meeting=meeting, seat__in=seat_ids).values_list("seat_id", flat=True))


@transaction.atomic
def meeting_set_present(*, meeting: Meeting, present: Iterable[CouncilMember], by) -> Meeting:
    """Change who is present while the meeting is open; a seat that has voted stays present.
    Recusals are computed again for the seats now present."""
    meeting = _lock_open(meeting)
    if not can_write(user=by, unit=meeting.council.unit):
        raise PermissionDenied
    seats = _present_seats(meeting, present)
    leaving = set(meeting.present.order_by().values_list("pk", flat=True)) - {s.pk for s in seats}
    if _has_voted(meeting, leaving):
        raise ValidationError(_("A council member who has already voted cannot be marked absent."))
    meeting.present.set(seats)
    Recusal.objects.filter(meeting=meeting).delete()
    Recusal.objects.bulk_create(_recusals(meeting, seats, list(meeting_nominees(meeting))))
    return meeting


@transaction.atomic
def vote_cast(*, meeting: Meeting, nominee: Nominee, seat: CouncilMember, choice: str, by) -> None:
    """One seat's vote on one nominee, entered by an officer of the council's unit (the secretary
    entering ballots) or by the seat holder's own account. Once only, while the meeting is open,
    by a seat present and not recused."""
    if choice not in Vote.Choice.values:
        raise ValidationError(_("Choose agree, disagree or abstain."))
    meeting = _lock_open(meeting)
    if not (can_write(user=by, unit=meeting.council.unit) or (seat.user_id and seat.user_id == by.pk)):
        raise PermissionDenied
    if seat.council_id != meeting.council_id:
        raise ValidationError(_("This seat is not on the meeting's council."))
    if not meeting.present.filter(pk=seat.pk).exists():
        raise ValidationError(
            _("%(name)s is not present at the meeting and cannot vote.") % {"name": seat.full_name}
        )
    nominee = (
        Nominee.objects.filter(pk=nominee.pk, nomination__meetings=meeting)
        .exclude(status=Nominee.Status.REMOVED)
        .select_related("nomination")
        .first()
    )
    if nominee is None:
        raise ValidationError(_("This nominee is not before the meeting."))
    if Recusal.objects.filter(meeting=meeting, nominee=nominee, seat=seat).exists():
        raise ValidationError(
            _("%(name)s is recused on %(nominee)s and cannot vote.")
            % {"name": seat.full_name, "nominee": nominee.name}
        )
    already = _("%(name)s has already voted on %(nominee)s.") % {
        "name": seat.full_name,
        "nominee": nominee.name,
    }
    try:
        with transaction.atomic():
            if is_secret(nominee.nomination):
                BallotCast.objects.create(meeting=meeting, nominee=nominee, seat=seat)
            elif Vote.objects.filter(meeting=meeting, nominee=nominee, seat=seat).exists():
                raise ValidationError(already)
            else:
                Vote.objects.create(meeting=meeting, nominee=nominee, seat=seat, choice=choice)
    except IntegrityError:
        raise ValidationError(already)
    if is_secret(nominee.nomination):
        tally, _created = BallotTally.objects.get_or_create(meeting=meeting, nominee=nominee)
        BallotTally.objects.filter(pk=tally.pk).update(**{choice: F(choice) + 1})


@transaction.atomic
def ballot_cast(*, meeting: Meeting, seat: CouncilMember, choices: dict[Nominee, str], by) -> int:
    """A seat's whole ballot paper at once: every vote, or none when any is refused."""
    errors = []
    for nominee, choice in choices.items():
        try:
            vote_cast(meeting=meeting, nominee=nominee, seat=seat, choice=choice, by=by)
        except ValidationError as e:
            errors += e.messages
    if errors:
        raise ValidationError(errors)
    return len(choices)


def meeting_counts(meeting: Meeting) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"yes": 0, "no": 0, "abstain": 0})
    for row in Vote.objects.filter(meeting=meeting).values("nominee_id", "choice").annotate(n=Count("id")):
        counts[row["nominee_id"]][row["choice"]] = row["n"]
    for t in BallotTally.objects.filter(meeting=meeting):
        counts[t.nominee_id] = {"yes": t.yes, "no": t.no, "abstain": t.abstain}
    return counts


@transaction.atomic
def meeting_close(*, meeting: Meeting, closed_by) -> Meeting:
    """Close the vote: each nominee gets its counts (of = seats present and not recused) and
    passes or fails by the share in its nomination's rules."""
    meeting = _lock_open(meeting)
    if not can_write(user=closed_by, unit=meeting.council.unit):
        raise PermissionDenied
    present = set(meeting.present.order_by().values_list("pk", flat=True))
    recused = set(Recusal.objects.filter(meeting=meeting).values_list("nominee_id", "seat_id"))
    counts = meeting_counts(meeting)
    for nominee in meeting_nominees(meeting):
        c = counts[nominee.pk]
        of = sum(1 for seat_id in present if (nominee.pk, seat_id) not in recused)
        nominee.votes_yes, nominee.votes_no, nominee.votes_abstain = c["yes"], c["no"], c["abstain"]
        nominee.votes_of = of
        ok = passes(yes=c["yes"], of=of, rules=nominee.nomination.rules)
        nominee.status = Nominee.Status.PASSED if ok else Nominee.Status.FAILED
        nominee.save(update_fields=["votes_yes", "votes_no", "votes_abstain", "votes_of", "status"])
    meeting.status = Meeting.Status.CLOSED
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["status", "closed_at"])
    return meeting
