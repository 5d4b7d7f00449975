"""Who may receive an award: each condition judged for one person or unit (with the reason), and
the whole "who is eligible" list for a subtree computed in SQL over the register.

Both read the same rules: an award's live conditions, or the snapshot a nomination was made
under (`rules_of`), so a later edit of the catalogue never changes an old dossier's verdict.

A condition is `ok`, `missing` (not met yet, can still be: the year's review is pending, service
is still short), `blocked` (cannot be met for this year: a broken streak, already received once in
a life) or `confirm` (the proposing unit vouches for it; never blocks). Overall: any blocked →
not eligible; else any missing → not yet; else eligible."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext as _

from awards.models import (
    COLLECTIVE_KINDS,
    PERSON_KINDS,
    Award,
    AwardCondition,
    AwardRecord,
    Initiative,
    RecipientKind,
    ServicePeriod,
)
from org.models import Member, MemberStatus, Sex, Unit, UnitKind, UnitLevel, UnitStatus

K = AwardCondition.Kind
OK, MISSING, BLOCKED, CONFIRM = "ok", "missing", "blocked", "confirm"
ELIGIBLE, NOT_YET, NOT_ELIGIBLE = "eligible", "not_yet", "not_eligible"


def rules_of(award: Award) -> dict:
    """The award's rules as plain data: stored on a nomination when it is made."""
    return {
        "award": award.code,
        "version": award.version,
        "recipient_kinds": list(award.recipient_kinds),
        "pass_percent": str(award.pass_percent),
        "pass_strictly_more": award.pass_strictly_more,
        "secret_ballot": award.secret_ballot,
        "conditions": [
            {"kind": c.kind, "params": dict(c.params or {}), "text": c.text, "regulation": c.regulation}
            for c in award.conditions.all()
        ],
        "quotas": [
            {
                "scope": q.scope,
                "limit": q.limit,
                "percent": None if q.percent is None else str(q.percent),
                "of_award": q.of_award.code if q.of_award_id else None,
            }
            for q in award.quotas.select_related("of_award")
        ],
    }


@dataclass
class ConditionResult:
    kind: str
    status: str
    reason: str
    text: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (OK, CONFIRM)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "status": self.status,
            "ok": self.ok,
            "reason": self.reason,
            "text": self.text,
        }


@dataclass
class Verdict:
    status: str
    results: list[ConditionResult] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.status == ELIGIBLE

    @property
    def label(self) -> str:
        return {ELIGIBLE: _("Eligible"), NOT_YET: _("Not yet"), NOT_ELIGIBLE: _("Not eligible")}[self.status]


def _overall(results: list[ConditionResult]) -> str:
    if any(r.status == BLOCKED for r in results):
        return NOT_ELIGIBLE
    if any(r.status == MISSING for r in results):
        return NOT_YET
    return ELIGIBLE


def _award_ids(codes: set[str]) -> dict[str, int]:
    return dict(Award.objects.filter(code__in=codes).values_list("code", "id")) if codes else {}


def _codes_in(conditions: list[dict]) -> set[str]:
    return {c["params"]["award"] for c in conditions if c["kind"] in (K.PRIOR_AWARD, K.AWARD_THIS_YEAR)}


def _window(kind: str, params: dict, year: int) -> tuple[int, int, int]:
    """(first year, last year, times needed) of a prior-award condition."""
    if kind == K.AWARD_THIS_YEAR:
        return year, year, 1
    count = int(params.get("count", 1))
    window = count if params.get("consecutive") else int(params.get("window", count))
    last = year - int(params.get("offset", 1))
    return last - window + 1, last, count


def _years_text(years) -> str:
    return ", ".join(str(y) for y in sorted(years)) or "–"


def _months_needed(params: dict, sex: str) -> int:
    years = (
        params.get("years_female") if sex == Sex.FEMALE and params.get("years_female") else params["years"]
    )
    return int(round(Decimal(str(years)) * 12))


def _weight_case(weights: dict) -> Case | Value:
    whens = [When(kind=k, then=Value(float(w))) for k, w in (weights or {}).items()]
    return Case(*whens, default=Value(1.0), output_field=FloatField()) if whens else Value(1.0)


# --- one person or unit ------------------------------------------------------------------------


def _prior_award(
    cond: dict, year: int, records: dict[str, set[int]], names: dict[str, str]
) -> ConditionResult:
    params = cond["params"]
    code = params["award"]
    first, last, need = _window(cond["kind"], params, year)
    have = {y for y in records.get(code, set()) if first <= y <= last}
    name = names.get(code, code)
    span = str(first) if first == last else f"{first}–{last}"
    if len(have) >= need:
        return ConditionResult(
            cond["kind"], OK, _("%(award)s in %(years)s.") % {"award": name, "years": _years_text(have)}
        )
    # Years of the window that can still come: the round's year and later (their review is pending).
    still_open = sum(1 for y in range(max(first, year), last + 1) if y not in have)
    status = MISSING if len(have) + still_open >= need else BLOCKED
    return ConditionResult(
        cond["kind"],
        status,
        _("%(award)s needed %(need)s time(s) in %(span)s; held in: %(years)s.")
        % {"award": name, "need": need, "span": span, "years": _years_text(have)},
    )


