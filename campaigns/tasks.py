"""Background tasks of campaigns (django-tasks; the worker is `manage.py db_worker`)."""

from itertools import islice

from django_tasks import task

from campaigns.models import Plan, PlanDelivery
from org import tree
from org.models import Unit, UnitStatus

BATCH = 5000


def recipient_units(*, plan: Plan, deliver_below: bool, unit_ids: list[int] | None = None):
    """Ids of the units a plan goes to.

    Without `unit_ids`: the issuer's direct children, or its whole active subtree. With them:
    those units (when still active and below the issuer), and with `deliver_below` every active
    unit below each of them too (one query for their paths, then one OR'ed query).
    """
    issuer = plan.unit
    below = Unit.objects.filter(tree.subtree_q(issuer, strict=True), status=UnitStatus.ACTIVE)
    if unit_ids is None:
        units = below if deliver_below else below.filter(tree.children_q(issuer))
        return units.values_list("pk", flat=True)
    chosen = below.filter(pk__in=list(unit_ids))
    if not deliver_below:
        return chosen.values_list("pk", flat=True)
    tops = list(chosen.order_by())
    if not tops:
        return Unit.objects.none().values_list("pk", flat=True)
    return below.filter(tree.subtrees_q(tops)).values_list("pk", flat=True)


@task()
def plan_distribute(plan_id: int, deliver_below: bool = False, unit_ids: list[int] | None = None) -> int:
    """Put an issued plan in its recipients' inboxes; safe to run twice. Returns units reached."""
    plan = Plan.objects.select_related("unit").get(pk=plan_id)
    # One streamed query for the ids and one INSERT per 5,000 rows: fine for 130k units.
    ids = (
        recipient_units(plan=plan, deliver_below=deliver_below, unit_ids=unit_ids)
        .order_by()
        .iterator(chunk_size=BATCH)
    )
    total = 0
    while batch := list(islice(ids, BATCH)):
        PlanDelivery.objects.bulk_create(
            [PlanDelivery(plan_id=plan.pk, unit_id=pk) for pk in batch],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        total += len(batch)
    return total
