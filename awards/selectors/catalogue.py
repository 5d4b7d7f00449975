"""Reads of the award catalogue: which awards a user sees, which apply to a person or unit, and
who may edit one. Access itself is decided by accounts.scoping; this only composes it."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.scoping import can_administer, is_administrator, scoped_with_above
from awards.models import Award, AwardCondition, AwardQuota, ServicePeriod
from org.models import Unit, UnitLevel

K = AwardCondition.Kind

if TYPE_CHECKING:
    from accounts.models import User


def visible_awards(*, user: User) -> QuerySet[Award]:
    """The national catalogue, plus the awards kept by units in the user's subtrees or above them
    (a province's own forms are seen by every unit of the province)."""
    kept = scoped_with_above(Award.objects.filter(unit__isnull=False), user=user, published=Q())
    return Award.objects.filter(Q(unit__isnull=True) | Q(pk__in=kept.values("pk")))


def awards_applying_to(*, unit: Unit) -> QuerySet[Award]:
    """Active awards a person or collective of `unit` may receive: the national catalogue and
    the forms kept by `unit` or a unit above it."""
    return Award.objects.filter(
        Q(unit__isnull=True) | Q(unit=unit) | Q(unit__in=unit.get_ancestors()), is_active=True
    )


def with_rules(awards: QuerySet[Award]) -> QuerySet[Award]:
    """Prefetch what `rules_of` and the detail page read, so a list costs a fixed number of queries."""
    return awards.prefetch_related(
        Prefetch("conditions", queryset=AwardCondition.objects.order_by("position", "id")),
        Prefetch("quotas", queryset=AwardQuota.objects.select_related("of_award").order_by("id")),
    )


def root_unit() -> Unit | None:
    return Unit.get_first_root_node()


def can_edit_award(*, user: User, award: Award) -> bool:
    """National awards: administrators of the root unit; a federation's own: its administrators."""
    if award.unit_id is None:
        root = root_unit()
        return root is not None and can_administer(user=user, unit=root)
    return can_administer(user=user, unit=award.unit)


def can_keep_national(*, user: User) -> bool:
    root = root_unit()
    return root is not None and can_administer(user=user, unit=root)


def can_create_award(*, user: User) -> bool:
    return is_administrator(user=user)


def award_choices(*, user: User, include: list[str] | None = None) -> list[tuple[str, str]]:
    """(code, name) of the active awards the user sees, for a condition or quota referring to
    another award; `include` keeps codes already referred to even when no longer offered."""
    q = Q(pk__in=visible_awards(user=user).filter(is_active=True).values("pk"))
    if include:
        q |= Q(code__in=include)
    return list(Award.objects.filter(q).order_by("position", "name").values_list("code", "name"))


def reach_within(*, award: Award, unit: Unit) -> Unit | None:
    """The top of the subtree, inside `unit`'s, whose people and collectives may receive `award`:
    `unit` itself for the national catalogue; a federation's own forms reach only its subtree.
    None when the two do not meet."""
    if award.unit_id is None or unit.pk == award.unit_id or unit.is_descendant_of(award.unit):
        return unit
    if award.unit.is_descendant_of(unit):
        return award.unit
    return None


# --- plain-language summaries of rules (the detail page) --------------------------------------


def _ends(offset: int) -> str:
    if offset == 0:
        return _("the year considered")
    if offset == 1:
        return _("the year before it")
    return _("%(n)s years before it") % {"n": offset}


def _level(value) -> str:
    try:
        return str(UnitLevel(int(value)).label)
    except (TypeError, ValueError):
        return str(value)


def _number(value) -> str:
    return f"{int(value):,}".replace(",", ".")


def condition_summary(kind: str, params: dict, names: dict[str, str]) -> str:
    """What a condition asks, in a sentence (its parameters, not the regulation's text)."""
    p = params or {}
    award = f"“{names.get(p.get('award', ''), p.get('award', ''))}”"
    if kind == K.AWARD_THIS_YEAR:
        return _("%(award)s in the year considered.") % {"award": award}
    if kind == K.PRIOR_AWARD:
        count = int(p.get("count") or 1)
        window = max(count, int(p.get("window") or count))
        fmt = {"award": award, "count": count, "window": window, "end": _ends(int(p.get("offset", 1) or 0))}
        if p.get("consecutive") and window == count:
            return _("%(award)s in each of the %(count)s years ending with %(end)s.") % fmt
        if p.get("consecutive"):
            return (
                _("%(award)s %(count)s years in a row within the %(window)s years ending with %(end)s.") % fmt
            )
        return (
            _("%(award)s at least %(count)s time(s) within the %(window)s years ending with %(end)s.") % fmt
        )
    if kind == K.INITIATIVE:
        text = _(
            "A recognised initiative with effect at level “%(level)s” or wider, "
            "recognised within the last %(window)s year(s)."
        ) % {"level": _level(p.get("max_level", UnitLevel.GRASSROOTS)), "window": p.get("window") or 1}
        if p.get("min_value"):
            text += " " + _("Proven yearly value at least %(value)s đ.") % {"value": _number(p["min_value"])}
        by_level = p.get("min_value_by_level") or {}
        if by_level:
            parts = [
                f"{_level(k)}: {_number(v)} đ" for k, v in sorted(by_level.items(), key=lambda kv: int(kv[0]))
            ]
            text += " " + _("Proven yearly value at least, by level of recognition: %(values)s.") % {
                "values": "; ".join(parts)
            }
        return text
    if kind == K.SERVICE_YEARS:
        text = _("%(years)s years of union service.") % {"years": p.get("years")}
        if p.get("years_female"):
            text += " " + _("Women: %(years)s years.") % {"years": p["years_female"]}
        weights = p.get("weights") or {}
        if weights:
            labels = dict(ServicePeriod.Kind.choices)
            parts = [f"{labels.get(k, k)} ×{str(w).replace('.', ',')}" for k, w in weights.items()]
            text += " " + _("Counted with weights: %(weights)s.") % {"weights": "; ".join(parts)}
        return text
    if kind == K.ONCE_IN_LIFE:
        return _("Given once in a life.")
    if kind == K.SCORE:
        parts = []
        if p.get("min_total") not in (None, ""):
            parts.append(_("at least %(points)s points") % {"points": p["min_total"]})
        if p.get("min_share") not in (None, ""):
            share = Decimal(str(p["min_share"])) * 100
            parts.append(_("at least %(share)s%% of the table's maximum") % {"share": f"{share:g}"})
        if p.get("max_rank") not in (None, ""):
            parts.append(_("rank %(rank)s or better") % {"rank": p["max_rank"]})
        offset = int(p.get("offset") or 0)
        return _("Published score of %(when)s: %(parts)s.") % {
            "when": _("the year considered") if offset == 0 else _ends(offset),
            "parts": ", ".join(parts),
        }
    return _("Confirmed by the proposing unit.")


def quota_summary(quota: AwardQuota) -> str:
    if quota.scope == AwardQuota.Scope.SHARE_OF_NOMINEES:
        of = quota.of_award.name if quota.of_award_id else _("this award")
        return _("At most %(percent)s%% of the nominees for “%(award)s”.") % {
            "percent": f"{quota.percent:g}" if quota.percent is not None else "–",
            "award": of,
        }
    return _("At most %(limit)s: %(scope)s.") % {
        "limit": quota.limit,
        "scope": quota.get_scope_display().lower(),
    }


def award_rules_view(award: Award) -> dict:
    """The award's rules for the detail page: each condition with its summary, each quota."""
    conditions = list(award.conditions.all())
    codes = {c.params.get("award") for c in conditions if (c.params or {}).get("award")}
    names = dict(Award.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return {
        "conditions": [(c, condition_summary(c.kind, c.params, names)) for c in conditions],
        "quotas": [(q, quota_summary(q)) for q in award.quotas.all()],
    }
