"""Creating and editing units. Restructuring (merge, split, move, dissolve) lives in
org/services/restructure.py."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.audit import acting_as
from lib.text import clean, fold
from org.models import Unit, UnitEvent, UnitLink

EDITABLE_FIELDS = ["name", "short_name", "address", "sector"]


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
    with acting_as(created_by):
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
        if Unit.objects.filter(code=fields["code"]).exists():
            raise ValidationError({"code": _("A unit with this code already exists.")})
        unit = Unit.objects.add_child(parent, fields) if parent is not None else Unit.objects.add_root(fields)
        event = None
        if decision_number or created_by is not None:
            event = UnitEvent.objects.create(
                kind=UnitEvent.Kind.CREATE,
                effective_on=established_on or datetime.date.today(),
                decision_number=clean(decision_number),
                created_by=created_by,
            )
            event.targets.add(unit)
        UnitLink.objects.create(unit=unit, parent=parent, valid_from=established_on, event=event)
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, updated_by=None, **data) -> Unit:
    """Change a unit's own descriptive fields (not code, kind or parent: those are restructuring)."""
    data = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    for key in ("name", "short_name", "address"):
        if key in data:
            data[key] = clean(data[key])
    with acting_as(updated_by):
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        changed = [k for k, v in data.items() if getattr(unit, k) != v]
        if not changed:
            return unit
        for key in changed:
            setattr(unit, key, data[key])
        if "name" in changed:
            unit.name_folded = fold(unit.name)
            changed.append("name_folded")
        unit.full_clean(exclude=["path", "depth", "numchild", "successor"])
        unit.save(update_fields=[*changed, "updated_at"])
    return unit
