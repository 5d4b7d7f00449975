"""Quota checks made when a nomination is submitted, from the quotas in the nomination's rules
snapshot (`rules["quotas"]`).

Counted against a cap: nominees of other proposals still in play (submitted, returned for
correction, before the council, or decided but not yet in the register), the nominees of this
list, and, for the per-year caps, the register lines already awarded. Drafts of other units
are not counted (they are not proposals yet), nor withdrawn or rejected lists, removed or
failed nominees."""

from __future__ import annotations

import math
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from awards.models import Award, AwardQuota, AwardRecord, Nomination, Nominee
from awards.selectors.nominations import deciding_unit_for, provinces_of
from org import tree

IN_PLAY = [
    Nomination.Status.SUBMITTED,
    Nomination.Status.RETURNED,
    Nomination.Status.AT_COUNCIL,
    Nomination.Status.DECIDED,
]
COUNTED_NOMINEE = [Nominee.Status.PROPOSED, Nominee.Status.PASSED]


def _others(nomination: Nomination, award_id: int) -> Q:
    """Nominees of other proposals for the award in rounds of the same year, still in play."""
    return Q(
        nomination__award_id=award_id,
        nomination__round__year=nomination.round.year,
        nomination__status__in=IN_PLAY,
        status__in=COUNTED_NOMINEE,
    ) & ~Q(nomination=nomination)


def _valid_records(award_id: int, year: int) -> Q:
    return Q(award_id=award_id, year=year, status=AwardRecord.Status.VALID)


def _same_issuer_q(nomination: Nomination, decider) -> Q:
    """Proposals decided by the same unit: below it when the award has a deciding level, else
    made by that unit itself."""
    if nomination.award.decider_level is None:
        return Q(nomination__unit=decider)
    return tree.subtree_q(decider, field="nomination__unit")


def _limit_message(label: str, *, limit: int, before: int, here: int) -> str:
    return _(
        "Over the quota %(label)s: at most %(limit)s; %(before)s already proposed or awarded and "
        "%(here)s in this list (%(total)s in all)."
    ) % {"label": label, "limit": limit, "before": before, "here": here, "total": before + here}


def _issuer_year(nomination: Nomination, quota: dict, mine: list[Nominee]) -> list[str]:
    decider = deciding_unit_for(unit=nomination.unit, award=nomination.award)
    year = nomination.round.year
    pending = Nominee.objects.filter(
        _others(nomination, nomination.award_id), _same_issuer_q(nomination, decider)
    )
    records = AwardRecord.objects.filter(_valid_records(nomination.award_id, year), issuer=decider)
    before = pending.count() + records.count()
    if before + len(mine) <= quota["limit"]:
        return []
    label = _("per issuing body per year (%(unit)s, %(year)s)") % {"unit": decider.name, "year": year}
    return [_limit_message(label, limit=quota["limit"], before=before, here=len(mine))]


def _province_theme(nomination: Nomination, quota: dict, mine: list[Nominee]) -> list[str]:
    rnd = nomination.round
    provinces = provinces_of([n.unit for n in mine])
    by_province: dict[int, tuple] = {}
    for n in mine:
        province = provinces.get(n.unit_id)
        if province is not None:
            by_province.setdefault(province.pk, (province, []))[1].append(n)
    problems = []
    for province, here in by_province.values():
        pending = Nominee.objects.filter(
            tree.subtree_q(province, field="unit"),
            _others(nomination, nomination.award_id),
            nomination__round__theme=rnd.theme,
        )
        records = AwardRecord.objects.filter(
            _valid_records(nomination.award_id, rnd.year), theme=rnd.theme, province=province
        )
        before = pending.count() + records.count()
        if before + len(here) > quota["limit"]:
            label = _("per province per theme (%(province)s, %(theme)s, %(year)s)") % {
                "province": province.name,
                "theme": rnd.theme or _("no theme"),
                "year": rnd.year,
            }
            problems.append(_limit_message(label, limit=quota["limit"], before=before, here=len(here)))
    return problems


def _nation_theme(nomination: Nomination, quota: dict, mine: list[Nominee]) -> list[str]:
    rnd = nomination.round
    pending = Nominee.objects.filter(
        _others(nomination, nomination.award_id), nomination__round__theme=rnd.theme
    )
    records = AwardRecord.objects.filter(_valid_records(nomination.award_id, rnd.year), theme=rnd.theme)
    before = pending.count() + records.count()
    if before + len(mine) <= quota["limit"]:
        return []
    label = _("nationally per theme (%(theme)s, %(year)s)") % {
        "theme": rnd.theme or _("no theme"),
        "year": rnd.year,
    }
    return [_limit_message(label, limit=quota["limit"], before=before, here=len(mine))]


def _share(nomination: Nomination, quota: dict, mine: list[Nominee]) -> list[str]:
    of_award = Award.objects.filter(code=quota.get("of_award")).first() if quota.get("of_award") else None
    if of_award is None:
        return []
    base = (
        Nominee.objects.filter(
            nomination__award=of_award,
            nomination__round=nomination.round,
            nomination__unit=nomination.unit,
            status__in=COUNTED_NOMINEE,
        )
        .exclude(nomination__status__in=[Nomination.Status.WITHDRAWN, Nomination.Status.REJECTED])
        .count()
    )
    percent = Decimal(str(quota["percent"]))
    allowed = math.floor(percent * base / 100)
    if len(mine) <= allowed:
        return []
    return [
        _(
            "Over the quota: at most %(percent)s%% of the %(base)s nominees proposed for “%(of)s” "
            "by this unit in this round, that is %(allowed)s; this list has %(here)s."
        )
        % {
            "percent": f"{percent.normalize():f}",
            "base": base,
            "of": of_award.name,
            "allowed": allowed,
            "here": len(mine),
        }
    ]


CHECKS = {
    AwardQuota.Scope.ISSUER_YEAR: _issuer_year,
    AwardQuota.Scope.PROVINCE_THEME: _province_theme,
    AwardQuota.Scope.NATION_THEME: _nation_theme,
    AwardQuota.Scope.SHARE_OF_NOMINEES: _share,
}


def quota_problems(*, nomination: Nomination, nominees: list[Nominee] | None = None) -> list[str]:
    """Every quota of the nomination's rules that its list would exceed, with the numbers."""
    if nominees is None:
        nominees = list(nomination.nominees.filter(status__in=COUNTED_NOMINEE).select_related("unit"))
    if not nominees:
        return []
    problems: list[str] = []
    for quota in nomination.rules.get("quotas", []):
        check = CHECKS.get(quota.get("scope"))
        if check is None:
            continue
        if quota["scope"] == AwardQuota.Scope.SHARE_OF_NOMINEES:
            if quota.get("percent") is None:
                continue
        elif quota.get("limit") is None:
            continue
        problems += check(nomination, quota, nominees)
    return problems
