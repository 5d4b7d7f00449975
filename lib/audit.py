"""The audit log (django-auditlog): who acted (`acting_as`) and reads for every app's history pages."""

import contextlib
from collections.abc import Iterator
from operator import attrgetter

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import BooleanField, Model, Q, QuerySet
from django.db.models.expressions import RawSQL


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
    """Every recorded change of one record, newest first, with the bulk entries (audit_bulk)
    whose id ranges hold it: a roster import that added or updated it."""
    ct = ContentType.objects.get_for_model(obj.__class__)
    return (
        LogEntry.objects.filter(Q(content_type=ct, object_pk=str(obj.pk)) | _bulk_holding(ct.pk, obj.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")
    )


# "app_label.model" of the records whose entries may name rows in bulk (audit_bulk_register).
_BULK_SOURCES: set[str] = set()


def audit_bulk_register(model: type[Model]) -> None:
    """Let `model` (the record of a bulk run, e.g. an import job) hold bulk entries; history
    pages look for them among that model's entries only, found through an index."""
    _BULK_SOURCES.add(model._meta.label_lower)


def audit_bulk(
    *,
    model: type[Model],
    object_pk: int | None,
    object_repr: str,
    actor,
    changes: dict,
    unit_id: int | None,
    items: type[Model],
    ranges: list[list[int]],
) -> LogEntry:
    """One audit entry for a bulk write (a roster import) instead of one per row written: on
    the record of the run (`model`, `object_pk`), naming the `items` rows it wrote by their id
    ranges ([[first, last], ...]); `audit_for_object` of any of those rows lists it."""
    ids_ct = ContentType.objects.get_for_model(items)
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="" if object_pk is None else str(object_pk),
        object_id=object_pk,
        object_repr=object_repr[:255],
        action=LogEntry.Action.CREATE,
        changes={name: [None, str(value)] for name, value in changes.items()},
        actor=actor if actor is not None and actor.pk else None,
        actor_email=getattr(actor, "email", None) or None,
        additional_data={"unit_id": unit_id, "bulk": {"content_type": ids_ct.pk, "ids": ranges}},
    )


def _bulk_holding(ct_id: int, pk) -> Q:
    """Bulk entries for rows of content type `ct_id` whose id ranges hold `pk`."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return Q(pk__in=[])
    table = connection.ops.quote_name(LogEntry._meta.db_table)
    if connection.vendor == "postgresql":
        sql = (
            f"jsonb_path_exists({table}.additional_data, "
            "'strict $.bulk ? (@.content_type == $ct).ids[*] ? (@[0] <= $pk && @[1] >= $pk)', "
            "jsonb_build_object('ct', %s::int, 'pk', %s::bigint))"
        )
        params = [ct_id, pk]
    else:
        sql = (
            f"json_extract({table}.additional_data, '$.bulk.content_type') = %s AND EXISTS ("
            f"SELECT 1 FROM json_each({table}.additional_data, '$.bulk.ids') AS r "
            "WHERE json_extract(r.value, '$[0]') <= %s AND json_extract(r.value, '$[1]') >= %s)"
        )
        params = [ct_id, pk, pk]
    sources = [
        ContentType.objects.get_by_natural_key(*label.split(".")).pk for label in sorted(_BULK_SOURCES)
    ]
    return Q(content_type__in=sources) & Q(RawSQL(sql, params, output_field=BooleanField()))


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
