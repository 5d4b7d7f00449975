"""The one module that knows how the unit tree is stored.

Units are a materialised path (treebeard's MP_Node): each unit's `path` is its parent's path
plus one fixed-width step, and `depth` counts the steps. Every subtree, ancestor, child and
parent computation goes through here, so a change of tree design changes this file only.

`field` arguments name the relation from the queried model to Unit ("unit", "member__unit",
...); "" means the queryset is of units themselves. Functions taking a `node` accept a Unit
or a bare path string (rows that already carry a related unit's path need no fetch).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr

from org.models import Unit

# The width of one step of `path`; private so nobody else does arithmetic on paths.
_STEP = Unit.steplen

Node = Unit | str


def _path(node: Node) -> str:
    return node if isinstance(node, str) else node.path


def _f(field: str, name: str) -> str:
    return f"{field}__{name}" if field else name


def depth_of(node: Node) -> int:
    """The depth of a unit (the root is 1), also for a bare path."""
    return len(_path(node)) // _STEP


# --- subtrees -------------------------------------------------------------------------------


def subtree_q(top: Node, *, field: str = "", strict: bool = False, levels: int | None = None) -> Q:
    """Rows whose unit is `top` or below it.

    strict: below it only (not `top` itself). levels: at most that many levels below `top`.
    """
    path = _path(top)
    q = Q(**{_f(field, "path__startswith"): path})
    depth = depth_of(path)
    if strict:
        q &= Q(**{_f(field, "depth__gt"): depth})
    if levels is not None:
        q &= Q(**{_f(field, "depth__lte"): depth + levels})
    return q


def top_q(levels: int, *, field: str = "") -> Q:
    """Rows whose unit is in the top `levels` levels of the tree (the root is level 1)."""
    return Q(**{_f(field, "depth__lte"): levels})


def level_q(depth: int, *, field: str = "") -> Q:
    """Rows whose unit is exactly at `depth` (the root is 1)."""
    return Q(**{_f(field, "depth"): depth})


def subtrees_q(tops: Iterable[Node], *, field: str = "") -> Q:
    """Rows whose unit lies in any of the subtrees; matches nothing when `tops` is empty."""
    q = Q()
    for top in tops:  # callers pass few tops (a user's roles), so this OR stays short
        q |= subtree_q(top, field=field)
    return q if q else Q(pk__in=[])


def subtree(
    top: Node, queryset: QuerySet | None = None, *, field: str = "", strict: bool = False
) -> QuerySet:
    """`queryset` (default: all units) limited to the subtree of `top`."""
    if queryset is None:
        queryset = Unit.objects.all()
    return queryset.filter(subtree_q(top, field=field, strict=strict))


def children_q(parent: Node, *, field: str = "") -> Q:
    """Rows whose unit is a direct child of `parent`."""
    path = _path(parent)
    return Q(**{_f(field, "path__startswith"): path, _f(field, "depth"): depth_of(path) + 1})


def children(parent: Node) -> QuerySet[Unit]:
    """The direct children of `parent`, in tree order."""
    return Unit.objects.filter(children_q(parent)).order_by("path")


def is_descendant(node: Node, of: Node, *, strict: bool = False) -> bool:
    """Whether `node` is `of` or lies below it (strict: below it only)."""
    path, top = _path(node), _path(of)
    return bool(path) and path.startswith(top) and not (strict and path == top)


def outermost(nodes: Iterable[Node]) -> list[str]:
    """Paths of the given units without those lying inside another one (sorted)."""
    paths = sorted({_path(n) for n in nodes})
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


# --- ancestors and parents ------------------------------------------------------------------


def ancestor_paths(node: Node, *, include_self: bool = False) -> list[str]:
    """Paths of every unit above `node`, root first (and `node` itself last with include_self)."""
    path = _path(node)
    end = len(path) + 1 if include_self else len(path)
    return [path[:i] for i in range(_STEP, end, _STEP)]


def ancestors_q(nodes: Node | Iterable[Node], *, field: str = "", include_self: bool = False) -> Q:
    """Rows whose unit lies above any of `nodes` (or is one of them, with include_self)."""
    if isinstance(nodes, (Unit, str)):
        nodes = [nodes]
    paths = {p for n in nodes for p in ancestor_paths(n, include_self=include_self)}
    return Q(**{_f(field, "path__in"): sorted(paths)})


def ancestors(node: Node, *, include_self: bool = False) -> QuerySet[Unit]:
    """The units above `node`, root first."""
    return Unit.objects.filter(ancestors_q(node, include_self=include_self)).order_by("depth")


def ancestors_below(node: Node, top: Node) -> QuerySet[Unit]:
    """The units on the way from `top` (included) down to `node` (excluded), `top` first."""
    path, start = _path(node), _path(top)
    paths = [path[:i] for i in range(len(start), len(path), _STEP)]
    return Unit.objects.filter(path__in=paths).order_by("depth")


def parent_path(node: Node) -> str | None:
    """The path of the unit directly above `node`; None for the root."""
    path = _path(node)
    return path[:-_STEP] if len(path) > _STEP else None


def parent(node: Node) -> Unit | None:
    """The unit directly above `node`; None for the root."""
    path = parent_path(node)
    return Unit.objects.get(path=path) if path else None


def nearest(node: Node, by_path: dict[str, object], *, include_self: bool = True) -> object | None:
    """The value of `by_path` keyed by the nearest unit at or above `node` (None when none)."""
    for path in reversed(ancestor_paths(node, include_self=include_self)):
        if path in by_path:
            return by_path[path]
    return None


def path_map(units: Iterable[Unit]) -> dict[str, Unit]:
    """Units keyed by their tree position, for `nearest` and `ancestors_of_many`."""
    return {u.path: u for u in units}


def ancestors_of_many(nodes: Iterable[Node], *, include_self: bool = True, queryset: QuerySet | None = None):
    """The units above (and at) each of `nodes`, fetched in one query: {path: Unit}."""
    queryset = Unit.objects.all() if queryset is None else queryset
    nodes = list(nodes)
    if not nodes:
        return {}
    return path_map(queryset.filter(ancestors_q(nodes, include_self=include_self)))


def chain(node: Node, by_path: dict[str, Unit], *, include_self: bool = True) -> list[Unit]:
    """The units of `by_path` on the way from the root down to `node`, root first."""
    return [by_path[p] for p in ancestor_paths(node, include_self=include_self) if p in by_path]


def parent_pk_expr():
    """A database expression giving, per unit row, its parent's id (NULL for the root).

    A correlated subquery on the unique path index, so a page of units costs one query."""
    parent = Unit.objects.filter(path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * _STEP)).values(
        "pk"
    )[:1]
    return Subquery(parent)


# --- grouping by ancestor -------------------------------------------------------------------


def ancestor_key(node: Node, depth: int) -> str:
    """A key naming the ancestor of `node` at `depth` (equal to that ancestor's `key`)."""
    return _path(node)[: _STEP * depth]


def keys_q(keys, *, depth: int | None = None, field: str = "") -> Q:
    """Rows whose unit's key is among `keys` (a list or a subquery of `ancestor_key_expr`
    values), optionally only at `depth`."""
    q = Q(**{_f(field, "path__in"): keys})
    return q & level_q(depth, field=field) if depth is not None else q


def key_field(field: str = "") -> str:
    """The lookup holding a unit's key, for values()/values_list() of rows read without units."""
    return _f(field, "path")


def key(node: Node) -> str:
    """The key of a unit itself, comparable with `ancestor_key` and `ancestor_key_expr`."""
    return _path(node)


def ancestor_key_expr(depth: int, *, field: str = "") -> Substr:
    """A database expression giving, per row, the key of its unit's ancestor at `depth`."""
    return Substr(_f(field, "path"), 1, _STEP * depth, output_field=CharField())


# --- raw SQL --------------------------------------------------------------------------------


def subtree_sql(alias: str, top: Node, *, strict: bool = False) -> tuple[str, list]:
    """SQL condition and params: the unit row under table alias `alias` is in `top`'s subtree
    (strict: below `top` only).

    Treebeard paths use only [0-9A-Z] steps, so "LIKE prefix%" needs no escaping."""
    path = _path(top)
    sql, params = f"{alias}.path LIKE %s", [path + "%"]
    if strict:
        sql, params = f"{sql} AND {alias}.depth > %s", [*params, depth_of(path)]
    return sql, params


def subtree_join_sql(inner: str, outer: str) -> str:
    """SQL condition: the unit of table alias `inner` lies in the subtree of alias `outer`."""
    return f"{inner}.path LIKE {outer}.path || '%%'"


def ancestor_key_sql(alias: str, depth: int) -> str:
    """SQL expression like `ancestor_key_expr` for the units table under `alias`."""
    return f"substr({alias}.path, 1, {int(_STEP * depth)})"


def tree_order(field: str = "") -> str:
    """The order_by() name giving units in tree (depth-first) order."""
    return _f(field, "path")
