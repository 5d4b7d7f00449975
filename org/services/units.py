"""Creating units. Restructuring (merge, split, move, dissolve) lives in org/services/restructure.py."""

import datetime

from django.db import transaction

from lib.text import clean, fold
from org.models import Unit, UnitEvent, UnitLink


@transaction.atomic
def unit_create(
    *,
    parent: Unit | None,
    code: str,
    name: str,
    kind: str,
    short_name: str = "",
    sector: str = "",
    address: str = "",
    established_on: datetime.date | None = None,
    decision_number: str = "",
    created_by=None,
) -> Unit:
    """Add a unit under `parent` (a root when None) and open its parent history."""
    fields = dict(
        code=clean(code),
        name=clean(name),
        name_folded=fold(name),
        short_name=clean(short_name),
        kind=kind,
        sector=sector,
        address=clean(address),
        established_on=established_on,
    )
    unit = parent.add_child(**fields) if parent is not None else Unit.add_root(**fields)
    event = None
    if decision_number or created_by is not None:
        event = UnitEvent.objects.create(
            kind=UnitEvent.Kind.CREATE,
            effective_on=established_on or datetime.date.today(),
            decision_number=decision_number,
            created_by=created_by,
        )
        event.targets.add(unit)
    UnitLink.objects.create(unit=unit, parent=parent, valid_from=established_on, event=event)
    return unit
