"""Small builders for awards tests, straight through the ORM (each area's services are tested
on their own; these only set the stage). The default catalogue is loaded by migration 0002."""

from __future__ import annotations

import datetime

from awards.models import (
    Award,
    AwardRecord,
    Council,
    CouncilMember,
    Initiative,
    Nomination,
    Nominee,
    RecipientKind,
    Round,
    ServicePeriod,
)
from awards.selectors.eligibility import rules_of
from lib.text import fold
from org.models import Member, Unit, UnitLevel


def award(code: str) -> Award:
    return Award.objects.get(code=code)


def record(
    code: str, year: int, *, member: Member | None = None, unit: Unit | None = None, **extra
) -> AwardRecord:
    """A valid register line (as if imported from an old register)."""
    if member is not None:
        kind = extra.pop("recipient_kind", RecipientKind.MEMBER)
        unit = unit or member.unit
        name = member.full_name
    else:
        kind = extra.pop("recipient_kind", RecipientKind.COLLECTIVE)
        name = unit.name
    return AwardRecord.objects.create(
        award=award(code),
        year=year,
        recipient_kind=kind,
        member=member,
        unit=unit,
        name=extra.pop("name", name),
        name_folded=fold(extra.pop("name", name)),
        unit_name=unit.name,
        sex=member.sex if member else "",
        source=extra.pop("source", AwardRecord.Source.IMPORT),
        decision_number=extra.pop("decision_number", f"{year}/QĐ-TEST"),
        **extra,
    )


def initiative(
    *,
    year: int,
    level: int = UnitLevel.GRASSROOTS,
    member=None,
    unit=None,
    value=None,
    title="Sáng kiến cải tiến máy may",
):
    return Initiative.objects.create(
        member=member, unit=unit or member.unit, title=title, year=year, scope_level=level, value=value
    )


def service(member: Member, start: datetime.date, end: datetime.date | None = None, kind: str = "full_time"):
    return ServicePeriod.objects.create(member=member, kind=kind, start=start, end=end)


def make_round(unit: Unit, year: int = 2025, codes: tuple[str, ...] = (), **extra) -> Round:
    rnd = Round.objects.create(
        unit=unit, name=extra.pop("name", f"Khen thưởng năm {year}"), year=year, **extra
    )
    if codes:
        rnd.awards.set(Award.objects.filter(code__in=codes))
    return rnd


def make_nomination(rnd: Round, code: str, unit: Unit, *, members=(), units=(), **extra) -> Nomination:
    """A draft nomination with persons and/or collectives (eligibility not judged here)."""
    aw = award(code)
    nomination = Nomination.objects.create(
        round=rnd, award=aw, unit=unit, at_unit=unit, rules=rules_of(aw), award_version=aw.version, **extra
    )
    for i, m in enumerate(members):
        Nominee.objects.create(
            nomination=nomination,
            recipient_kind=RecipientKind.MEMBER,
            member=m,
            unit=m.unit,
            name=m.full_name,
            position=i,
        )
    for i, u in enumerate(units):
        Nominee.objects.create(
            nomination=nomination,
            recipient_kind=RecipientKind.COLLECTIVE,
            unit=u,
            name=u.name,
            position=100 + i,
        )
    return nomination


def make_council(unit: Unit, seats: list[tuple[str, Unit | None, Member | None]]) -> Council:
    """A council whose seats are (full name, the unit they work at, their member record)."""
    council = Council.objects.create(unit=unit, name=f"Hội đồng Thi đua - Khen thưởng {unit.name}")
    for i, (name, seat_unit, member) in enumerate(seats):
        CouncilMember.objects.create(
            council=council,
            full_name=name,
            unit=seat_unit,
            member=member,
            role=CouncilMember.Role.CHAIR if i == 0 else CouncilMember.Role.MEMBER,
        )
    return council
