"""Who may receive an award: each condition judged for one person or unit (with the reason), and
the whole "who is eligible" list for a subtree computed in SQL over the register.

Both read the same rules: an award's live conditions, or the snapshot a nomination was made
under (`rules_of`), so a later edit of the catalogue never changes an old dossier's verdict.
The per-person judgement (Python over the person's few rows) and the list (one SQL query) state
each rule twice; awards/tests/test_eligibility_conditions.py holds them to the same answer.

A condition is `ok`, `missing` (not met yet, can still be: the year's review is pending, service
is still short), `blocked` (cannot be met for this year: a broken streak, already received once in
a life) or `confirm` (the proposing unit vouches for it; never blocks). Overall: any blocked →
not eligible; else any missing → not yet; else eligible.

A collective's history follows its successor: the records and initiatives of a unit merged into
another count for the unit that survived (up to MAX_SUCCESSION mergers deep)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext as _

from awards.models import PERSON_KINDS, Award, AwardRecord, Initiative, ServicePeriod
from awards.selectors.eligibility_lists import eligible_members, eligible_units
from awards.selectors.eligibility_rules import (
    COLLECTIVE,
    MAX_SUCCESSION,
    InitiativeFact,
    K,
    codes_in,
    heir,
    initiative_fits,
    lineage_ids,
    months_needed,
    rules_of,
    score_fails,
    span_of,
    unit_fits,
    unit_kinds_q,
    value_by_level,
    weights_of,
    window_of,
    years_text,
)
from org.models import Member, MemberStatus, Unit, UnitLevel, UnitStatus
from reports.selectors.published import published_sheets

# Re-exported: the engine's whole interface is this module.
__all__ = [
    "BLOCKED",
    "CONFIRM",
    "ELIGIBLE",
    "MAX_SUCCESSION",
    "MISSING",
    "NOT_ELIGIBLE",
    "NOT_YET",
    "OK",
    "ConditionResult",
    "Verdict",
    "check",
    "check_many",
    "eligible_members",
    "eligible_units",
    "heir",
    "lineage_ids",
    "rules_of",
    "service_months",
    "unit_fits",
    "unit_kinds_q",
    "window_of",
]

OK, MISSING, BLOCKED, CONFIRM = "ok", "missing", "blocked", "confirm"
ELIGIBLE, NOT_YET, NOT_ELIGIBLE = "eligible", "not_yet", "not_eligible"


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


# --- one person or unit ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Record:
    code: str
    year: int
    decision_number: str


class _Facts:
    """What the register holds about one person or unit, read once (a few small queries) and
    shared by every award judged for them."""

    def __init__(self, *, member: Member | None = None, unit: Unit | None = None) -> None:
        self.member = member
        self.unit = unit

    @cached_property
    def _units(self) -> list[int]:
        assert self.unit is not None
        return lineage_ids(self.unit)

    @cached_property
    def records(self) -> list[_Record]:
        """Valid register lines, oldest first."""
        if self.member is not None:
            qs = AwardRecord.objects.filter(member=self.member)
        else:
            qs = AwardRecord.objects.filter(unit_id__in=self._units, recipient_kind__in=COLLECTIVE)
        rows = qs.filter(status=AwardRecord.Status.VALID).order_by("year", "id")
        return [_Record(*r) for r in rows.values_list("award__code", "year", "decision_number")]

    @cached_property
    def by_code(self) -> dict[str, set[int]]:
        out: dict[str, set[int]] = {}
        for r in self.records:
            out.setdefault(r.code, set()).add(r.year)
        return out

    @cached_property
    def initiatives(self) -> list[InitiativeFact]:
        if self.member is not None:
            qs = Initiative.objects.filter(member=self.member)
        else:
            qs = Initiative.objects.filter(unit_id__in=self._units, member__isnull=True)
        rows = qs.order_by("scope_level", "-year", "id").values_list("title", "year", "scope_level", "value")
        return [InitiativeFact(*r) for r in rows]

    @cached_property
    def periods(self) -> list[tuple[str, int, int | None]]:
        assert self.member is not None
        return list(
            ServicePeriod.objects.filter(member=self.member).values_list("kind", "start_month", "end_month")
        )

    @cached_property
    def sheets(self) -> list[tuple[int, Decimal, int | None, Decimal | None]]:
        """Published (frozen) score sheets: (year, total, rank, the table's maximum)."""
        rows = (
            published_sheets(with_top=True).filter(unit=self.unit).values_list("year", "total", "rank", "top")
        )
        return list(rows)


def _prior_award(cond: dict, year: int, facts: _Facts, names: dict[str, str]) -> ConditionResult:
    params = cond["params"]
    code = params.get("award", "")
    span = span_of(cond["kind"], params, year)
    have = {y for y in facts.by_code.get(code, set()) if span.first <= y <= span.last}
    name = names.get(code, code)
    window = str(span.first) if span.first == span.last else f"{span.first}–{span.last}"
    # Years of the window still to come (the round's year and later): their review is pending.
    pending = set(range(max(span.first, year), span.last + 1))
    if span.consecutive:
        met = any(all(s + i in have for i in range(span.need)) for s in span.starts)
        possible = any(all(s + i in have or s + i in pending for i in range(span.need)) for s in span.starts)
    else:
        met = len(have) >= span.need
        possible = len(have | pending) >= span.need
    if met:
        return ConditionResult(
            cond["kind"], OK, _("%(award)s in %(years)s.") % {"award": name, "years": years_text(have)}
        )
    fmt = {"award": name, "need": span.need, "span": window, "years": years_text(have)}
    if cond["kind"] == K.AWARD_THIS_YEAR:
        reason = _("%(award)s is not recorded for %(span)s yet.") % fmt
    elif span.consecutive and span.need > 1:
        reason = _("%(award)s needed %(need)s years in a row in %(span)s; held in: %(years)s.") % fmt
    else:
        reason = _("%(award)s needed %(need)s time(s) in %(span)s; held in: %(years)s.") % fmt
    return ConditionResult(cond["kind"], MISSING if possible else BLOCKED, reason)


def _initiative(cond: dict, year: int, facts: _Facts) -> ConditionResult:
    params = cond["params"]
    hit = next((i for i in facts.initiatives if initiative_fits(params, year, i)), None)
    if hit:
        return ConditionResult(
            cond["kind"],
            OK,
            _("Initiative “%(title)s” recognised in %(year)s.") % {"title": hit.title, "year": hit.year},
        )
    window = int(params.get("window") or 1)
    level = UnitLevel(int(params.get("max_level", UnitLevel.GRASSROOTS))).label
    years = str(year) if window == 1 else f"{year - window + 1}–{year}"
    reason = _("No initiative recognised with effect at level “%(level)s” or wider in %(years)s.") % {
        "level": level,
        "years": years,
    }
    if params.get("min_value") or value_by_level(params):
        reason += " " + _("Its proven yearly value must reach the threshold of its level.")
    return ConditionResult(cond["kind"], MISSING, reason)


def _weighted_months(periods, year: int, weights: dict[str, float]) -> float:
    end_cap = year * 12 + 11
    total = 0.0
    for kind, start, end in periods:
        if start > end_cap:
            continue
        last = min(end if end is not None else end_cap, end_cap)
        total += max(0, last - start + 1) * weights.get(kind, 1.0)
    return total


def service_months(*, member: Member, year: int, weights: dict) -> float:
    """Weighted months of union service up to the end of `year`."""
    return _weighted_months(
        _Facts(member=member).periods, year, {k: float(w) for k, w in (weights or {}).items()}
    )


def _service(cond: dict, year: int, facts: _Facts) -> ConditionResult:
    params = cond["params"]
    months = _weighted_months(facts.periods, year, weights_of(params))
    need = months_needed(params, facts.member.sex)
    fmt = {"have": f"{months / 12:.1f}".replace(".", ","), "need": f"{need / 12:g}".replace(".", ",")}
    if months >= need:
        return ConditionResult(
            cond["kind"], OK, _("%(have)s weighted years of union service (needs %(need)s).") % fmt
        )
    return ConditionResult(
        cond["kind"], MISSING, _("%(have)s weighted years of union service; needs %(need)s.") % fmt
    )


def _once_in_life(cond: dict, code: str, facts: _Facts) -> ConditionResult:
    prior = next((r for r in facts.records if r.code == code), None)
    if prior is None:
        return ConditionResult(cond["kind"], OK, _("Not received before."))
    return ConditionResult(
        cond["kind"],
        BLOCKED,
        _("Already received in %(year)s (decision %(number)s); given once in a life.")
        % {"year": prior.year, "number": prior.decision_number or "–"},
    )


def _score(cond: dict, year: int, facts: _Facts) -> ConditionResult:
    params = cond["params"]
    y = year - int(params.get("offset") or 0)
    sheets = [s for s in facts.sheets if s[0] == y]
    if not sheets:
        return ConditionResult(cond["kind"], MISSING, _("No published score for %(year)s yet.") % {"year": y})
    # A unit may be scored under several tables: any one sheet meeting every bound is enough.
    sheets.sort(key=lambda s: (s[2] is None, s[2] or 0, -s[1]))
    judged = [(s, score_fails(params, s[1], s[2], s[3])) for s in sheets]
    passing = next((s for s, fails in judged if not fails), None)
    if passing is None:
        return ConditionResult(
            cond["kind"],
            BLOCKED,
            _("In %(year)s: %(fails)s.") % {"year": y, "fails": "; ".join(judged[0][1])},
        )
    return ConditionResult(
        cond["kind"],
        OK,
        _("Score %(total)s, rank %(rank)s in %(year)s.")
        % {"total": passing[1], "rank": passing[2] or "–", "year": y},
    )


def _judge(rules: dict, year: int, facts: _Facts, names: dict[str, str]) -> Verdict:
    kinds = rules["recipient_kinds"]
    results: list[ConditionResult] = []
    member, unit = facts.member, facts.unit
    if member is not None:
        if not any(k in PERSON_KINDS for k in kinds):
            return Verdict(
                NOT_ELIGIBLE,
                [ConditionResult("recipient", BLOCKED, _("This award is not given to persons."))],
            )
        if member.status != MemberStatus.ACTIVE:
            results.append(ConditionResult("recipient", BLOCKED, _("The member is no longer active.")))
    else:
        assert unit is not None
        if not unit_fits(unit, kinds):
            return Verdict(
                NOT_ELIGIBLE,
                [ConditionResult("recipient", BLOCKED, _("This award is not given to this kind of unit."))],
            )
        if unit.status != UnitStatus.ACTIVE:
            results.append(ConditionResult("recipient", BLOCKED, _("The unit is no longer active.")))
    for cond in rules["conditions"]:
        kind = cond["kind"]
        if kind in (K.PRIOR_AWARD, K.AWARD_THIS_YEAR):
            result = _prior_award(cond, year, facts, names)
        elif kind == K.INITIATIVE:
            result = _initiative(cond, year, facts)
        elif kind == K.SERVICE_YEARS:
            result = (
                _service(cond, year, facts)
                if member is not None
                else ConditionResult(kind, CONFIRM, _("Applies to persons only."))
            )
        elif kind == K.ONCE_IN_LIFE:
            result = _once_in_life(cond, rules["award"], facts)
        elif kind == K.SCORE:
            result = (
                _score(cond, year, facts)
                if unit is not None
                else ConditionResult(kind, CONFIRM, _("Applies to collectives only."))
            )
        else:
            result = ConditionResult(kind, CONFIRM, _("To be confirmed by the proposing unit."))
        result.text = cond.get("text", "")
        results.append(result)
    return Verdict(_overall(results), results)


def _names(rule_sets: Iterable[dict]) -> dict[str, str]:
    codes: set[str] = set()
    for rules in rule_sets:
        codes |= codes_in(rules["conditions"])
    return dict(Award.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


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
    return _judge(rules, year, _Facts(member=member, unit=unit), _names([rules]))


def check_many(
    *, awards: Iterable[Award], year: int, member: Member | None = None, unit: Unit | None = None
) -> list[tuple[Award, Verdict]]:
    """`check` for several awards at once (a person's eligibility page): the register is read
    once, not once per award. Prefetch `conditions` and `quotas__of_award` on `awards`."""
    awards = list(awards)
    rule_sets = [rules_of(a) for a in awards]
    facts = _Facts(member=member, unit=unit)
    names = _names(rule_sets)
    return [(a, _judge(r, year, facts, names)) for a, r in zip(awards, rule_sets, strict=True)]