def _initiative_q(params: dict, year: int) -> Q:
    """Initiatives recognised in the window, of wide enough scope and, when asked, of enough
    yearly value (one threshold, or one per level of recognition)."""
    window = int(params.get("window", 1))
    max_level = int(params.get("max_level", UnitLevel.GRASSROOTS))
    q = Q(year__gte=year - window + 1, year__lte=year, scope_level__lte=max_level)
    if params.get("min_value"):
        q &= Q(value__gte=int(params["min_value"]))
    by_level = params.get("min_value_by_level") or {}
    if by_level:
        q &= _or(Q(scope_level=int(level), value__gte=int(v)) for level, v in by_level.items())
    return q


def _or(qs) -> Q:
    out = Q(pk__in=[])
    for q in qs:
        out |= q
    return out


def _initiative(cond: dict, year: int, qs: QuerySet) -> ConditionResult:
    params = cond["params"]
    window = int(params.get("window", 1))
    first = year - window + 1
    max_level = int(params.get("max_level", UnitLevel.GRASSROOTS))
    found = qs.filter(_initiative_q(params, year))
    hit = found.order_by("scope_level", "-year").first()
    level = UnitLevel(max_level).label
    if hit:
        return ConditionResult(
            cond["kind"],
            OK,
            _("Initiative “%(title)s” recognised in %(year)s.") % {"title": hit.title, "year": hit.year},
        )
    reason = _(
        "No initiative recognised with effect at level “%(level)s” or wider in %(first)s–%(last)s."
    ) % {
        "level": level,
        "first": first,
        "last": year,
    }
    if params.get("min_value") or params.get("min_value_by_level"):
        reason += " " + _("Its proven yearly value must reach the threshold of its level.")
    return ConditionResult(cond["kind"], MISSING, reason)


def service_months(*, member: Member, year: int, weights: dict) -> float:
    """Weighted months of union service up to the end of `year`."""
    end_cap = year * 12 + 11
    total = 0.0
    for p in ServicePeriod.objects.filter(member=member, start_month__lte=end_cap):
        end = min(p.end_month if p.end_month is not None else end_cap, end_cap)
        total += max(0, end - p.start_month + 1) * float((weights or {}).get(p.kind, 1))
    return total


def _service(cond: dict, year: int, member: Member) -> ConditionResult:
    params = cond["params"]
    months = service_months(member=member, year=year, weights=params.get("weights") or {})
    need = _months_needed(params, member.sex)
    fmt = {"have": f"{months / 12:.1f}".replace(".", ","), "need": f"{need / 12:g}".replace(".", ",")}
    if months >= need:
        return ConditionResult(
            cond["kind"], OK, _("%(have)s weighted years of union service (needs %(need)s).") % fmt
        )
    return ConditionResult(
        cond["kind"], MISSING, _("%(have)s weighted years of union service; needs %(need)s.") % fmt
    )


def _score(cond: dict, year: int, unit: Unit) -> ConditionResult:
    from reports.models import ScoreSheet

    params = cond["params"]
    y = year - int(params.get("offset", 0))
    sheets = ScoreSheet.objects.filter(unit=unit, year=y, status=ScoreSheet.Status.FROZEN)
    sheet = sheets.order_by("rank", "-total").first()
    if sheet is None:
        return ConditionResult(cond["kind"], MISSING, _("No published score for %(year)s yet.") % {"year": y})
    fails = []
    if params.get("min_total") is not None and sheet.total < Decimal(str(params["min_total"])):
        fails.append(_("score %(total)s below %(min)s") % {"total": sheet.total, "min": params["min_total"]})
    if params.get("min_share") is not None:
        top = sheet.table.criteria.aggregate(t=Sum("max_points"))["t"] or 0
        if not top or sheet.total < Decimal(str(params["min_share"])) * top:
            fails.append(
                _("score %(total)s below %(share)s%% of %(max)s")
                % {"total": sheet.total, "share": Decimal(str(params["min_share"])) * 100, "max": top}
            )
    if params.get("max_rank") is not None and (sheet.rank is None or sheet.rank > int(params["max_rank"])):
        fails.append(
            _("rank %(rank)s, needs %(max)s or better")
            % {"rank": sheet.rank or "–", "max": params["max_rank"]}
        )
    if fails:
        return ConditionResult(
            cond["kind"], BLOCKED, _("In %(year)s: %(fails)s.") % {"year": y, "fails": "; ".join(fails)}
        )
    return ConditionResult(
        cond["kind"],
        OK,
        _("Score %(total)s, rank %(rank)s in %(year)s.")
        % {"total": sheet.total, "rank": sheet.rank or "–", "year": y},
    )


