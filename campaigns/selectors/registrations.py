"""Reads for registration pages: visible plans and registrations, and who has registered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import CharField, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.scoping import scoped
from campaigns.models import MemberPledge, Plan, Registration
from org import tree
from org.models import Unit, UnitKind, UnitStatus

if TYPE_CHECKING:
    from accounts.models import User

LEVEL_CHILDREN = "children"
LEVEL_GRASSROOTS = "grassroots"
STATE_NONE = "none"


def registrations_for_user(*, user: User) -> QuerySet[Registration]:
    return scoped(Registration.objects.select_related("plan", "unit"), user=user)


def member_pledges(*, registration: Registration) -> QuerySet[MemberPledge]:
    return registration.member_pledges.select_related("member", "member__unit", "movement").order_by(
        "member__name_folded", "id"
    )


def status_units(*, plan: Plan, unit: Unit, level: str, state: str = "") -> QuerySet[Unit]:
    """The units whose registration the upper level follows, each annotated with its own
    registration's status (`reg_status`, NULL when none), pledge counts and, for the level below,
    how many units of its subtree have registered. One query however many units."""
    if level == LEVEL_GRASSROOTS:
        units = Unit.objects.filter(tree.subtree_q(unit), kind=UnitKind.GRASSROOTS)
    else:
        units = Unit.objects.filter(tree.children_q(unit))
    units = units.filter(status=UnitStatus.ACTIVE)
    regs = Registration.objects.filter(plan=plan, unit=OuterRef("pk"))
    units = units.annotate(
        reg_id=Subquery(regs.values("pk")[:1]),
        reg_status=Subquery(regs.values("status")[:1], output_field=CharField()),
        member_pledge_count=Coalesce(
            Subquery(
                MemberPledge.objects.filter(registration__plan=plan, registration__unit=OuterRef("pk"))
                .order_by()
                .values("registration__unit")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )
    if state == STATE_NONE:
        units = units.filter(reg_id__isnull=True)
    elif state in Registration.Status.values:
        units = units.filter(reg_status=state)
    return units.order_by(tree.tree_order())


def status_summary(*, plan: Plan, unit: Unit, level: str) -> dict[str, int]:
    """Totals for the status page in one aggregate query: units, registered, submitted, not yet."""
    units = status_units(plan=plan, unit=unit, level=level)
    totals = units.order_by().aggregate(
        units=Count("pk"),
        registered=Count("pk", filter=Q(reg_id__isnull=False)),
        submitted=Count("pk", filter=Q(reg_status=Registration.Status.SUBMITTED)),
    )
    totals["not_registered"] = totals["units"] - totals["registered"]
    return totals


def subtree_registration_counts(*, plan: Plan, units: list[Unit]) -> dict[int, dict[str, int]]:
    """For sibling units: how many registrations (and submitted ones) their subtrees hold, in
    one query grouped by path prefix."""
    if not units:
        return {}
    depth = units[0].depth
    prefixes = {tree.key(u): u.pk for u in units}
    parent = tree.parent_path(units[0]) or ""
    rows = (
        Registration.objects.filter(tree.subtree_q(parent, field="unit", strict=True), plan=plan)
        .annotate(prefix=tree.ancestor_key_expr(depth, field="unit"))
        .order_by()
        .values("prefix")
        .annotate(
            registered=Count("pk"),
            submitted=Count("pk", filter=Q(status=Registration.Status.SUBMITTED)),
        )
    )
    out = {u.pk: {"registered": 0, "submitted": 0} for u in units}
    for row in rows:
        pk = prefixes.get(row["prefix"])
        if pk is not None:
            out[pk] = {"registered": row["registered"], "submitted": row["submitted"]}
    return out
