"""Builders for the nomination tests: officers at the school and the province, awards with
quotas, and a list driven through the services up to a given point."""

from __future__ import annotations

import itertools

from accounts.models import Role
from awards.models import Award, AwardQuota, Nomination
from awards.services import nominations as services
from lib.testing import make_user
from lib.text import fold
from org.models import Sex, UnitLevel
from org.services.members import member_create

_codes = itertools.count(1)


def officers(t) -> None:
    """sam: officer of the school (grassroots); quinn: officer of the Quảng Trị federation."""
    t.sam = make_user("sam", t.school, Role.Kind.OFFICER, full_name="Sam")
    t.quinn = make_user("quinn", t.quangtri, Role.Kind.OFFICER, full_name="Quinn")
    t.root_officer = make_user("tld", t.root, Role.Kind.OFFICER, full_name="Tổng LĐLĐ")


def member(unit, name: str, sex: str = Sex.MALE, **extra):
    return member_create(unit=unit, full_name=name, sex=sex, **extra)


def quota_award(
    *, scope: str, limit: int | None = None, percent=None, of_award: Award | None = None, **extra
) -> Award:
    """An award without conditions (everyone eligible) and one quota."""
    n = next(_codes)
    name = extra.pop("name", f"Bằng khen thử nghiệm {n}")
    award = Award.objects.create(
        code=f"thu-nghiem-{n}",
        name=name,
        name_folded=fold(name),
        kind=Award.Kind.FORM,
        recipient_kinds=extra.pop("recipient_kinds", ["member", "person", "collective"]),
        proposer_levels=extra.pop(
            "proposer_levels",
            [UnitLevel.CONFEDERATION, UnitLevel.PROVINCE, UnitLevel.UPPER, UnitLevel.GRASSROOTS],
        ),
        decider_level=extra.pop("decider_level", UnitLevel.PROVINCE),
        **extra,
    )
    AwardQuota.objects.create(award=award, scope=scope, limit=limit, percent=percent, of_award=of_award)
    return award


def proposal(
    rnd,
    award: Award,
    unit,
    by,
    *,
    members=(),
    units=(),
    minutes: str = "01/BB-HĐTĐKT",
    grounds: str = "",
    submit: bool = False,
) -> Nomination:
    """A list made through the services (eligibility judged), submitted when asked."""
    if not rnd.awards.filter(pk=award.pk).exists():
        rnd.awards.add(award)
    nomination = services.nomination_create(
        round=rnd, award=award, unit=unit, created_by=by, minutes_number=minutes
    )
    for m in members:
        services.nominee_add(nomination=nomination, added_by=by, member=m, override_ground=grounds)
    for u in units:
        services.nominee_add(nomination=nomination, added_by=by, unit=u, override_ground=grounds)
    if submit:
        services.nomination_submit(nomination=nomination, submitted_by=by)
    nomination.refresh_from_db()
    return nomination
