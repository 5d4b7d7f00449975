"""Live target progress, dashboard figures and the pilot model / contest entry lists of a plan.

A target (kind, count, unit_level) of a plan is measured for a viewer's unit U (the issuing
unit or a unit below it): the applicable units are the ACTIVE units of `unit_level` in U's
subtree, and a unit meets the target when its measure reaches `count`. Every figure is computed
in SQL, grouped by path prefix (like org.selectors.units.rollup_by_ancestor), so the number of
queries depends on the number of targets and tree levels, never on the number of units.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.scoping import default_unit, get_for_user, scoped
from campaigns.models import ContestEntry, Phase, PilotModel, Plan, Registration, Target
from campaigns.selectors.plans import plan_queryset, visible_plans
from org import tree
from org.models import LEVEL_OF_KIND, Unit, UnitLevel, UnitStatus

if TYPE_CHECKING:
    from accounts.models import User

# The union tree is at most six levels deep (org.selectors.history); a margin costs little.
MAX_DEPTH = 8
MEASURED_KINDS = (Target.Kind.PILOT_MODEL, Target.Kind.CONTEST_ENTRY, Target.Kind.REGISTRATION)


@dataclass
class TargetProgress:
    """How many applicable units of a subtree meet one target. `computed` is False for targets
    reported by hand (kind OTHER): then `met` is 0 and means nothing."""

    target: Target
    applicable: int
    met: int
    computed: bool = True
    unit: Unit | None = None
    per_child: list[ChildProgress] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.applicable) if self.applicable else 0


@dataclass
class ChildProgress:
    unit: Unit
    applicable: int
    met: int

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.applicable) if self.applicable else 0


# --- access -----------------------------------------------------------------------------------


def plan_for_user(*, user: User, pk: int) -> Plan:
    """One plan the user may see; 404 if missing or out of scope."""
    return get_object_or_404(plan_queryset(user=user), pk=pk)


def target_for_user(*, user: User, pk: int) -> Target:
    """One target of a plan the user may see; 404 otherwise."""
    plans = visible_plans(user=user).values("pk")
    return get_object_or_404(Target.objects.select_related("plan", "plan__unit"), pk=pk, plan__in=plans)


def plan_view_unit(*, user: User, plan: Plan, unit_id: str | int | None = None) -> Unit:
    """The unit a plan's figures are shown for: `unit_id` when given (404 unless it is in the
    user's scope and in the plan's subtree), else the user's top unit under the plan."""
    if unit_id not in (None, ""):
        unit = get_for_user(Unit, user, pk=unit_id)
        if not tree.is_descendant(unit, plan.unit):
            raise Http404
        return unit
    top = default_unit(user=user)
    if top is not None and tree.is_descendant(top, plan.unit):
        return top
    # The user sits above the issuing unit (or holds roles in several places): start at the issuer,
    # provided the user can read it; otherwise the first of the user's units under the plan.
    if scoped(Unit.objects.filter(pk=plan.unit_id), user=user, unit_field="").exists():
        return plan.unit
    below = scoped(tree.subtree(plan.unit), user=user, unit_field="")
    unit = below.order_by("depth", tree.tree_order()).first()
    if unit is None:
        raise Http404
    return unit


# --- target progress --------------------------------------------------------------------------


def kinds_of_level(level: int) -> list[str]:
    """Unit kinds that make up one UnitLevel."""
    return sorted(str(kind) for kind, lvl in LEVEL_OF_KIND.items() if lvl == level)


