"""The "who is eligible" lists: every active person or unit of a subtree meeting an award's
conditions, as one SQL query over the register. Each rule is stated as in
awards/selectors/eligibility.py's per-person judgement; the tests hold both to the same answer."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from awards.models import COLLECTIVE_KINDS, PERSON_KINDS, Award, AwardRecord, Initiative, ServicePeriod
from awards.selectors.eligibility_rules import (
    COLLECTIVE,
    K,
    any_of,
    award_ids,
    codes_in,
    heir,
    initiative_q,
    months_needed,
    rules_of,
    span_of,
    unit_kinds_q,
    weight_case,
    weights_of,
)
from org import tree
from org.models import Member, MemberStatus, Sex, Unit, UnitStatus
from reports.selectors.published import published_sheets


def _prior_ids(cond: dict, year: int, ids: dict[str, int], who: str, unit: Unit) -> QuerySet:
    """Ids (member_id, or the heir unit's id) holding the award enough times in the window."""
    span = span_of(cond["kind"], cond["params"], year)
    records = AwardRecord.objects.filter(
        award_id=ids.get(cond["params"].get("award", ""), 0),
        status=AwardRecord.Status.VALID,
        year__gte=span.first,
        year__lte=span.last,
    )
    # At the root the subtree join adds nothing (the outer query keeps the subtree) but costs a
    # scan of every member nationally; below the root it narrows the records a lot.
    whole_tree = tree.parent_path(unit) is None
    if who == "member_id":
        if not whole_tree:
            records = records.filter(tree.subtree_q(unit, field="member__unit"))
        records = records.values("member_id")
    else:
        # Merged units lie under the unit that survived, so the subtree filter still holds them.
        records = records.filter(recipient_kind__in=COLLECTIVE)
        if not whole_tree:
            records = records.filter(tree.subtree_q(unit, field="unit"))
        records = records.annotate(heir_id=heir()).values("heir_id")
        who = "heir_id"
    if span.consecutive and len(span.starts) > 1:
        # Some run of `need` years in a row inside the window: one count per possible start.
        counts = {
            f"run{s}": Count("year", filter=Q(year__gte=s, year__lte=s + span.need - 1), distinct=True)
            for s in span.starts
        }
        grouped = records.annotate(**counts).filter(any_of(Q(**{f"{k}__gte": span.need}) for k in counts))
    else:
        grouped = records.annotate(n=Count("year", distinct=True)).filter(n__gte=span.need)
    return grouped.values(who)


def eligible_members(*, award: Award, unit: Unit, year: int, rules: dict | None = None) -> QuerySet[Member]:
    """Active members of `unit`'s subtree meeting every condition (manual ones are left to the
    proposing unit), as one SQL query."""
    rules = rules or rules_of(award)
    if not any(k in PERSON_KINDS for k in rules["recipient_kinds"]):
        return Member.objects.none()
    conditions = rules["conditions"]
    ids = award_ids(codes_in(conditions) | {rules["award"]})
    qs = Member.objects.filter(tree.subtree_q(unit, field="unit"), status=MemberStatus.ACTIVE)
    for cond in conditions:
        kind, params = cond["kind"], cond["params"]
        if kind in (K.PRIOR_AWARD, K.AWARD_THIS_YEAR):
            qs = qs.filter(pk__in=_prior_ids(cond, year, ids, "member_id", unit))
        elif kind == K.INITIATIVE:
            found = Initiative.objects.filter(initiative_q(params, year), member=OuterRef("pk"))
            qs = qs.filter(Exists(found))
        elif kind == K.SERVICE_YEARS:
            end_cap = year * 12 + 11
            span = Least(Coalesce("end_month", Value(end_cap)), Value(end_cap)) - F("start_month") + Value(1)
            months = Greatest(span, Value(0)) * weight_case(weights_of(params))
            served = (
                ServicePeriod.objects.filter(
                    tree.subtree_q(unit, field="member__unit"), start_month__lte=end_cap
                )
                .values("member_id", "member__sex")
                .annotate(
                    w=Sum(months, output_field=FloatField()),
                    need=Case(
                        When(member__sex=Sex.FEMALE, then=Value(months_needed(params, Sex.FEMALE))),
                        default=Value(months_needed(params, Sex.MALE)),
                        output_field=IntegerField(),
                    ),
                )
                .filter(w__gte=F("need"))
                .values("member_id")
            )
            qs = qs.filter(pk__in=served)
        elif kind == K.ONCE_IN_LIFE:
            held = AwardRecord.objects.filter(
                member=OuterRef("pk"), award_id=ids.get(rules["award"], 0), status=AwardRecord.Status.VALID
            )
            qs = qs.filter(~Exists(held))
        # score: collectives only; manual: vouched for by the proposer
    return qs


def eligible_units(*, award: Award, unit: Unit, year: int, rules: dict | None = None) -> QuerySet[Unit]:
    """Active units of `unit`'s subtree (of the kinds the award is given to) meeting every
    condition, as one SQL query. Records and initiatives of merged units count for their heir."""
    rules = rules or rules_of(award)
    kinds = rules["recipient_kinds"]
    if not any(k in COLLECTIVE_KINDS for k in kinds):
        return Unit.objects.none()
    conditions = rules["conditions"]
    ids = award_ids(codes_in(conditions) | {rules["award"]})
    qs = Unit.objects.filter(tree.subtree_q(unit), unit_kinds_q(kinds), status=UnitStatus.ACTIVE)
    for cond in conditions:
        kind, params = cond["kind"], cond["params"]
        if kind in (K.PRIOR_AWARD, K.AWARD_THIS_YEAR):
            qs = qs.filter(pk__in=_prior_ids(cond, year, ids, "unit_id", unit))
        elif kind == K.INITIATIVE:
            found = Initiative.objects.filter(
                tree.subtree_q(unit, field="unit"), initiative_q(params, year), member__isnull=True
            )
            qs = qs.filter(pk__in=found.annotate(heir_id=heir()).values("heir_id"))
        elif kind == K.ONCE_IN_LIFE:
            held = AwardRecord.objects.filter(
                tree.subtree_q(unit, field="unit"),
                recipient_kind__in=COLLECTIVE,
                award_id=ids.get(rules["award"], 0),
                status=AwardRecord.Status.VALID,
            )
            qs = qs.exclude(pk__in=held.annotate(heir_id=heir()).values("heir_id"))
        elif kind == K.SCORE:
            with_top = params.get("min_share") not in (None, "")
            sheets = published_sheets(with_top=with_top).filter(
                unit=OuterRef("pk"), year=year - int(params.get("offset") or 0)
            )
            if params.get("min_total") not in (None, ""):
                sheets = sheets.filter(total__gte=Decimal(str(params["min_total"])))
            if params.get("max_rank") not in (None, ""):
                sheets = sheets.filter(rank__lte=int(params["max_rank"]))
            if with_top:
                sheets = sheets.filter(
                    top__gt=0, total__gte=F("top") * Value(Decimal(str(params["min_share"])))
                )
            qs = qs.filter(Exists(sheets))
    return qs
