"""Reads of rounds, nominations and public notices: who may see which, the inbox, the candidates
a nomination can add, the deciding level, and the achievement report's prefill.

A nomination is seen by its proposing unit's subtree, by the levels it sits at (at_unit) and by
every level it has passed through (its steps), so a reviewer keeps the dossier it returned."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import translation

from accounts.scoping import can_write, scoped, scoped_with_above, writable_role_units
from awards.models import (
    Award,
    AwardRecord,
    Initiative,
    Nomination,
    NominationStep,
    Nominee,
    NoticeComment,
    PublicNotice,
    Round,
)
from awards.selectors.eligibility import eligible_members, eligible_units, unit_kinds_q
from org import tree
from org.models import LEVEL_OF_KIND, Member, MemberStatus, Unit, UnitLevel, UnitStatus
from org.selectors.search import member_search, unit_search
from reports.selectors import published

ACTIVE_NOMINEE = ~Q(status=Nominee.Status.REMOVED)
SEARCH_LIMIT = 25


# --- the tree --------------------------------------------------------------------------------


def ancestors_and_self(unit: Unit) -> list[Unit]:
    """The unit and every unit above it, top first."""
    return list(tree.ancestors(unit, include_self=True))


def _decider_in(chain: list[Unit], unit: Unit, award: Award) -> Unit:
    """The deepest unit of `chain` (top first) at the award's deciding level or above it."""
    if award.decider_level is None:
        return unit
    for candidate in reversed(chain):
        if candidate.level <= award.decider_level:
            return candidate
    return unit


def deciding_unit_for(*, unit: Unit, award: Award) -> Unit:
    """The level whose council decides `award` for a proposal of `unit`: the nearest
    ancestor-or-self at the award's deciding level (or above it, where the tree skips that
    level). Awards decided outside the union are voted by the proposing unit's own council."""
    if award.decider_level is None:
        return unit
    return _decider_in(ancestors_and_self(unit), unit, award)


def deciding_units_for(nominations) -> dict[int, Unit]:
    """{nomination id: its deciding unit} for many nominations, in one query (the same rule)."""
    nominations = list(nominations)
    by_path = tree.ancestors_of_many(n.unit for n in nominations)
    return {n.pk: _decider_in(tree.chain(n.unit, by_path), n.unit, n.award) for n in nominations}


PROVINCE_KINDS = [k for k, level in LEVEL_OF_KIND.items() if level == UnitLevel.PROVINCE]


def provinces_of(units: list[Unit]) -> dict[int, Unit | None]:
    """{unit id: its provincial federation (or national sector union), or None}, in one query."""
    provinces = tree.ancestors_of_many(units, queryset=Unit.objects.filter(kind__in=PROVINCE_KINDS))
    # The highest province-level unit above each unit (a chain holds at most one in practice).
    return {u.pk: next(iter(tree.chain(u, provinces)), None) for u in units}


# --- rounds ------------------------------------------------------------------------------------


def rounds_for_user(*, user) -> QuerySet[Round]:
    """Rounds of the user's subtrees and of every unit above them (units below propose into
    rounds opened by their ancestors)."""
    return scoped_with_above(Round.objects.select_related("unit", "plan", "phase"), user=user, published=Q())


def round_list(*, user, year: int | None = None, status: str = "", q: str = "") -> QuerySet[Round]:
    rounds = rounds_for_user(user=user).annotate(award_count=Count("awards", distinct=True))
    if year:
        rounds = rounds.filter(year=year)
    if status:
        rounds = rounds.filter(status=status)
    if q:
        rounds = rounds.filter(Q(name__icontains=q) | Q(theme__icontains=q))
    return rounds.order_by("-year", "-id")


def round_get(*, user, pk: int, write: bool = False) -> Round:
    """One round the user may open (404 otherwise); 403 when `write` and they only read it."""
    try:
        rnd = rounds_for_user(user=user).get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_write(user=user, unit=rnd.unit):
        raise PermissionDenied
    return rnd


