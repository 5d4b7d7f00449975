"""Roll-ups and tree reads. Counts come from the maintained per-unit columns summed over a
path prefix, so a province's figures cost one indexed range scan of units, not of members."""

from django.db.models import Count, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from org import tree
from org.models import Unit, UnitStatus


def unit_rollup(*, unit: Unit) -> dict:
    """Members, female members and active units in the subtree of `unit` (itself included)."""
    agg = Unit.objects.filter(tree.subtree_q(unit)).aggregate(
        members=Coalesce(Sum("member_count"), Value(0)),
        female=Coalesce(Sum("female_count"), Value(0)),
        units=Count("id", filter=_active_q()),
    )
    agg["units"] = max(agg["units"] - (1 if unit.is_active else 0), 0)  # units below, not itself
    return agg


def _active_q():
    from django.db.models import Q

    return Q(status=UnitStatus.ACTIVE)


def rollup_by_ancestor(*, units: QuerySet | list[Unit], depth: int | None = None) -> dict[int, dict]:
    """Roll-ups for several sibling units (same depth) in one query: {unit_id: counts}."""
    units = list(units)
    if not units:
        return {}
    depth = depth or units[0].depth
    prefixes = {tree.key(u): u.pk for u in units}
    base = Unit.objects.filter(depth__gte=depth)
    # Restrict to the parents' subtrees when all units share a parent (the common case).
    # Under the root (depth 2) that filter would select almost every unit anyway, and SQLite
    # cannot serve `LIKE 'p%'` from an index, so it only costs there. Rows of other subtrees
    # are dropped below by their prefix either way.
    parents = {tree.ancestor_key(u, depth - 1) for u in units}
    if len(parents) == 1 and depth > 2:
        base = base.filter(tree.subtree_q(parents.pop()))
    # order_by(): the tree manager sorts by path, which would otherwise join the GROUP BY.
    rows = (
        base.order_by()
        .annotate(prefix=tree.ancestor_key_expr(depth))
        .values("prefix")
        .annotate(
            members=Coalesce(Sum("member_count"), Value(0), output_field=IntegerField()),
            female=Coalesce(Sum("female_count"), Value(0), output_field=IntegerField()),
            units=Count("id", filter=_active_q()),
        )
    )
    out = {u.pk: {"members": 0, "female": 0, "units": 0} for u in units}
    for row in rows:
        pk = prefixes.get(row["prefix"])
        if pk is not None:
            out[pk] = {"members": row["members"], "female": row["female"], "units": row["units"]}
    for u in units:
        if u.is_active and out[u.pk]["units"]:
            out[u.pk]["units"] -= 1
    return out


def unit_children(*, unit: Unit, include_inactive: bool = False) -> list[Unit]:
    """Children of a unit, each with `.rollup` attached, in two queries."""
    children = Unit.objects.filter(tree.children_q(unit)).order_by(tree.tree_order())
    if not include_inactive:
        children = children.filter(status=UnitStatus.ACTIVE)
    children = list(children)
    rollups = rollup_by_ancestor(units=children, depth=unit.depth + 1)
    for child in children:
        child.rollup = rollups[child.pk]
    return children


def members_per_province() -> dict[int, int]:
    """Active members of every depth-2 unit's subtree (provinces and national sector unions)."""
    roots = Unit.objects.filter(tree.level_q(2))
    return {pk: r["members"] for pk, r in rollup_by_ancestor(units=roots, depth=2).items()}
