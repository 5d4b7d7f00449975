"""Background tasks of campaigns (django-tasks; the worker is `manage.py db_worker`)."""

from itertools import islice

from django_tasks import task

from campaigns.models import Plan, PlanDelivery
from org.models import Unit, UnitStatus

BATCH = 5000


def recipient_units(*, plan: Plan, deliver_below: bool):
    """Ids of the units a plan goes to: the issuer's direct children, or its whole active subtree."""
    issuer = plan.unit
    units = Unit.objects.filter(path__startswith=issuer.path, status=UnitStatus.ACTIVE)
    units = units.filter(depth__gt=issuer.depth) if deliver_below else units.filter(depth=issuer.depth + 1)
    return units.values_list("pk", flat=True)


@task()
def plan_distribute(plan_id: int, deliver_below: bool = False) -> int:
    """Put an issued plan in its recipients' inboxes; safe to run twice. Returns units reached."""
    plan = Plan.objects.select_related("unit").get(pk=plan_id)
    # One streamed query for the ids and one INSERT per 5,000 rows: fine for 130k units.
    ids = recipient_units(plan=plan, deliver_below=deliver_below).order_by().iterator(chunk_size=BATCH)
    total = 0
    while batch := list(islice(ids, BATCH)):
        PlanDelivery.objects.bulk_create(
            [PlanDelivery(plan_id=plan.pk, unit_id=pk) for pk in batch],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        total += len(batch)
    return total
