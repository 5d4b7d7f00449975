"""The one place that decides what a user may see and change.

A role at a unit covers that unit's whole subtree (treebeard's materialised `path`). Every
page, export, file download and API endpoint asks here; no other module filters by role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from accounts.models import Role
from org.models import Unit

if TYPE_CHECKING:
    from accounts.models import User

WRITE_KINDS = (Role.Kind.ADMIN, Role.Kind.OFFICER)
ADMIN_KINDS = (Role.Kind.ADMIN,)


def _role_paths(user: User, kinds=None) -> list[str]:
    """Paths of the units the user holds a role at, cached on the user object per request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    key = "_scope_paths_" + ("all" if kinds is None else "-".join(sorted(kinds)))
    cached = getattr(user, key, None)
    if cached is None:
        roles = Role.objects.active().filter(user=user)
        if kinds is not None:
            roles = roles.filter(kind__in=kinds)
        paths = sorted(set(roles.values_list("unit__path", flat=True)))
        # Drop paths inside another held path: the OR below stays short and exact.
        cached = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        setattr(user, key, cached)
    return cached


def _paths_q(paths: list[str], path_field: str) -> Q:
    q = Q()
    for path in paths:  # a user holds few roles, so this OR stays short
        q |= Q(**{f"{path_field}__startswith": path})
    return q


def unit_scope_q(*, user: User, unit_field: str = "unit", write: bool = False) -> Q | None:
    """A Q limiting rows whose `unit_field` lies in the user's subtrees; None means everything."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    paths = _role_paths(user, WRITE_KINDS if write else None)
    if not paths:
        return Q(pk__in=[])
    prefix = f"{unit_field}__path" if unit_field else "path"
    return _paths_q(paths, prefix)


def visible_units(*, user: User) -> QuerySet[Unit]:
    """Units the user may read: each unit they hold a role in, and everything below it."""
    return scoped(Unit.objects.all(), user=user, unit_field="")


def writable_units(*, user: User) -> QuerySet[Unit]:
    """Units the user may change (officer or administrator role above them)."""
    return scoped(Unit.objects.all(), user=user, unit_field="", write=True)


def scoped(queryset: QuerySet, *, user: User, unit_field: str = "unit", write: bool = False) -> QuerySet:
    """Limit any queryset to rows whose unit the user may read (or change, with write=True).

    `unit_field` names the FK to Unit ("" when the queryset is of units themselves).
    """
    q = unit_scope_q(user=user, unit_field=unit_field, write=write)
    if q is None:
        return queryset
    if not q:
        return queryset.none()
    return queryset.filter(q)


def can_read(*, user: User, unit: Unit) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(unit.path.startswith(p) for p in _role_paths(user))


def can_read_path(*, user: User, path: str | None) -> bool:
    """Whether a unit with this treebeard path is in the user's subtrees (for rows that carry
    a related unit's path already, without fetching the unit)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return bool(path) and any(path.startswith(p) for p in _role_paths(user))


def can_write(*, user: User, unit: Unit) -> bool:
    """Officers and administrators may change data in their subtree."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(unit.path.startswith(p) for p in _role_paths(user, WRITE_KINDS))


def can_administer(*, user: User, unit: Unit) -> bool:
    """Administrators may manage accounts and roles of units in their subtree."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(unit.path.startswith(p) for p in _role_paths(user, ADMIN_KINDS))


def is_administrator(*, user: User) -> bool:
    """Whether the user administers any unit at all (the account pages are theirs)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return bool(_role_paths(user, ADMIN_KINDS))


def administered_units(*, user: User) -> QuerySet[Unit]:
    """Units whose accounts and roles the user may manage (administrator role above them)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Unit.objects.all()
    paths = _role_paths(user, ADMIN_KINDS)
    return Unit.objects.filter(_paths_q(paths, "path")) if paths else Unit.objects.none()


def scoped_users(queryset: QuerySet, *, user: User) -> QuerySet:
    """Accounts an administrator may see: home unit, or an active role, in their subtrees.

    Only administrators see accounts; officers and viewers get an empty queryset."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return queryset
    paths = _role_paths(user, ADMIN_KINDS)
    if not paths:
        return queryset.none()
    in_roles = Role.objects.active().filter(_paths_q(paths, "unit__path")).values("user_id")
    return queryset.filter(_paths_q(paths, "unit__path") | Q(pk__in=in_roles))


def scoped_roles(queryset: QuerySet, *, user: User) -> QuerySet:
    """Roles an administrator may revoke: those at units in their subtrees."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return queryset
    paths = _role_paths(user, ADMIN_KINDS)
    return queryset.filter(_paths_q(paths, "unit__path")) if paths else queryset.none()


def get_for_user(
    model: type[Model] | QuerySet, user: User, *, write: bool = False, unit_field: str = "unit", **lookup
) -> Model:
    """One object in the user's scope: 404 if it is missing OR out of scope; 403 if it is in
    scope but the user may only read it and `write` was asked."""
    queryset = model if isinstance(model, QuerySet) else model._default_manager.all()
    if queryset.model is Unit:
        unit_field = ""
    try:
        obj = scoped(queryset, user=user, unit_field=unit_field).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404
    if write:
        unit = obj if isinstance(obj, Unit) else _unit_of(obj, unit_field)
        if not can_write(user=user, unit=unit):
            raise PermissionDenied
    return obj


def _unit_of(obj: Model, unit_field: str) -> Unit:
    for part in unit_field.split("__"):
        obj = getattr(obj, part)
    return obj


def default_unit(*, user: User) -> Unit | None:
    """The unit a user starts from: their highest role unit, or the tree root for superusers."""
    if getattr(user, "is_superuser", False):
        return Unit.objects.get_first_root_node()
    role = (
        Role.objects.active().filter(user=user).select_related("unit").order_by("unit__depth", "id").first()
    )
    return role.unit if role else None


def _ancestor_paths(paths: list[str]) -> list[str]:
    """Paths of every unit above the given ones (treebeard paths grow by `steplen` per level)."""
    step = Unit.steplen
    out: set[str] = set()
    for path in paths:
        out.update(path[:i] for i in range(step, len(path), step))
    return sorted(out)


def scoped_with_above(queryset: QuerySet, *, user: User, published: Q, unit_field: str = "unit") -> QuerySet:
    """Rows of the user's subtrees, plus rows of the units ABOVE them that match `published`
    (e.g. issued plans of the province seen by a grassroots union; never its drafts)."""
    q = unit_scope_q(user=user, unit_field=unit_field)
    if q is None:
        return queryset
    above = _ancestor_paths(_role_paths(user))
    prefix = f"{unit_field}__path" if unit_field else "path"
    if above:
        q = q | (Q(**{f"{prefix}__in": above}) & published)
    return queryset.filter(q)
