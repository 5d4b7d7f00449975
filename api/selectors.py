"""Reads for the API that the pages do not need: unit rows with their parent's id, children
of a unit, members of a subtree. The tree's storage is org.tree's business."""

from django.db.models import QuerySet

from org import tree
from org.models import Member, Unit


def with_parent_id(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """Annotate `parent_pk`: the id of each unit's parent, in the same query."""
    return units.annotate(parent_pk=tree.parent_pk_expr())


def units_below(units: QuerySet[Unit], *, parent: Unit) -> QuerySet[Unit]:
    """The direct children of `parent` among `units`."""
    return units.filter(tree.children_q(parent))


def children_count(*, unit: Unit) -> int:
    """Direct children of a unit, whatever their status (counted, not read from numchild)."""
    return units_below(Unit.objects.all(), parent=unit).count()


def members_in_subtree(members: QuerySet[Member], *, unit: Unit) -> QuerySet[Member]:
    """The members among `members` of `unit` or any unit below it."""
    return members.filter(tree.subtree_q(unit, field="unit"))
