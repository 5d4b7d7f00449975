"""The audit log (django-auditlog): who acted (`acting_as`) and reads for every app's history pages."""

import contextlib
from collections.abc import Iterator
from operator import attrgetter

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet


@contextlib.contextmanager
def acting_as(user) -> Iterator[None]:
    """Record `user` as the actor of audit entries written inside the block.

    auditlog's set_actor does not restore an enclosing context (the request's), so put it back
    ourselves: entries written later in the same request keep their actor."""
    if user is None:
        yield
        return
    prior = auditlog_value.get(None)
    try:
        with set_actor(user):
            yield
    finally:
        if prior is not None:
            auditlog_value.set(prior)


def audit_for_object(obj: Model) -> QuerySet[LogEntry]:
    """Every recorded change of one record, newest first."""
    ct = ContentType.objects.get_for_model(obj.__class__)
    return (
        LogEntry.objects.filter(content_type=ct, object_pk=str(obj.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")
    )


def audit_for_unit_ids(unit_ids) -> QuerySet[LogEntry]:
    """Changes of records that belong to the given units (the unit itself, its members,
    accounts and roles), found through the `unit_id` each model stores with its entries."""
    ids = [int(i) for i in unit_ids]
    return (
        LogEntry.objects.filter(additional_data__unit_id__in=ids)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")
    )


def change_rows(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, old, new) rows of one entry, for display."""
    changes = entry.changes_dict or {}
    rows = []
    for field, pair in changes.items():
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            old, new = pair
        else:
            old, new = "", pair
        rows.append(
            (field, "" if old in (None, "None") else str(old), "" if new in (None, "None") else str(new))
        )
    return rows


def audit_register(model, *, unit: str | None = None, **options) -> None:
    """Register a model with auditlog, leaving out reverse relations (auditlog would record
    every related manager as a 'field' of each new row: noise such as 'pledges: None').

    `unit` is the attribute path (`"unit_id"`, `"council.unit_id"`, `"pk"`) of the unit a row
    belongs to; each entry then stores it as `additional_data={"unit_id": ...}`, which is how
    the unit's audit page finds it (`audit_for_unit_ids`)."""
    from auditlog.registry import auditlog

    reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
    if reverse and "include_fields" not in options:
        options["exclude_fields"] = [*options.get("exclude_fields", []), *reverse]
    if unit is not None:
        model.get_additional_data = _unit_data(unit)  # auditlog calls it for every entry it writes
    auditlog.register(model, **options)


def _unit_data(path: str):
    """A `get_additional_data` method returning {"unit_id": <the value at `path`>}."""
    value = attrgetter(path)

    def get_additional_data(self) -> dict:
        return {"unit_id": value(self)}

    return get_additional_data


def audit_actor_late(user) -> None:
    """Record `user` as the actor of the audit entries written in the rest of this request.

    auditlog's middleware takes the actor from request.user before any view runs; an API token
    is authenticated only inside the view (Django REST framework), so without this every write
    through the API would be logged with no actor. Fills the request's own auditlog context, so
    nothing needs undoing; an actor already set (a session login) is kept."""
    context = auditlog_value.get(None)
    if context is None or not getattr(user, "is_authenticated", False):
        return
    if context.get("actor") is None:
        context["actor"] = user
