"""Reads for councils, their meetings and votes, and award decisions.

Every list is scoped through accounts.scoping; the meeting board and a decision's page are read
in a fixed number of queries whatever the number of nominees, seats or lines."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.scoping import get_for_user, scoped, writable_role_units
from awards.models import (
    Award,
    AwardRecord,
    BallotCast,
    BallotTally,
    Council,
    CouncilMember,
    Decision,
    DecisionLine,
    Meeting,
    Nomination,
    Nominee,
    Recusal,
    Round,
    Vote,
)
from awards.selectors.nominations import deciding_units_for, provinces_of
from org import tree
from org.models import Member, Unit
from org.selectors.search import member_search, unit_search

RECUSAL_SELF = "self"
RECUSAL_OWN_UNIT = "own_unit"
RECUSAL_LABELS = {
    RECUSAL_SELF: _("the nominee themselves"),
    RECUSAL_OWN_UNIT: _("works at the nominee's unit"),
}
SEARCH_LIMIT = 20
# "Member" alone reads as "union member" (đoàn viên); a council's seats have their own words.
ROLE_LABELS = {
    CouncilMember.Role.CHAIR: _("Chair of the council"),
    CouncilMember.Role.VICE_CHAIR: _("Vice-chair of the council"),
    CouncilMember.Role.MEMBER: _("Member of the council"),
    CouncilMember.Role.SECRETARY: _("Secretary of the council"),
}
ROLE_RANK = [
    CouncilMember.Role.CHAIR,
    CouncilMember.Role.VICE_CHAIR,
    CouncilMember.Role.MEMBER,
    CouncilMember.Role.SECRETARY,
]


def seat_order() -> Case:
    """Chair first, then vice-chairs, members, the secretary (not the roles' alphabetical order)."""
    return Case(
        *[When(role=role, then=Value(i)) for i, role in enumerate(ROLE_RANK)],
        default=Value(len(ROLE_RANK)),
        output_field=IntegerField(),
    )


# --- the tree ---------------------------------------------------------------------------------


def province_of(unit: Unit) -> Unit | None:
    """The provincial federation (or national sector union) a unit belongs to, or None."""
    return provinces_of([unit])[unit.pk]


def deciding_units(nominations) -> dict[int, Unit | None]:
    """For each nomination, the unit whose council decides it (one rule for the whole app:
    awards.selectors.nominations.deciding_units_for)."""
    return deciding_units_for(nominations)


def deciding_unit(*, nomination: Nomination) -> Unit | None:
    return deciding_units([nomination])[nomination.pk]


def is_below(unit: Unit, above: Unit) -> bool:
    """Whether `unit` lies strictly inside `above`'s subtree."""
    return tree.is_descendant(unit, above, strict=True)


def in_subtree(unit: Unit, top: Unit) -> bool:
    return tree.is_descendant(unit, top)


# --- councils ----------------------------------------------------------------------------------


def role_units(*, user) -> QuerySet[Unit]:
    """Units a user acts for (holds a writing role at): where councils and decisions are made."""
    return writable_role_units(user=user)


def council_list(*, user, q: str = "") -> QuerySet[Council]:
    councils = scoped(Council.objects.select_related("unit"), user=user).annotate(
        seat_count=Count("seats", filter=Q(seats__is_active=True), distinct=True),
        meeting_count=Count("meetings", distinct=True),
    )
    if q:
        councils = councils.filter(Q(name__icontains=q) | Q(unit__name__icontains=q))
    return councils.order_by(tree.tree_order("unit"), "name")


def council_get(*, user, pk: int, write: bool = False) -> Council:
    return get_for_user(Council.objects.select_related("unit"), user, pk=pk, write=write)


def council_seats(*, council: Council) -> list[CouncilMember]:
    return list(
        council.seats.select_related("unit", "member", "user").order_by(
            "-is_active", seat_order(), "full_name", "id"
        )
    )


def seat_unit_choices(*, council: Council, extra: Unit | None = None) -> QuerySet[Unit]:
    """Units offered for a seat: the council's unit and the units right below it (plus the chosen
    member's unit)."""
    q = Q(pk=council.unit_id) | tree.children_q(council.unit)
    if extra is not None:
        q |= Q(pk=extra.pk)
    return Unit.objects.filter(q).order_by("depth", "name")


def seat_member_search(*, user, council: Council, q: str) -> list[Member]:
    """Members of the council's subtree the user may read, by name without accents or by number."""
    if not q.strip():
        return []
    members = scoped(Member.objects.filter(tree.subtree_q(council.unit, field="unit")), user=user)
    return list(member_search(members, q).select_related("unit").order_by("name_folded", "id")[:SEARCH_LIMIT])


def scoped_member(*, user, pk) -> Member | None:
    try:
        return scoped(Member.objects.select_related("unit"), user=user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


# --- meetings ----------------------------------------------------------------------------------


def meeting_get(*, user, pk: int, write: bool = False) -> Meeting:
    return get_for_user(
        Meeting.objects.select_related("council__unit", "round", "created_by"),
        user,
        pk=pk,
        write=write,
        unit_field="council__unit",
    )


def meeting_list(*, council: Council) -> QuerySet[Meeting]:
    return (
        council.meetings.select_related("round")
        .annotate(
            nomination_count=Count("nominations", distinct=True),
            present_count=Count("present", distinct=True),
        )
        .order_by("-held_on", "-id")
    )


def my_open_seats(*, user) -> list:
    """Open meetings where the user's own account holds a seat marked present: their ballots."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Meeting.present.through.objects.filter(councilmember__user=user, meeting__status=Meeting.Status.OPEN)
        .select_related("meeting__council", "meeting__round", "councilmember")
        .order_by("-meeting__held_on", "meeting_id")
    )


def council_candidates(*, council: Council, round: Round | None = None) -> list[Nomination]:
    """Nominations before this council: AT_COUNCIL, decided at its unit, in no meeting yet."""
    nominations = (
        Nomination.objects.filter(
            tree.subtree_q(council.unit, field="unit"), status=Nomination.Status.AT_COUNCIL
        )
        .exclude(Exists(Meeting.nominations.through.objects.filter(nomination_id=OuterRef("pk"))))
        .select_related("award", "unit", "round")
        .annotate(nominee_count=Count("nominees", filter=~Q(nominees__status=Nominee.Status.REMOVED)))
        .order_by("round_id", "award__position", tree.tree_order("unit"), "id")
    )
    if round is not None:
        nominations = nominations.filter(round=round)
    nominations = list(nominations)
    deciders = deciding_units(nominations)
    return [n for n in nominations if deciders[n.pk] is not None and deciders[n.pk].pk == council.unit_id]


def candidate_rounds(*, council: Council) -> list[Round]:
    seen: dict[int, Round] = {}
    for n in council_candidates(council=council):
        seen.setdefault(n.round_id, n.round)
    return list(seen.values())


def is_secret(nomination: Nomination) -> bool:
    return bool((nomination.rules or {}).get("secret_ballot"))


def pass_rule(rules: dict) -> tuple[Decimal, bool]:
    """(share needed in %, strictly more than it) from a nomination's rules snapshot."""
    rules = rules or {}
    return Decimal(str(rules.get("pass_percent", "50"))), bool(rules.get("pass_strictly_more", True))


def meeting_nominees(meeting: Meeting) -> QuerySet[Nominee]:
    return (
        Nominee.objects.filter(nomination__meetings=meeting)
        .exclude(status=Nominee.Status.REMOVED)
        .select_related("nomination__award", "nomination__unit", "unit", "member")
        .order_by("nomination__award__position", "nomination_id", "position", "id")
    )


def meeting_board(*, meeting: Meeting) -> dict:
    """Everything the meeting page shows: who is present, the recusals, and per nominee the
    ballots in and (open ballot) who voted how, or (secret ballot) only the counts."""
    seats = list(
        meeting.council.seats.select_related("unit", "member", "user").order_by(
            seat_order(), "full_name", "id"
        )
    )
    present_ids = set(meeting.present.order_by().values_list("pk", flat=True))
    nominees = list(meeting_nominees(meeting))
    recusals: dict[int, list[tuple[CouncilMember, str]]] = defaultdict(list)
    seat_by_id = {s.pk: s for s in seats}
    recused_pairs = set()
    for r in Recusal.objects.filter(meeting=meeting).order_by("id"):
        recused_pairs.add((r.nominee_id, r.seat_id))
        recusals[r.nominee_id].append((seat_by_id.get(r.seat_id), RECUSAL_LABELS.get(r.reason, r.reason)))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"yes": 0, "no": 0, "abstain": 0})
    cast: dict[int, int] = defaultdict(int)
    open_votes: dict[int, dict[int, str]] = defaultdict(dict)
    for v in Vote.objects.filter(meeting=meeting).values("nominee_id", "seat_id", "choice"):
        counts[v["nominee_id"]][v["choice"]] += 1
        cast[v["nominee_id"]] += 1
        open_votes[v["nominee_id"]][v["seat_id"]] = v["choice"]
    for t in BallotTally.objects.filter(meeting=meeting):
        counts[t.nominee_id] = {"yes": t.yes, "no": t.no, "abstain": t.abstain}
    for row in BallotCast.objects.filter(meeting=meeting).values("nominee_id").annotate(n=Count("id")):
        cast[row["nominee_id"]] = row["n"]
    present = [s for s in seats if s.pk in present_ids]
    is_open = meeting.status == Meeting.Status.OPEN
    rows = []
    for nominee in nominees:
        voters = sum(1 for s in present if (nominee.pk, s.pk) not in recused_pairs)
        secret = is_secret(nominee.nomination)
        rows.append(
            {
                "nominee": nominee,
                "nomination": nominee.nomination,
                "secret": secret,
                # A secret tally watched while ballots come in tells who voted how: counts
                # are shown once the meeting is closed.
                "counts": None if secret and is_open else counts[nominee.pk],
                "cast": cast[nominee.pk],
                "of": voters,
                "recusals": recusals[nominee.pk],
                "votes": []
                if secret
                else [(seat_by_id[sid], c) for sid, c in open_votes[nominee.pk].items()],
                "rule": pass_rule(nominee.nomination.rules),
            }
        )
    return {
        "seats": seats,
        "present": present,
        "absent": [s for s in seats if s.pk not in present_ids and s.is_active],
        "rows": rows,
        "missing": sum(r["of"] - r["cast"] for r in rows),
        "awards": _passed_awards(meeting, rows),
    }