def proposing_units(*, user, rnd: Round) -> QuerySet[Unit]:
    """Units the user may propose for in the round: written by the user, inside the round's
    subtree, active, at a level some award of the round accepts proposals from."""
    levels = {int(level) for a in rnd.awards.all() for level in a.proposer_levels}
    kinds = [k for k, level in LEVEL_OF_KIND.items() if level in levels]
    units = scoped(Unit.objects.all(), user=user, unit_field="", write=True)
    return units.filter(tree.subtree_q(rnd.unit), status=UnitStatus.ACTIVE, kind__in=kinds).order_by(
        tree.tree_order()
    )


# --- nominations -------------------------------------------------------------------------------


def nominations_for_user(*, user) -> QuerySet[Nomination]:
    """Nominations the user may open: proposed in their subtree, sitting at a unit of it, or
    having passed through one of its units."""
    own = scoped(Nomination.objects.all(), user=user, unit_field="unit").values("pk")
    held = scoped(Nomination.objects.all(), user=user, unit_field="at_unit").values("pk")
    passed = scoped(NominationStep.objects.all(), user=user, unit_field="to_unit").values("nomination_id")
    return Nomination.objects.filter(Q(pk__in=own) | Q(pk__in=held) | Q(pk__in=passed))


def _with_list_data(qs: QuerySet[Nomination]) -> QuerySet[Nomination]:
    return qs.select_related("award", "unit", "at_unit", "round").annotate(
        nominee_count=Count("nominees", filter=~Q(nominees__status=Nominee.Status.REMOVED))
    )


def nomination_list(
    *, user, status: str = "", year: int | None = None, q: str = "", rnd: Round | None = None
) -> QuerySet[Nomination]:
    qs = nominations_for_user(user=user)
    if rnd is not None:
        qs = qs.filter(round=rnd)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(round__year=year)
    if q:
        qs = qs.filter(Q(award__name__icontains=q) | Q(unit__name__icontains=q) | Q(round__name__icontains=q))
    return _with_list_data(qs).order_by("-created_at", "-id")


