"""Reads of plans: what a user may see, the inbox, delivery status, cascade status, comparison."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from accounts.scoping import can_write, role_units, scoped, scoped_with_above, writable_role_units
from campaigns.models import LaunchEvent, Movement, Plan, PlanDelivery, Reminder
from org import tree
from org.models import Unit, UnitStatus


def visible_plans(*, user) -> QuerySet[Plan]:
    """THE rule for plans a user may open (pages, papers, API): their subtrees' plans of any
    status, and the issued (non-draft) plans of the units above them."""
    return scoped_with_above(Plan.objects.all(), user=user, published=~Q(status=Plan.Status.DRAFT))


def plan_queryset(*, user) -> QuerySet[Plan]:
    """`visible_plans` with the issuing unit joined, for pages that show it."""
    return visible_plans(user=user).select_related("unit")


def plan_get(*, user, pk: int, write: bool = False) -> Plan:
    """One plan the user may open (404 otherwise); 403 when `write` and they may only read it."""
    try:
        plan = plan_queryset(user=user).get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_write(user=user, unit=plan.unit):
        raise PermissionDenied
    return plan


def plan_list(*, user, year: int | None = None, status: str = "", q: str = "") -> QuerySet[Plan]:
    plans = plan_queryset(user=user)
    if year:
        plans = plans.filter(year=year)
    if status:
        plans = plans.filter(status=status)
    if q:
        plans = plans.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(theme__icontains=q))
    return plans.order_by("-year", "-issued_on", "-id")


def plan_full(*, plan: Plan) -> dict:
    """The plan's children for its page: movements, phases, duties with their targets."""
    targets: dict[int | None, list] = {}
    for t in plan.targets.select_related("movement"):
        targets.setdefault(t.duty_id, []).append(t)
    duties = list(plan.duties.all())
    for d in duties:
        d.target_list = targets.get(d.pk, [])
    return {
        "movements": [pm.movement for pm in plan.plan_movements.select_related("movement")],
        "phases": list(plan.phases.all()),
        "duties": duties,
    }


def movements_for_unit(*, unit: Unit) -> QuerySet[Movement]:
    """The catalogue a unit's plan picks from: movements kept by the unit and every unit above it."""
    return Movement.objects.filter(
        tree.ancestors_q(unit, field="unit", include_self=True), is_active=True
    ).select_related("unit")


def movement_list(*, user) -> QuerySet[Movement]:
    return scoped_with_above(Movement.objects.select_related("unit"), user=user, published=Q()).order_by(
        "unit__depth", "name"
    )


def derive_units(*, user, plan: Plan) -> QuerySet[Unit]:
    """Units the user may build a plan for from `plan`: their role units below its issuer."""
    return writable_role_units(user=user).filter(tree.subtree_q(plan.unit, strict=True))


def launch_units(*, user, plan: Plan) -> list[Unit]:
    """Units the user may record a launch for: the issuer (if writable) and their role units below it."""
    units = list(writable_role_units(user=user).filter(tree.subtree_q(plan.unit)))
    if can_write(user=user, unit=plan.unit) and plan.unit not in units:
        units.insert(0, plan.unit)
    return units


def inbox(*, user) -> dict:
    """Deliveries and reminders of the units the user holds a role at (not their whole subtrees)."""
    units = role_units(user=user)
    deliveries = (
        PlanDelivery.objects.filter(unit__in=units)
        .select_related("plan", "plan__unit", "unit", "opened_by")
        .order_by(F("opened_at").asc(nulls_first=True), "-delivered_at", "-id")
    )
    reminders = Reminder.objects.filter(unit__in=units).select_related("plan", "unit", "sent_by")
    return {"deliveries": deliveries, "reminders": reminders}


def delivery_status(*, plan: Plan) -> dict:
    """How many recipients the plan reached and how many opened it."""
    return PlanDelivery.objects.filter(plan=plan).aggregate(
        total=Count("id"), opened=Count("id", filter=Q(opened_at__isnull=False))
    )


def delivery_list(*, plan: Plan, opened: str = "") -> QuerySet[PlanDelivery]:
    deliveries = PlanDelivery.objects.filter(plan=plan).select_related("unit", "opened_by")
    if opened == "yes":
        deliveries = deliveries.filter(opened_at__isnull=False)
    elif opened == "no":
        deliveries = deliveries.filter(opened_at__isnull=True)
    return deliveries.order_by(tree.tree_order("unit"))


def cascade_status(*, plan: Plan, user) -> dict:
    """Which direct child units have built and issued their plan from this one."""
    children = Unit.objects.filter(tree.children_q(plan.unit), status=UnitStatus.ACTIVE)
    derived = scoped(
        Plan.objects.filter(parent_plan=plan).exclude(status=Plan.Status.SUPERSEDED).select_related("unit"),
        user=user,
    ).order_by(tree.tree_order("unit"))
    issued = derived.filter(
        tree.children_q(plan.unit, field="unit"), status__in=[Plan.Status.ISSUED, Plan.Status.CLOSED]
    )
    return {"children": children.count(), "issued": issued.count(), "derived": derived}


def launch_list(*, plan: Plan, user) -> QuerySet[LaunchEvent]:
    return scoped_with_above(plan.launches.select_related("unit"), user=user, published=Q()).order_by(
        "-held_on", "-id"
    )


def plan_compare(*, child: Plan, parent: Plan) -> list[dict]:
    """Sections of the two plans side by side: [{title, child, parent}] with lists of lines."""

    def lines(plan: Plan) -> dict[str, list[str]]:
        full = plan_full(plan=plan)
        return {
            "header": [plan.unit.name, plan.number, f"{plan.place}, {plan.issued_on or ''}", plan.title],
            "purposes": list(plan.purposes),
            "theme": [plan.theme],
            "contents": [f"{c.get('number', '')} {c.get('text', '')}".strip() for c in plan.contents],
            "movements": [m.name for m in full["movements"]],
            "phases": [
                f"{p.name}: {p.start:%d/%m/%Y} – {p.end:%d/%m/%Y}. {p.purpose}" for p in full["phases"]
            ],
            "duties": [
                line
                for d in full["duties"]
                for line in [
                    f"[{d.get_level_display()}] {d.level_label}",
                    *[f"– {i}" for i in d.items],
                    *[f"◎ {t.text} ({t.count})" for t in d.target_list],
                ]
            ],
            "recipients": list(plan.recipients),
            "signer": [plan.signer_authority, plan.signer_title, plan.signer_name],
        }

    from django.utils.translation import gettext as _

    titles = {
        "header": _("Header"),
        "purposes": _("Purposes and requirements"),
        "theme": _("Theme"),
        "contents": _("Content items"),
        "movements": _("Movements"),
        "phases": _("Phases"),
        "duties": _("Duties"),
        "recipients": _("Recipients"),
        "signer": _("Signer"),
    }
    a, b = lines(child), lines(parent)
    return [
        {"key": k, "title": t, "child": a[k], "parent": b[k], "same": a[k] == b[k]} for k, t in titles.items()
    ]