def _passed_awards(meeting: Meeting, rows: list[dict]) -> list[Award]:
    """Awards of the meeting with passed nominees not yet on a decision: what can be drafted."""
    if meeting.status != Meeting.Status.CLOSED:
        return []
    on_lines = set(
        DecisionLine.objects.filter(nominee__in=[r["nominee"].pk for r in rows]).values_list(
            "nominee_id", flat=True
        )
    )
    awards: dict[int, Award] = {}
    for r in rows:
        if r["nominee"].status == Nominee.Status.PASSED and r["nominee"].pk not in on_lines:
            awards.setdefault(r["nomination"].award_id, r["nomination"].award)
    return list(awards.values())


def seat_ballot(*, meeting: Meeting, seat: CouncilMember) -> list[dict]:
    """One seat's ballot: each nominee with whether the seat is recused, has voted and (open
    ballot only) how."""
    recused = dict(Recusal.objects.filter(meeting=meeting, seat=seat).values_list("nominee_id", "reason"))
    voted = dict(Vote.objects.filter(meeting=meeting, seat=seat).values_list("nominee_id", "choice"))
    secret_cast = set(
        BallotCast.objects.filter(meeting=meeting, seat=seat).values_list("nominee_id", flat=True)
    )
    rows = []
    for nominee in meeting_nominees(meeting):
        rows.append(
            {
                "nominee": nominee,
                "secret": is_secret(nominee.nomination),
                "recused": RECUSAL_LABELS.get(recused[nominee.pk], recused[nominee.pk])
                if nominee.pk in recused
                else "",
                "voted": nominee.pk in voted or nominee.pk in secret_cast,
                "choice": voted.get(nominee.pk, ""),
            }
        )
    return rows


