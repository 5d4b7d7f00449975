"""Reads for the API that the pages do not need: unit rows with their parent's id, children
of a unit, members of a subtree. Like org.selectors.units they read treebeard's `path`."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr

from org.models import Member, Unit


def with_parent_id(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """Annotate `parent_pk`: the unit whose path is this path minus its last step.

    A correlated subquery on the unique path index, so a page of units costs one query."""
    parent = Unit.objects.filter(
        path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Unit.steplen)
    ).values("pk")[:1]
    return units.annotate(parent_pk=Subquery(parent))


def units_below(units: QuerySet[Unit], *, parent: Unit) -> QuerySet[Unit]:
    """The direct children of `parent` among `units`."""
    return units.filter(path__startswith=parent.path, depth=parent.depth + 1)


def children_count(*, unit: Unit) -> int:
    """Direct children of a unit, whatever their status (counted, not read from numchild)."""
    return units_below(Unit.objects.all(), parent=unit).count()


def members_in_subtree(members: QuerySet[Member], *, unit: Unit) -> QuerySet[Member]:
    """The members among `members` of `unit` or any unit below it."""
    return members.filter(unit__path__startswith=unit.path)