def _records_by_code(qs: QuerySet) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for code, y in qs.filter(status=AwardRecord.Status.VALID).values_list("award__code", "year"):
        out.setdefault(code, set()).add(y)
    return out


def check(
    *,
    award: Award,
    year: int,
    member: Member | None = None,
    unit: Unit | None = None,
    rules: dict | None = None,
) -> Verdict:
    """Judge every condition of `award` (or of a nomination's `rules`) for one person or unit."""
    rules = rules or rules_of(award)
    kinds = rules["recipient_kinds"]
    results: list[ConditionResult] = []
    if member is not None:
        if not any(k in PERSON_KINDS for k in kinds):
            return Verdict(
                NOT_ELIGIBLE,
                [ConditionResult("recipient", BLOCKED, _("This award is not given to persons."))],
            )
        if member.status != MemberStatus.ACTIVE:
            results.append(ConditionResult("recipient", BLOCKED, _("The member is no longer active.")))
        records = AwardRecord.objects.filter(member=member)
        initiatives = Initiative.objects.filter(member=member)
    else:
        assert unit is not None
        if not _unit_fits(unit, kinds):
            return Verdict(
                NOT_ELIGIBLE,
                [ConditionResult("recipient", BLOCKED, _("This award is not given to this kind of unit."))],
            )
        if unit.status != UnitStatus.ACTIVE:
            results.append(ConditionResult("recipient", BLOCKED, _("The unit is no longer active.")))
        records = AwardRecord.objects.filter(
            unit=unit, recipient_kind__in=[k.value for k in COLLECTIVE_KINDS]
        )
        initiatives = Initiative.objects.filter(unit=unit, member__isnull=True)
    conditions = rules["conditions"]
    by_code = _records_by_code(records)
    names = dict(Award.objects.filter(code__in=_codes_in(conditions)).values_list("code", "name"))
    for cond in conditions:
        kind = cond["kind"]
        if kind in (K.PRIOR_AWARD, K.AWARD_THIS_YEAR):
            result = _prior_award(cond, year, by_code, names)
        elif kind == K.INITIATIVE:
            result = _initiative(cond, year, initiatives)
        elif kind == K.SERVICE_YEARS:
            result = (
                _service(cond, year, member)
                if member is not None
                else ConditionResult(kind, CONFIRM, _("Applies to persons only."))
            )
        elif kind == K.ONCE_IN_LIFE:
            prior = (
                records.filter(award__code=rules["award"], status=AwardRecord.Status.VALID)
                .order_by("year")
                .first()
            )
            result = (
                ConditionResult(
                    kind,
                    BLOCKED,
                    _("Already received in %(year)s (decision %(number)s); given once in a life.")
                    % {"year": prior.year, "number": prior.decision_number or "–"},
                )
                if prior
                else ConditionResult(kind, OK, _("Not received before."))
            )
        elif kind == K.SCORE:
            result = (
                _score(cond, year, unit)
                if unit is not None
                else ConditionResult(kind, CONFIRM, _("Applies to collectives only."))
            )
        else:
            result = ConditionResult(kind, CONFIRM, _("To be confirmed by the proposing unit."))
        result.text = cond.get("text", "")
        results.append(result)
    return Verdict(_overall(results), results)


def _unit_fits(unit: Unit, kinds: list[str]) -> bool:
    if RecipientKind.COLLECTIVE in kinds:
        return unit.kind != UnitKind.CONFEDERATION
    return (RecipientKind.GRASSROOTS in kinds and unit.kind == UnitKind.GRASSROOTS) or (
        RecipientKind.UNION_GROUP in kinds and unit.kind == UnitKind.GROUP
    )


def unit_kinds_q(kinds: list[str]) -> Q:
    """Units that can receive an award given to `kinds`."""
    if RecipientKind.COLLECTIVE in kinds:
        return ~Q(kind=UnitKind.CONFEDERATION)
    allowed = []
    if RecipientKind.GRASSROOTS in kinds:
        allowed.append(UnitKind.GRASSROOTS)
    if RecipientKind.UNION_GROUP in kinds:
        allowed.append(UnitKind.GROUP)
    return Q(kind__in=allowed)


# --- whole lists, in SQL -----------------------------------------------------------------------