def meeting_decisions(*, meeting: Meeting) -> QuerySet[Decision]:
    return Decision.objects.filter(meeting=meeting).select_related("award").order_by("id")


# --- decisions ---------------------------------------------------------------------------------


def decision_list(
    *, user, q: str = "", year: int | None = None, status: str = "", kind: str = ""
) -> QuerySet:
    decisions = scoped(Decision.objects.select_related("unit", "award"), user=user).annotate(
        line_count=Count("lines", distinct=True)
    )
    if q:
        decisions = decisions.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(award__name__icontains=q)
            | Q(award_name__icontains=q)  # the name it was issued under
        )
    if year:
        decisions = decisions.filter(year=year)
    if status:
        decisions = decisions.filter(status=status)
    if kind:
        decisions = decisions.filter(kind=kind)
    return decisions.order_by("status", "-signed_on", "-id")


def decision_get(*, user, pk: int, write: bool = False) -> Decision:
    return get_for_user(
        Decision.objects.select_related("unit", "award", "round", "meeting__council", "amends", "created_by"),
        user,
        pk=pk,
        write=write,
    )


def decision_lines(decision: Decision) -> QuerySet[DecisionLine]:
    return decision.lines.select_related("unit", "member", "corrects", "nominee").order_by("position", "id")


def decision_full(*, decision: Decision, user) -> dict:
    """A decision with its lines, the register lines it created, what it corrected and the
    decisions that corrected it."""
    records = list(
        AwardRecord.objects.filter(decision=decision)
        .select_related("unit", "revoked_by")
        .order_by("line__position", "id")
    )
    return {
        "lines": list(decision_lines(decision)),
        "files": list(decision.files.defer("content").order_by("format")),
        "records": records,
        "valid_records": [r for r in records if r.status == AwardRecord.Status.VALID],
        "corrections": list(
            scoped(decision.corrections.select_related("unit"), user=user).order_by("-signed_on", "-id")
        ),
        "revoked_here": list(
            AwardRecord.objects.filter(revoked_by=decision).select_related("decision").order_by("id")
        ),
    }


def decision_candidates(*, user, decision: Decision, q: str) -> dict:
    """Members and units of the issuing unit's subtree (that the user may read) matching `q`."""
    if not q.strip():
        return {"members": [], "units": []}
    members = scoped(Member.objects.filter(tree.subtree_q(decision.unit, field="unit")), user=user)
    units = scoped(tree.subtree(decision.unit), user=user, unit_field="")
    return {
        "members": list(
            member_search(members, q).select_related("unit").order_by("name_folded", "id")[:SEARCH_LIMIT]
        ),
        "units": list(unit_search(units, q).order_by("depth", "name_folded", "id")[:SEARCH_LIMIT]),
    }


def awards_for_units(units) -> QuerySet[Award]:
    """Awards a unit may give: the national catalogue and the forms kept by the unit or above it."""
    units = list(units)
    above = tree.ancestors_q(units, field="unit", include_self=True) if units else Q(pk__in=[])
    return Award.objects.filter(Q(unit__isnull=True) | above, is_active=True).order_by("position", "name")


def award_allowed(award: Award, unit: Unit) -> bool:
    return award.unit_id is None or tree.is_descendant(unit, award.unit)
