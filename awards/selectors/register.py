"""Reads of the register (sổ khen thưởng): search and filters, a person's and a unit's register,
and the statistics. Every read starts from `accounts.scoping`: a line is visible when its unit
(the person's unit then, or the collective itself) lies in the user's subtree.

A person's line follows the person: the person's page also shows the lines given while they
were in a unit outside the user's subtree, once the member is in it now. A collective's line
keeps its unit; a merged unit points to its successor (`Unit.successor`) and lies under it, so
the survivor's register gathers the lines of every unit merged into it, under the old names."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.scoping import scoped, scoped_with_above
from awards.models import COLLECTIVE_KINDS, PERSON_KINDS, Award, AwardRecord
from lib.pagination import CheapPage, cheap_page
from org import tree
from org.models import Member, Sector, Sex, Unit, UnitLevel
from org.selectors.search import bounded_page, name_filter, name_prefix_filter

if TYPE_CHECKING:
    from accounts.models import User

PERSON, COLLECTIVE = "person", "collective"
NO_LEVEL = "none"  # decided outside the union, or unknown in an old register
# Fields a register page shows; the rest of a line stays in the database.
LIST_RELATED = ("award", "revoked_by")


@dataclass(frozen=True)
class RegisterFilters:
    """What a register search asks for; empty values mean "any"."""

    q: str = ""
    award: Award | None = None
    year_from: int | None = None
    year_to: int | None = None
    kind: str = ""  # PERSON | COLLECTIVE
    level: str = ""  # a UnitLevel value as text, or NO_LEVEL
    sector: str = ""
    sex: str = ""
    status: str = ""
    unit: Unit | None = None  # its whole subtree


def visible_records(*, user: User, within: Unit | None = None) -> QuerySet[AwardRecord]:
    """Every register line the user may read (of `within`'s subtree when given)."""
    return scoped(AwardRecord.objects.all(), user=user, unit_field="unit", within=within)


def matching_records(*, user: User, filters: RegisterFilters) -> QuerySet[AwardRecord]:
    """The lines the user may read that match `filters`. A unit filter becomes the scope itself:
    one path condition, not the user's subtree and the unit's (accounts.scoping.scoped)."""
    return filter_records(visible_records(user=user, within=filters.unit), replace(filters, unit=None))


def visible_awards(*, user: User) -> QuerySet[Award]:
    """Awards a register may be filtered by: the national catalogue, and the federations' own
    awards of the user's subtree and of the units above it."""
    own = scoped_with_above(Award.objects.filter(unit__isnull=False), user=user, published=Q())
    return Award.objects.filter(Q(unit__isnull=True) | Q(pk__in=own.values("pk"))).order_by(
        "position", "name"
    )


def filter_records(records: QuerySet[AwardRecord], filters: RegisterFilters) -> QuerySet[AwardRecord]:
    """`records` narrowed by every filter that is set."""
    f = filters
    if f.q:
        records = name_filter(records, f.q, field="name_folded")
    if f.award is not None:
        records = records.filter(award=f.award)
    if f.year_from:
        records = records.filter(year__gte=f.year_from)
    if f.year_to:
        records = records.filter(year__lte=f.year_to)
    if f.kind == PERSON:
        records = records.filter(recipient_kind__in=PERSON_KINDS)
    elif f.kind == COLLECTIVE:
        records = records.filter(recipient_kind__in=COLLECTIVE_KINDS)
    if f.level == NO_LEVEL:
        records = records.filter(issuer_level__isnull=True)
    elif f.level.isdigit() and int(f.level) in UnitLevel.values:
        records = records.filter(issuer_level=int(f.level))
    if f.sector in Sector.values:
        records = records.filter(sector=f.sector)
    if f.sex in Sex.values:
        records = records.filter(sex=f.sex)
    if f.status in AwardRecord.Status.values:
        records = records.filter(status=f.status)
    if f.unit is not None:
        records = records.filter(tree.subtree_q(f.unit, field="unit"))
    return records


def register_search(*, user: User, filters: RegisterFilters | None = None) -> QuerySet[AwardRecord]:
    """The register lines the user may read that match `filters`, newest year first."""
    records = matching_records(user=user, filters=filters or RegisterFilters())
    return records.select_related(*LIST_RELATED).order_by("-year", "name_folded", "-id")


def register_page(
    *, user: User, filters: RegisterFilters | None = None, page: str | None = None
) -> CheapPage:
    """One page of `register_search`. With a name query it orders at most SEARCH_CAP matches
    (org.selectors.search.bounded_page; the page says when more matched): a common name matches
    millions of lines nationally and ordering them all takes seconds."""
    filters = filters or RegisterFilters()
    if not filters.q:
        return cheap_page(register_search(user=user, filters=filters), page)
    records = matching_records(user=user, filters=filters)
    unfiltered = matching_records(user=user, filters=replace(filters, q=""))
    return bounded_page(
        records,
        page,
        order_by=("-year", "name_folded", "-id"),
        related=LIST_RELATED,
        first=name_prefix_filter(unfiltered, filters.q),
    )


# --- one person, one unit ------------------------------------------------------------------


@dataclass
class PersonRegister:
    member: Member
    member_visible: bool  # the member is in the user's subtree now: all their lines show
    records: QuerySet[AwardRecord]


def person_register(*, user: User, member_id: int) -> PersonRegister | None:
    """A member's lines wherever they were then; None when the user may see neither the member
    nor any of their lines (the view answers 404 either way)."""
    member = Member.objects.select_related("unit").filter(pk=member_id).first()
    if member is None:
        return None
    records = AwardRecord.objects.filter(member=member)
    member_visible = scoped(Member.objects.filter(pk=member.pk), user=user).exists()
    if not member_visible:
        records = scoped(records, user=user, unit_field="unit")
        if not records.exists():
            return None
    records = records.select_related(*LIST_RELATED).order_by("-year", "-id")
    return PersonRegister(member=member, member_visible=member_visible, records=records)


def unit_lineage(*, unit: Unit) -> list[Unit]:
    """The unit, then every unit whose chain of successors leads to it (merged into it, or into
    a unit later merged into it), nearest first. One query per generation of mergers."""
    lineage = [unit]
    seen = {unit.pk}
    frontier = [unit.pk]
    while frontier:
        found = [
            u for u in Unit.objects.filter(successor_id__in=frontier).order_by("name") if u.pk not in seen
        ]
        lineage.extend(found)
        seen.update(u.pk for u in found)
        frontier = [u.pk for u in found]
    return lineage


def unit_register(
    *, user: User, unit: Unit, lineage: list[Unit] | None = None, below: bool = False, kind: str = ""
) -> QuerySet[AwardRecord]:
    """Lines of the unit and of the units merged into it (collective awards and the awards of
    the people who were there), or of their whole subtrees with `below`."""
    lineage = lineage if lineage is not None else unit_lineage(unit=unit)
    if below:
        q = Q()
        for u in lineage:  # a handful of mergers at most: the OR stays short
            q |= tree.subtree_q(u, field="unit")
        records = AwardRecord.objects.filter(q)
    else:
        records = AwardRecord.objects.filter(unit__in=[u.pk for u in lineage])
    records = filter_records(records, RegisterFilters(kind=kind))
    return (
        scoped(records, user=user, unit_field="unit").select_related(*LIST_RELATED).order_by("-year", "-id")
    )


def record_for_user(*, user: User, pk: int) -> AwardRecord | None:
    """One line: readable when its unit is in the user's subtree, or (a person's line follows
    the person) when its member is in the user's subtree now."""
    base = AwardRecord.objects.select_related(
        "award", "member", "unit", "issuer", "province", "decision", "revoked_by", "created_by"
    ).filter(pk=pk)
    record = scoped(base, user=user, unit_field="unit").first()
    if record is None:
        record = scoped(base.filter(member__isnull=False), user=user, unit_field="member__unit").first()
    return record


# --- statistics ------------------------------------------------------------------------------


@dataclass
class StatRow:
    key: object
    label: str
    persons: int = 0
    collectives: int = 0
    female: int = 0

    @property
    def total(self) -> int:
        return self.persons + self.collectives


def _counts() -> dict:
    """Counts per group, computed by the database (one GROUP BY query per table)."""
    return {
        "persons": Count("id", filter=Q(recipient_kind__in=PERSON_KINDS)),
        "collectives": Count("id", filter=Q(recipient_kind__in=COLLECTIVE_KINDS)),
        "female": Count("id", filter=Q(recipient_kind__in=PERSON_KINDS, sex=Sex.FEMALE)),
    }


def _rows(records: QuerySet, key: str, label_of, *, extra: tuple[str, ...] = ()) -> list[StatRow]:
    rows = []
    for values in records.order_by().values(key, *extra).annotate(**_counts()):
        rows.append(
            StatRow(
                key=values[key],
                label=label_of(values),
                persons=values["persons"],
                collectives=values["collectives"],
                female=values["female"],
            )
        )
    return rows


def register_stats(*, user: User, filters: RegisterFilters | None = None) -> dict[str, list[StatRow]]:
    """Valid awards of the user's subtree (narrowed by `filters`), counted by year, award,
    issuing level, sector and sex: five GROUP BY queries whatever the size of the register."""
    filters = filters or RegisterFilters()
    records = matching_records(user=user, filters=filters).filter(status=AwardRecord.Status.VALID)
    levels = dict(UnitLevel.choices)
    sectors = dict(Sector.choices)
    sexes = dict(Sex.choices)
    by_year = sorted(_rows(records, "year", lambda v: str(v["year"])), key=lambda r: r.key)
    by_award = sorted(
        _rows(records, "award_id", lambda v: v["award__name"], extra=("award__name",)),
        key=lambda r: (-r.total, r.label),
    )
    by_level = sorted(
        _rows(
            records,
            "issuer_level",
            lambda v: str(levels.get(v["issuer_level"], _("Outside the union or not recorded"))),
        ),
        key=lambda r: (r.key is None, r.key if r.key is not None else 0),
    )
    by_sector = sorted(
        _rows(records, "sector", lambda v: str(sectors.get(v["sector"], _("Not recorded")))),
        key=lambda r: (r.key not in sectors, r.label),
    )
    person_records = records.filter(recipient_kind__in=PERSON_KINDS)
    by_sex = sorted(
        _rows(person_records, "sex", lambda v: str(sexes.get(v["sex"], _("Not recorded")))),
        key=lambda r: (r.key not in sexes, r.label),
    )
    return {"year": by_year, "award": by_award, "level": by_level, "sector": by_sector, "sex": by_sex}


def stats_totals(rows: list[StatRow]) -> StatRow:
    """The sum of a statistics table (one row)."""
    total = StatRow(key=None, label=_("Altogether"))
    for row in rows:
        total.persons += row.persons
        total.collectives += row.collectives
        total.female += row.female
    return total
