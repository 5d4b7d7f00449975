"""The one place that decides what a user may see and change.

A role at a unit covers that unit's whole subtree (the subtree itself is org/tree.py's
business). Every page, export, file download and API endpoint asks here; no other module
filters by role.

Superusers: one rule, `_is_super`. An active superuser reads and writes everything; the
functions naming "the units a user acts for" give superusers the top units instead
(the confederation and the units directly below it), as they hold no roles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from accounts.models import Role
from org import tree
from org.models import Unit, UnitStatus

if TYPE_CHECKING:
    from accounts.models import User

WRITE_KINDS = (Role.Kind.ADMIN, Role.Kind.OFFICER)
ADMIN_KINDS = (Role.Kind.ADMIN,)


def _is_super(user: User) -> bool:
    """The one superuser rule: an active superuser may read, write and act everywhere."""
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


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
        # Drop units inside another held unit: the OR of subtrees stays short and exact.
        cached = tree.outermost(roles.values_list(tree.key_field("unit"), flat=True))
        setattr(user, key, cached)
    return cached


def unit_scope_q(*, user: User, unit_field: str = "unit", write: bool = False) -> Q | None:
    """A Q limiting rows whose `unit_field` lies in the user's subtrees; None means everything."""
    if _is_super(user):
        return None
    return tree.subtrees_q(_role_paths(user, WRITE_KINDS if write else None), field=unit_field)


def visible_units(*, user: User) -> QuerySet[Unit]:
    """Units the user may read: each unit they hold a role in, and everything below it."""
    return scoped(Unit.objects.all(), user=user, unit_field="")


def writable_units(*, user: User) -> QuerySet[Unit]:
    """Units the user may change (officer or administrator role above them)."""
    return scoped(Unit.objects.all(), user=user, unit_field="", write=True)


def scoped(
    queryset: QuerySet,
    *,
    user: User,
    unit_field: str = "unit",
    write: bool = False,
    within: Unit | None = None,
) -> QuerySet:
    """Limit any queryset to rows whose unit the user may read (or change, with write=True).

    `unit_field` names the FK to Unit ("" when the queryset is of units themselves). `within`
    limits it further to that unit's subtree. A subtree of a unit the user may read is readable
    whole, so then that subtree is the only condition: adding the role's own subtree as well
    makes PostgreSQL multiply the two path selectivities and guess a handful of units where
    there are thousands (a province officer's "trần văn" in their province: a nested loop that
    ran 135 s instead of 2 s at 11 M members).
    """
    if within is not None:
        allowed = can_write(user=user, unit=within) if write else can_read(user=user, unit=within)
        if not allowed:
            return queryset.none()
        return queryset.filter(tree.subtree_q(within, field=unit_field))
    q = unit_scope_q(user=user, unit_field=unit_field, write=write)
    if q is None:
        return queryset
    if not q:
        return queryset.none()
    return queryset.filter(q)


def can_read(*, user: User, unit: Unit) -> bool:
    if _is_super(user):
        return True
    return any(tree.is_descendant(unit, p) for p in _role_paths(user))


def can_read_path(*, user: User, path: str | None) -> bool:
    """Whether the unit with this key (`tree.key_field`) is in the user's subtrees, for rows
    that carry a related unit's key already, without fetching the unit."""
    if _is_super(user):
        return True
    return bool(path) and any(tree.is_descendant(path, p) for p in _role_paths(user))


def can_write(*, user: User, unit: Unit) -> bool:
    """Officers and administrators may change data in their subtree."""
    if _is_super(user):
        return True
    return any(tree.is_descendant(unit, p) for p in _role_paths(user, WRITE_KINDS))


def can_administer(*, user: User, unit: Unit | None) -> bool:
    """Administrators may manage accounts and roles of units in their subtree; accounts with
    no unit are the superusers' alone."""
    if _is_super(user):
        return True
    if unit is None:
        return False
    return any(tree.is_descendant(unit, p) for p in _role_paths(user, ADMIN_KINDS))


def is_administrator(*, user: User) -> bool:
    """Whether the user administers any unit at all (the account pages are theirs)."""
    if _is_super(user):
        return True
    return bool(_role_paths(user, ADMIN_KINDS))


def administered_units(*, user: User) -> QuerySet[Unit]:
    """Units whose accounts and roles the user may manage (administrator role above them)."""
    if _is_super(user):
        return Unit.objects.all()
    paths = _role_paths(user, ADMIN_KINDS)
    return Unit.objects.filter(tree.subtrees_q(paths)) if paths else Unit.objects.none()


def scoped_users(queryset: QuerySet, *, user: User) -> QuerySet:
    """Accounts an administrator may see: home unit, or an active role, in their subtrees.

    Only administrators see accounts; officers and viewers get an empty queryset."""
    if _is_super(user):
        return queryset
    paths = _role_paths(user, ADMIN_KINDS)
    if not paths:
        return queryset.none()
    in_roles = Role.objects.active().filter(tree.subtrees_q(paths, field="unit")).values("user_id")
    return queryset.filter(tree.subtrees_q(paths, field="unit") | Q(pk__in=in_roles))


def scoped_roles(queryset: QuerySet, *, user: User) -> QuerySet:
    """Roles an administrator may revoke: those at units in their subtrees."""
    if _is_super(user):
        return queryset
    paths = _role_paths(user, ADMIN_KINDS)
    return queryset.filter(tree.subtrees_q(paths, field="unit")) if paths else queryset.none()


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
    if _is_super(user):
        return Unit.objects.get_first_root_node()
    role = (
        Role.objects.active().filter(user=user).select_related("unit").order_by("unit__depth", "id").first()
    )
    return role.unit if role else None


def scoped_with_above(queryset: QuerySet, *, user: User, published: Q, unit_field: str = "unit") -> QuerySet:
    """Rows of the user's subtrees, plus rows of the units ABOVE them that match `published`
    (e.g. issued plans of the province seen by a grassroots union; never its drafts)."""
    q = unit_scope_q(user=user, unit_field=unit_field)
    if q is None:
        return queryset
    paths = _role_paths(user)
    if any(tree.parent_path(p) for p in paths):  # a role at the root has nothing above it
        q = q | (tree.ancestors_q(paths, field=unit_field) & published)
    return queryset.filter(q)


def role_units(*, user: User) -> QuerySet[Unit]:
    """The units the user holds an active role at (the units they act for, not their subtrees).

    Inboxes and "my reports" read this; a superuser gets only the roles they really hold."""
    return Unit.objects.filter(pk__in=Role.objects.active().filter(user=user).values("unit_id"))


def writable_role_units(*, user: User) -> QuerySet[Unit]:
    """The active units the user holds a writing role at (officer or administrator), which a
    plan or a council can be made for; superusers act for the top units (depth 1 and 2)."""
    if _is_super(user):
        return Unit.objects.filter(tree.top_q(2), status=UnitStatus.ACTIVE)
    ids = Role.objects.active().filter(user=user, kind__in=WRITE_KINDS).values("unit_id")
    return Unit.objects.filter(pk__in=ids, status=UnitStatus.ACTIVE).order_by("depth", "name")


def role_holders(*, unit_ids, write: bool = False) -> QuerySet[Role]:
    """Active roles held at exactly these units (writing roles only with write=True): whom to
    e-mail about a unit's duties."""
    roles = Role.objects.active().filter(unit_id__in=unit_ids)
    return roles.filter(kind__in=WRITE_KINDS) if write else roles