def _prior_ids(cond: dict, year: int, ids: dict[str, int], who: str, path: str) -> QuerySet:
    """Ids (member_id or unit_id) holding the award enough times in the window."""
    first, last, need = _window(cond["kind"], cond["params"], year)
    records = AwardRecord.objects.filter(
        award_id=ids.get(cond["params"]["award"], 0),
        status=AwardRecord.Status.VALID,
        year__gte=first,
        year__lte=last,
    )
    if who == "member_id":
        records = records.filter(member__unit__path__startswith=path)
    else:
        records = records.filter(
            recipient_kind__in=[k.value for k in COLLECTIVE_KINDS], unit__path__startswith=path
        )
    grouped = records.values(who).annotate(n=Count("year", distinct=True)).filter(n__gte=need)
    return grouped.values(who)


def eligible_members(*, award: Award, unit: Unit, year: int, rules: dict | None = None) -> QuerySet[Member]:
    """Active members of `unit`'s subtree meeting every condition (manual ones are left to the
    proposing unit), as one SQL query."""
    rules = rules or rules_of(award)
    if not any(k in PERSON_KINDS for k in rules["recipient_kinds"]):
        return Member.objects.none()
    conditions = rules["conditions"]
    ids = _award_ids(_codes_in(conditions) | {rules["award"]})
    qs = Member.objects.filter(status=MemberStatus.ACTIVE, unit__path__startswith=unit.path)
    for cond in conditions:
        kind, params = cond["kind"], cond["params"]
        if kind in (K.PRIOR_AWARD, K.AWARD_THIS_YEAR):
            qs = qs.filter(pk__in=_prior_ids(cond, year, ids, "member_id", unit.path))
        elif kind == K.INITIATIVE:
            found = Initiative.objects.filter(_initiative_q(params, year), member=OuterRef("pk"))
            qs = qs.filter(Exists(found))
        elif kind == K.SERVICE_YEARS:
            end_cap = year * 12 + 11
            months = (
                Least(Coalesce("end_month", Value(end_cap)), Value(end_cap)) - F("start_month") + Value(1)
            ) * _weight_case(params.get("weights") or {})
            need_m = _months_needed(params, Sex.MALE)
            need_f = _months_needed(params, Sex.FEMALE)
            served = (
                ServicePeriod.objects.filter(
                    start_month__lte=end_cap, member__unit__path__startswith=unit.path
                )
                .values("member_id", "member__sex")
                .annotate(
                    w=Sum(months, output_field=FloatField()),
                    need=Case(
                        When(member__sex=Sex.FEMALE, then=Value(need_f)),
                        default=Value(need_m),
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
    condition, as one SQL query."""
    from reports.models import Criterion, ScoreSheet

    rules = rules or rules_of(award)
    kinds = rules["recipient_kinds"]
    if not any(k in COLLECTIVE_KINDS for k in kinds):
        return Unit.objects.none()
    conditions = rules["conditions"]
    ids = _award_ids(_codes_in(conditions) | {rules["award"]})
    qs = Unit.objects.filter(unit_kinds_q(kinds), status=UnitStatus.ACTIVE, path__startswith=unit.path)
    collective = [k.value for k in COLLECTIVE_KINDS]
    for cond in conditions:
        kind, params = cond["kind"], cond["params"]
        if kind in (K.PRIOR_AWARD, K.AWARD_THIS_YEAR):
            qs = qs.filter(pk__in=_prior_ids(cond, year, ids, "unit_id", unit.path))
        elif kind == K.INITIATIVE:
            found = Initiative.objects.filter(
                _initiative_q(params, year), unit=OuterRef("pk"), member__isnull=True
            )
            qs = qs.filter(Exists(found))
        elif kind == K.ONCE_IN_LIFE:
            held = AwardRecord.objects.filter(
                unit=OuterRef("pk"),
                recipient_kind__in=collective,
                award_id=ids.get(rules["award"], 0),
                status=AwardRecord.Status.VALID,
            )
            qs = qs.filter(~Exists(held))
        elif kind == K.SCORE:
            sheets = ScoreSheet.objects.filter(
                unit=OuterRef("pk"), year=year - int(params.get("offset", 0)), status=ScoreSheet.Status.FROZEN
            )
            if params.get("min_total") is not None:
                sheets = sheets.filter(total__gte=Decimal(str(params["min_total"])))
            if params.get("max_rank") is not None:
                sheets = sheets.filter(rank__lte=int(params["max_rank"]))
            if params.get("min_share") is not None:
                top = (
                    Criterion.objects.filter(table=OuterRef("table"))
                    .values("table")
                    .annotate(t=Sum("max_points"))
                    .values("t")
                )
                sheets = sheets.annotate(top=Subquery(top)).filter(
                    total__gte=F("top") * Value(Decimal(str(params["min_share"])))
                )
            qs = qs.filter(Exists(sheets))
    return qs