def _applicable(target: Target, unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(
        tree.subtree_q(unit), status=UnitStatus.ACTIVE, kind__in=kinds_of_level(target.unit_level)
    ).order_by()


def _items(target: Target, unit: Unit) -> QuerySet:
    """The recorded things a PILOT_MODEL / CONTEST_ENTRY target counts, within `unit`'s subtree."""
    if target.kind == Target.Kind.PILOT_MODEL:
        # A pilot model that is only planned has not been built: it does not count yet.
        qs = PilotModel.objects.exclude(status=PilotModel.Status.PLANNED)
    else:
        qs = ContestEntry.objects.all()
    return qs.filter(tree.subtree_q(unit, field="unit"), plan_id=target.plan_id).order_by()


def _met_q(target: Target, unit: Unit) -> Q | None:
    """A Q on Unit selecting the applicable units that meet the target; None: all of them."""
    if target.count == 0:
        return None
    if target.kind == Target.Kind.REGISTRATION:
        submitted = Registration.objects.filter(plan_id=target.plan_id, status=Registration.Status.SUBMITTED)
        return Q(pk__in=submitted.values("unit_id"))
    # The measure of a unit at depth d is the number of items in its subtree: group the items
    # by their ancestor at depth d and keep the ancestors reaching `count`.
    # One small grouped subquery per depth below `unit` (the database hashes each once); the
    # items are few next to the units, so this beats finding the applicable depths first.
    q = Q(pk__in=[])
    for depth in range(unit.depth, MAX_DEPTH + 1):
        prefixes = (
            _items(target, unit)
            .filter(unit__depth__gte=depth)
            .annotate(prefix=tree.ancestor_key_expr(depth, field="unit"))
            .values("prefix")
            .annotate(n=Count("id"))
            .filter(n__gte=target.count)
            .values("prefix")
        )
        q |= tree.keys_q(prefixes, depth=depth)
    return q


def _counts(target: Target, unit: Unit) -> dict:
    """Aggregates counting the applicable units and those meeting the target."""
    met_q = _met_q(target, unit)
    if met_q is None:
        met = Count("id")
    elif target.kind == Target.Kind.REGISTRATION and target.count > 1:
        met = Count("id", filter=Q(pk__lt=0))  # a unit registers once: never met
    else:
        met = Count("id", filter=met_q)
    return {"applicable": Count("id"), "met": met}


def target_progress(*, target: Target, unit: Unit) -> TargetProgress:
    """Applicable and meeting units of `unit`'s subtree for one target, in one query.

    Measures: PILOT_MODEL counts the plan's pilot models other than "planned" in the unit's
    subtree; CONTEST_ENTRY the plan's contest entries in its subtree; REGISTRATION is 1 when
    the unit itself has a submitted registration for the plan (drafts do not count); OTHER is
    not computed (reported by hand). Only the target's own plan is counted, not derived plans.
    """
    if target.kind not in MEASURED_KINDS:
        return TargetProgress(target=target, applicable=0, met=0, computed=False, unit=unit)
    agg = _applicable(target, unit).aggregate(**_counts(target, unit))
    return TargetProgress(target=target, applicable=agg["applicable"], met=agg["met"], unit=unit)


def active_children(*, unit: Unit) -> list[Unit]:
    return list(tree.children(unit).filter(status=UnitStatus.ACTIVE))


def target_progress_by_child(
    *, target: Target, unit: Unit, children: list[Unit] | None = None
) -> list[ChildProgress]:
    """Applicable and meeting units in each active child's subtree, in one query (plus one for
    the children when they are not given), whatever the tree's size."""
    if children is None:
        children = active_children(unit=unit)
    if target.kind not in MEASURED_KINDS or not children:
        return [ChildProgress(unit=c, applicable=0, met=0) for c in children]
    rows = (
        _applicable(target, unit)
        .filter(tree.subtree_q(unit, strict=True))
        .annotate(child=tree.ancestor_key_expr(unit.depth + 1))
        .values("child")
        .annotate(**_counts(target, unit))
    )
    figures = {r["child"]: (r["applicable"], r["met"]) for r in rows}
    out = []
    for child in children:
        applicable, met = figures.get(tree.key(child), (0, 0))
        out.append(ChildProgress(unit=child, applicable=applicable, met=met))
    return out


def plan_target_progress(*, plan: Plan, unit: Unit, with_children: bool = False) -> list[TargetProgress]:
    """Progress of every target of the plan for `unit`'s subtree (and per child, if asked)."""
    targets = list(plan.targets.all())
    children = active_children(unit=unit) if with_children else []
    out = []
    for target in targets:
        progress = target_progress(target=target, unit=unit)
        if with_children:
            progress.per_child = target_progress_by_child(target=target, unit=unit, children=children)
        out.append(progress)
    return out


# --- dashboard ------------------------------------------------------------------------------


@dataclass
class PhaseBar:
    phase: Phase
    left: float
    width: float
    is_current: bool


def phase_timeline(*, plan: Plan, today: datetime.date) -> dict:
    """Phases as bars across the plan's year (percent offsets), today's marker and phase."""
    start = datetime.date(plan.year, 1, 1)
    days = (datetime.date(plan.year, 12, 31) - start).days + 1

    def pos(d: datetime.date) -> float:
        return round(100 * min(max((d - start).days, 0), days) / days, 2)

    bars = []
    current = None
    for phase in plan.phases.all():
        left = pos(phase.start)
        right = pos(phase.end + datetime.timedelta(days=1))
        is_current = phase.start <= today <= phase.end
        if is_current and current is None:
            current = phase
        bars.append(PhaseBar(phase=phase, left=left, width=max(right - left, 0.5), is_current=is_current))
    return {
        "bars": bars,
        "current": current,
        "today": today,
        "today_left": pos(today) if today.year == plan.year else None,
        "months": [{"label": f"{m:02d}", "left": pos(datetime.date(plan.year, m, 1))} for m in range(1, 13)],
    }


def registration_summary(*, plan: Plan, unit: Unit) -> dict:
    """Units of `unit`'s subtree registered (submitted) for the plan, out of those that should:
    the level of the plan's first REGISTRATION target, else grassroots unions. Two queries."""
    reg_target = next((t for t in plan.targets.all() if t.kind == Target.Kind.REGISTRATION), None)
    level = reg_target.unit_level if reg_target else UnitLevel.GRASSROOTS
    units = Unit.objects.filter(
        tree.subtree_q(unit), status=UnitStatus.ACTIVE, kind__in=kinds_of_level(level)
    )
    regs = Registration.objects.filter(tree.subtree_q(unit, field="unit"), plan=plan).aggregate(
        submitted=Count("id", filter=Q(status=Registration.Status.SUBMITTED)),
        draft=Count("id", filter=Q(status=Registration.Status.DRAFT)),
        submitted_applicable=Count(
            "id",
            filter=Q(
                status=Registration.Status.SUBMITTED,
                unit__status=UnitStatus.ACTIVE,
                unit__kind__in=kinds_of_level(level),
            ),
        ),
    )
    return {
        "level": UnitLevel(level).label,
        "applicable": units.count(),
        "registered": regs["submitted_applicable"],
        "submitted": regs["submitted"],
        "draft": regs["draft"],
    }


def plan_counts(*, plan: Plan, unit: Unit) -> dict:
    """Pilot models (all statuses) and contest entries of the plan in `unit`'s subtree."""
    return {
        "pilot_models": PilotModel.objects.filter(tree.subtree_q(unit, field="unit"), plan=plan).count(),
        "contest_entries": ContestEntry.objects.filter(tree.subtree_q(unit, field="unit"), plan=plan).count(),
    }


# --- lists ------------------------------------------------------------------------------------


def pilot_model_list(
    *, user: User, plan: Plan, unit: Unit | None = None, movement_id: str = "", status: str = ""
) -> QuerySet[PilotModel]:
    """The plan's pilot models the user may read, filtered, newest first."""
    qs = scoped(
        PilotModel.objects.filter(plan=plan)
        .select_related("unit", "movement")
        .annotate(photo_count=Count("photos")),
        user=user,
    )
    if unit is not None:
        qs = qs.filter(tree.subtree_q(unit, field="unit"))
    if movement_id and str(movement_id).isdigit():
        qs = qs.filter(movement_id=int(movement_id))
    if status in PilotModel.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def pilot_models_below(*, plan: Plan, unit: Unit) -> QuerySet[PilotModel]:
    """The plan's pilot models in `unit`'s subtree, for papers (the caller has scoped `unit`)."""
    return PilotModel.objects.filter(tree.subtree_q(unit, field="unit"), plan=plan)


def contest_entry_list(*, user: User, plan: Plan, unit: Unit | None = None) -> QuerySet[ContestEntry]:
    """The plan's contest entries the user may read, newest first."""
    qs = scoped(ContestEntry.objects.filter(plan=plan).select_related("unit"), user=user)
    if unit is not None:
        qs = qs.filter(tree.subtree_q(unit, field="unit"))
    return qs.order_by("-created_at", "-id")
