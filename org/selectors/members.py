"""Reads of members for pages and exports: the scoped, filtered list and one member's history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.db.models.functions import Lower

from accounts.scoping import get_for_user, scoped
from lib.pagination import CheapPage, cheap_page
from org.models import Member, MemberMove, MemberStatus, Sex, Unit
from org.selectors.search import bounded_page, member_prefix_filter, member_search

if TYPE_CHECKING:
    from accounts.models import User


def member_filter_unit(*, user: User, unit_id: str | int | None) -> Unit | None:
    """The unit a list is limited to: None when not asked; 404 when missing or out of scope."""
    if unit_id in (None, ""):
        return None
    return get_for_user(Unit, user, pk=unit_id)


def _members(*, user: User, unit: Unit | None, status: str, sex: str) -> QuerySet[Member]:
    """Members the user may read, limited to `unit`'s subtree and the filters."""
    members = scoped(Member.objects.all(), user=user, within=unit)
    if status in MemberStatus.values:
        members = members.filter(status=status)
    if sex in Sex.values:
        members = members.filter(sex=sex)
    return members


def member_list(
    *, user: User, unit: Unit | None = None, q: str = "", status: str = "", sex: str = ""
) -> QuerySet[Member]:
    """Members the user may read, limited to `unit`'s subtree and the filters, in name order:
    every match (the exports). A page uses `member_page`."""
    members = _members(user=user, unit=unit, status=status, sex=sex).select_related("unit")
    if not q:
        return members.order_by("name_folded", "id")
    # Matches of a name query cluster in name order (all 'ngu' are at 'nguyen ...'), so walking
    # the name_folded index until 50 rows match can read most of the table. Lower() changes
    # nothing on the folded name but takes that index out of the planner's choice.
    return member_search(members, q).order_by(Lower("name_folded"), "id")


def member_page(
    *,
    user: User,
    unit: Unit | None = None,
    q: str = "",
    status: str = "",
    sex: str = "",
    page: str | None = None,
) -> CheapPage:
    """One page of `member_list` in name order. Without a query it walks the name index; with
    one it orders at most SEARCH_CAP matches (org.selectors.search.bounded_page): the page says
    when more matched. No COUNT over the matches either way."""
    members = _members(user=user, unit=unit, status=status, sex=sex)
    if not q:
        return cheap_page(members.select_related("unit").order_by("name_folded", "id"), page)
    return bounded_page(
        member_search(members, q),
        page,
        order_by=("name_folded", "id"),
        related=("unit",),
        first=member_prefix_filter(members, q),
    )


def member_moves(*, member: Member) -> QuerySet[MemberMove]:
    """A member's moves between units, newest first, with both units and the actor in one query."""
    return member.moves.select_related("from_unit", "to_unit", "created_by")
