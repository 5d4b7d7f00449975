"""An award's rules as data, and their parameters read the same way by both judges of
eligibility (awards/selectors/eligibility.py for one person, eligibility_lists.py for a whole
list in SQL): windows of years, thresholds, weights, and a collective's successors."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.db.models import Case, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from awards.models import COLLECTIVE_KINDS, Award, AwardCondition, RecipientKind
from org.models import Sex, Unit, UnitKind, UnitLevel

K = AwardCondition.Kind
COLLECTIVE = [k.value for k in COLLECTIVE_KINDS]

# How many mergers deep a collective's records are followed to the unit that survived. Units are
# rarely merged more than twice; the SQL joins Unit once per step.
MAX_SUCCESSION = 4


def rules_of(award: Award) -> dict:
    """The award's rules as plain data: stored on a nomination when it is made."""
    prefetched = getattr(award, "_prefetched_objects_cache", {})
    quotas = award.quotas.all() if "quotas" in prefetched else award.quotas.select_related("of_award")
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
            for q in quotas
        ],
    }


# --- reading the parameters (shared by both ways of judging) -----------------------------------


def award_ids(codes: set[str]) -> dict[str, int]:
    return dict(Award.objects.filter(code__in=codes).values_list("code", "id")) if codes else {}


def codes_in(conditions: list[dict]) -> set[str]:
    return {
        c["params"]["award"]
        for c in conditions
        if c["kind"] in (K.PRIOR_AWARD, K.AWARD_THIS_YEAR) and c["params"].get("award")
    }


@dataclass(frozen=True)
class Span:
    first: int
    last: int
    need: int
    consecutive: bool

    @property
    def starts(self) -> range:
        """First years of the runs of `need` years in a row that fit in the window."""
        return range(self.first, self.last - self.need + 2)


def span_of(kind: str, params: dict, year: int) -> Span:
    """The window of a prior-award condition: N times in the W years ending `offset` years before
    the round's year; consecutive: N years in a row inside it (W defaults to N: the last N years)."""
    if kind == K.AWARD_THIS_YEAR:
        return Span(year, year, 1, False)
    need = max(1, int(params.get("count") or 1))
    window = max(need, int(params.get("window") or need))
    last = year - int(params.get("offset", 1) or 0)
    return Span(last - window + 1, last, need, bool(params.get("consecutive")))


def window_of(kind: str, params: dict, year: int) -> tuple[int, int, int]:
    """(first year, last year, times needed) of a prior-award condition."""
    span = span_of(kind, params, year)
    return span.first, span.last, span.need


def years_text(years) -> str:
    return ", ".join(str(y) for y in sorted(years)) or "–"


def months_needed(params: dict, sex: str) -> int:
    years = (
        params.get("years_female") if sex == Sex.FEMALE and params.get("years_female") else params["years"]
    )
    return int(round(Decimal(str(years)) * 12))


def weights_of(params: dict) -> dict[str, float]:
    return {k: float(w) for k, w in (params.get("weights") or {}).items() if w not in (None, "")}


def weight_case(weights: dict) -> Case | Value:
    whens = [When(kind=k, then=Value(float(w))) for k, w in (weights or {}).items()]
    return Case(*whens, default=Value(1.0), output_field=FloatField()) if whens else Value(1.0)


def value_by_level(params: dict) -> dict[int, int]:
    return {
        int(level): int(v)
        for level, v in (params.get("min_value_by_level") or {}).items()
        if v not in (None, "")
    }


def initiative_q(params: dict, year: int) -> Q:
    """Initiatives recognised in the window, of wide enough scope and, when asked, of enough
    yearly value (one threshold, or one per level of recognition)."""
    window = int(params.get("window") or 1)
    max_level = int(params.get("max_level", UnitLevel.GRASSROOTS))
    q = Q(year__gte=year - window + 1, year__lte=year, scope_level__lte=max_level)
    if params.get("min_value"):
        q &= Q(value__gte=int(params["min_value"]))
    by_level = value_by_level(params)
    if by_level:
        q &= any_of(Q(scope_level=level, value__gte=v) for level, v in by_level.items())
    return q


def initiative_fits(params: dict, year: int, ini: InitiativeFact) -> bool:
    """The same rule as `initiative_q`, for one initiative already read."""
    window = int(params.get("window") or 1)
    max_level = int(params.get("max_level", UnitLevel.GRASSROOTS))
    if not (year - window + 1 <= ini.year <= year and ini.scope_level <= max_level):
        return False
    if params.get("min_value") and (ini.value is None or ini.value < int(params["min_value"])):
        return False
    by_level = value_by_level(params)
    if by_level:
        need = by_level.get(ini.scope_level)
        if need is None or ini.value is None or ini.value < need:
            return False
    return True


def any_of(qs: Iterable[Q]) -> Q:
    """The OR of several Qs (never empty here). Not seeded with a Q on pk: inside HAVING that
    would add the primary key to GROUP BY."""
    return reduce(operator.or_, qs)


def plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def score_fails(params: dict, total: Decimal, rank: int | None, top: Decimal | None) -> list[str]:
    fails = []
    if params.get("min_total") not in (None, "") and total < Decimal(str(params["min_total"])):
        fails.append(_("score %(total)s below %(min)s") % {"total": total, "min": params["min_total"]})
    if params.get("min_share") not in (None, ""):
        share = Decimal(str(params["min_share"]))
        if not top or total < share * top:
            fails.append(
                _("score %(total)s below %(share)s%% of %(max)s")
                % {"total": total, "share": plain(share * 100), "max": top or 0}
            )
    if params.get("max_rank") not in (None, "") and (rank is None or rank > int(params["max_rank"])):
        fails.append(
            _("rank %(rank)s, needs %(max)s or better") % {"rank": rank or "–", "max": params["max_rank"]}
        )
    return fails


# --- a collective's successors -----------------------------------------------------------------


def heir(unit_field: str = "unit") -> Coalesce:
    """The unit a row of `unit_field` now belongs to: the end of its unit's successor chain."""
    steps = [f"{unit_field}__" + "successor__" * (n - 1) + "successor" for n in range(MAX_SUCCESSION, 0, -1)]
    return Coalesce(*steps, unit_field, output_field=IntegerField())


def lineage_ids(unit: Unit) -> list[int]:
    """The unit and every unit merged into it (directly or through others), as `heir` follows them."""
    ids, frontier = [unit.pk], [unit.pk]
    for _step in range(MAX_SUCCESSION):
        frontier = list(Unit.objects.filter(successor_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids += frontier
    return ids


@dataclass(frozen=True)
class InitiativeFact:
    title: str
    year: int
    scope_level: int
    value: int | None


def unit_fits(unit: Unit, kinds: list[str]) -> bool:
    """Whether `unit` is of a kind an award given to `kinds` can go to."""
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