def nomination_get(*, user, pk: int, write: bool = False) -> Nomination:
    """One nomination the user may open (404 otherwise); with `write`, 403 unless the user
    writes for the proposing unit."""
    try:
        nomination = (
            nominations_for_user(user=user)
            .select_related("award", "unit", "at_unit", "round", "round__unit")
            .get(pk=pk)
        )
    except (Nomination.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_write(user=user, unit=nomination.unit):
        raise PermissionDenied
    return nomination


def nominee_get(*, user, pk: int, write: bool = False) -> Nominee:
    try:
        nominee = (
            Nominee.objects.filter(nomination__in=nominations_for_user(user=user))
            .select_related(
                "nomination__award", "nomination__unit", "nomination__round", "member__unit", "unit"
            )
            .get(pk=pk)
        )
    except (Nominee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_write(user=user, unit=nominee.nomination.unit):
        raise PermissionDenied
    return nominee


def can_review(*, user, nomination: Nomination) -> bool:
    """Officers of the level holding a submitted nomination (or above it) review it."""
    return (
        nomination.status == Nomination.Status.SUBMITTED
        and nomination.at_unit_id is not None
        and can_write(user=user, unit=nomination.at_unit)
    )


def inbox(*, user) -> QuerySet[Nomination]:
    """Submitted nominations waiting at a unit where the user holds a writing role."""
    units = writable_role_units(user=user)
    qs = Nomination.objects.filter(status=Nomination.Status.SUBMITTED, at_unit__in=units)
    return _with_list_data(qs).order_by("submitted_at", "id")


def nominees_of(nomination: Nomination) -> list[Nominee]:
    return list(
        nomination.nominees.filter(ACTIVE_NOMINEE)
        .select_related("member__unit", "unit")
        .annotate(file_count=Count("files"))
        .order_by("position", "id")
    )


def steps_of(nomination: Nomination) -> QuerySet[NominationStep]:
    return nomination.steps.select_related("from_unit", "to_unit", "by").order_by("at", "id")


# --- candidates --------------------------------------------------------------------------------


def member_candidates(*, nomination: Nomination, q: str) -> list[Member]:
    """Active members of the proposing unit's subtree matching `q` (accent-insensitive), each
    with `.eligible` computed for the whole page in one SQL query."""
    if not q.strip():
        return []
    members = Member.objects.filter(tree.subtree_q(nomination.unit, field="unit"), status=MemberStatus.ACTIVE)
    found = list(
        member_search(members, q).select_related("unit").order_by("name_folded", "id")[:SEARCH_LIMIT]
    )
    taken = nomination.nominees.filter(ACTIVE_NOMINEE, member__isnull=False).values_list(
        "member_id", flat=True
    )
    return _mark_candidates(found, nomination=nomination, eligible=eligible_members, taken=taken)


def unit_candidates(*, nomination: Nomination, q: str) -> list[Unit]:
    """Units of the proposing unit's subtree that can receive the award, matching `q`."""
    kinds = nomination.rules.get("recipient_kinds", [])
    units = Unit.objects.filter(
        unit_kinds_q(kinds), tree.subtree_q(nomination.unit), status=UnitStatus.ACTIVE
    )
    if q.strip():
        units = unit_search(units, q)
    found = list(units.order_by(tree.tree_order())[:SEARCH_LIMIT])
    taken = nomination.nominees.filter(ACTIVE_NOMINEE, member__isnull=True).values_list("unit_id", flat=True)
    return _mark_candidates(found, nomination=nomination, eligible=eligible_units, taken=taken)


def _mark_candidates(found: list, *, nomination: Nomination, eligible, taken) -> list:
    """Set `.eligible` and `.taken` on a page of candidates (members or units): one eligibility
    query for the whole page, whatever its size."""
    ok = set(
        eligible(
            award=nomination.award, unit=nomination.unit, year=nomination.round.year, rules=nomination.rules
        )
        .filter(pk__in=[c.pk for c in found])
        .values_list("pk", flat=True)
    )
    taken = set(taken)
    for c in found:
        c.eligible = c.pk in ok
        c.taken = c.pk in taken
    return found


# --- achievement report prefill ----------------------------------------------------------------


def _record_lines(records: QuerySet[AwardRecord]) -> str:
    lines = []
    for r in records.filter(status=AwardRecord.Status.VALID).select_related("award").order_by("year", "id"):
        by = f" – {r.issuer_name}" if r.issuer_name else ""
        number = f" (QĐ số {r.decision_number})" if r.decision_number else ""
        lines.append(f"Năm {r.year}: {r.award.name}{by}{number}")
    return "\n".join(lines)


def _initiative_lines(initiatives: QuerySet[Initiative]) -> str:
    lines = []
    for i in initiatives.order_by("year", "id"):
        parts = [f"Năm {i.year}: {i.title}", f"phạm vi ảnh hưởng: {UnitLevel(i.scope_level).label}"]
        if i.recognised_by:
            parts.append(f"công nhận: {i.recognised_by}")
        if i.decision_number:
            parts.append(f"QĐ số {i.decision_number}")
        if i.value:
            parts.append(f"giá trị làm lợi: {i.value:,} đồng".replace(",", "."))
        lines.append("; ".join(str(p) for p in parts))
    return "\n".join(lines)


def _report_lines(unit: Unit) -> str:
    """The figures of the unit's latest accepted report, one line each."""
    report = published.latest_accepted_report(unit=unit)
    if report is None:
        return ""
    lines = [f"Theo báo cáo “{report.request.title}”:"]
    for v in published.report_values(report=report):
        ind = v.indicator
        if v.number is not None:
            number = f"{v.number.normalize():f}".replace(".", ",")
            uom = f" {ind.unit_of_measure}" if ind.unit_of_measure else ""
            lines.append(f"- {ind.label}: {number}{uom}")
        elif v.text and ind.kind == "text":
            lines.append(f"- {ind.label}: {v.text[:300]}")
    return "\n".join(lines) if len(lines) > 1 else ""


def _score_lines(unit: Unit, year: int) -> str:
    sheets = (
        published.published_sheets()
        .filter(unit=unit, year__lte=year)
        .select_related("table")
        .order_by("-year", "-id")[:3]
    )
    lines = []
    for s in sheets:
        rank = f", xếp thứ {s.rank}" if s.rank else ""
        total = f"{s.total.normalize():f}".replace(".", ",")
        lines.append(f"Năm {s.year}: đạt {total} điểm theo “{s.table.name}”{rank}")
    return "\n".join(lines)


def achievement_initial(
    *, nomination: Nomination, member: Member | None = None, unit: Unit | None = None
) -> dict:
    """The achievement report's first draft, from the register, the initiatives and (for a
    collective) its latest accepted report and published scores. Editable afterwards. Written
    in Vietnamese whatever the page's language: it goes into the dossier's papers."""
    with translation.override("vi"):
        return _achievement_initial(nomination=nomination, member=member, unit=unit)


def _achievement_initial(*, nomination: Nomination, member: Member | None, unit: Unit | None) -> dict:
    year = nomination.round.year
    if member is not None:
        return {
            "form": "person",
            "position": member.position,
            "unit_name": member.unit.name,
            "duties": "",
            "achievements": "",
            "initiatives": _initiative_lines(Initiative.objects.filter(member=member)),
            "titles": _record_lines(AwardRecord.objects.filter(member=member)),
            "summary": "",
        }
    assert unit is not None
    return {
        "form": "collective",
        "overview": "",
        "results": _report_lines(unit),
        "scores": _score_lines(unit, year),
        "initiatives": _initiative_lines(Initiative.objects.filter(unit=unit, member__isnull=True)),
        "titles": _record_lines(AwardRecord.objects.filter(unit=unit, member__isnull=True)),
        "summary": "",
    }


def achievement_summary(nominee: Nominee, *, limit: int = 400) -> str:
    """A short summary for lists and the public notice: the written summary, else the start of
    the achievements or results."""
    a = nominee.achievement or {}
    text = a.get("summary") or a.get("achievements") or a.get("results") or ""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- public notices ----------------------------------------------------------------------------


def notices_for_user(*, user) -> QuerySet[PublicNotice]:
    return scoped(PublicNotice.objects.select_related("award", "unit", "round"), user=user)


def notice_get(*, user, pk: int, write: bool = False) -> PublicNotice:
    try:
        notice = notices_for_user(user=user).get(pk=pk)
    except (PublicNotice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_write(user=user, unit=notice.unit):
        raise PermissionDenied
    return notice


def notice_candidates(*, user, rnd: Round) -> list[tuple[Award, Unit, list[Nomination]]]:
    """(award, deciding unit, nominations) the user may publish for comment in the round: awards
    with a notice period, nominations before (or submitted to) a deciding unit the user writes."""
    nominations = (
        nominations_for_user(user=user)
        .filter(
            round=rnd,
            award__public_notice_days__gt=0,
            status__in=[Nomination.Status.SUBMITTED, Nomination.Status.AT_COUNCIL],
        )
        .select_related("award", "unit", "at_unit")
        .order_by("award__position", "id")
    )
    groups: dict[tuple[int, int], tuple[Award, Unit, list[Nomination]]] = {}
    for n in nominations:
        decider = deciding_unit_for(unit=n.unit, award=n.award)
        if n.at_unit_id != decider.pk or not can_write(user=user, unit=decider):
            continue
        groups.setdefault((n.award_id, decider.pk), (n.award, decider, []))[2].append(n)
    return list(groups.values())


def notice_nominees(notice: PublicNotice) -> list[Nominee]:
    return list(notice.nominees.select_related("unit").order_by("nomination_id", "position", "id"))


def notice_comments(notice: PublicNotice) -> QuerySet[NoticeComment]:
    return notice.comments.select_related("nominee", "moderated_by").order_by("created_at", "id")


def dossier_comments(nomination: Nomination) -> QuerySet[NoticeComment]:
    """Public comments on the nomination's nominees, and the general comments of the notices
    that published them."""
    notice_ids = PublicNotice.objects.filter(nominees__nomination=nomination).values("pk")
    return (
        NoticeComment.objects.filter(
            Q(nominee__nomination=nomination) | Q(nominee__isnull=True, notice_id__in=notice_ids)
        )
        .select_related("nominee", "notice", "moderated_by")
        .distinct()
        .order_by("created_at", "id")
    )
