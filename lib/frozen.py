"""Rows that never change once issued, published or frozen, refused in two places.

The model layer (every vendor): `pre_save` and `pre_delete` handlers, which also see the raw
saves of `loaddata` that skip `Model.save()`, and a queryset whose bulk `update()` and
`delete()` refuse. The database: triggers, created by the owning app's migrations with
`RunSQLOn`. PostgreSQL refuses UPDATE and DELETE; SQLite refuses UPDATE only, because the test
runner empties SQLite tables with DELETE between transactional tests (PostgreSQL's TRUNCATE
fires no row trigger). A raw INSERT of a new row stays possible so that a dump of a whole
database can be loaded back in table order."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError
from django.db import migrations, models
from django.db.models import Q
from django.db.models.signals import pre_delete, pre_save


class ImmutableError(ValidationError):
    """Raised when code tries to change or delete a frozen row."""


class FrozenQuerySet(models.QuerySet):
    """Bulk `update()` and `delete()` refuse when a matched row is frozen.

    Subclasses set `frozen` (a Q over the model's own fields) and the two messages."""

    frozen: Q = Q(pk__in=[])
    change_message = "This row is frozen."
    delete_message = "This row is frozen."

    def _refuse(self, message) -> None:
        if self.filter(self.frozen).exists():
            raise ImmutableError(message)

    def update(self, **kwargs):
        self._refuse(self.change_message)
        return super().update(**kwargs)

    def delete(self):
        self._refuse(self.delete_message)
        return super().delete()


class FrozenModel(models.Model):
    """Refuses `delete()` of a frozen row before Django collects what depends on it (which would
    otherwise answer with a less telling ProtectedError)."""

    class Meta:
        abstract = True

    def delete(self, using=None, keep_parents=False):
        rows = type(self)._default_manager.using(using or self._state.db).filter(pk=self.pk)
        rows._refuse(rows.delete_message)
        return super().delete(using=using, keep_parents=keep_parents)


def protect(
    model: type[models.Model], *, joins_frozen: Callable[[models.Model, str], bool] | None = None
) -> None:
    """Refuse saving or deleting a stored row of `model` that its FrozenQuerySet calls frozen.

    `joins_frozen(instance, using)` says whether the row would be added to (or moved into)
    something frozen, e.g. a line added to an issued decision; raw inserts of new rows are let
    through (see the module docstring)."""
    queryset = model._default_manager.get_queryset()
    assert isinstance(queryset, FrozenQuerySet), f"{model.__name__} needs a FrozenQuerySet manager"
    frozen, change_message, delete_message = queryset.frozen, queryset.change_message, queryset.delete_message

    def stored_frozen(instance, using: str) -> bool:
        return (
            instance.pk is not None
            and model._base_manager.using(using).filter(frozen, pk=instance.pk).exists()
        )

    def before_save(sender, instance, raw=False, using="default", **kwargs) -> None:
        if stored_frozen(instance, using):
            raise ImmutableError(change_message)
        if joins_frozen is None:
            return
        if raw and (
            instance.pk is None or not model._base_manager.using(using).filter(pk=instance.pk).exists()
        ):
            return
        if joins_frozen(instance, using):
            raise ImmutableError(change_message)

    def before_delete(sender, instance, using="default", **kwargs) -> None:
        if stored_frozen(instance, using):
            raise ImmutableError(delete_message)

    _HANDLERS[model] = (before_save, before_delete)
    _connect(model)


_HANDLERS: dict[type[models.Model], tuple[Callable, Callable]] = {}


def _connect(model) -> None:
    before_save, before_delete = _HANDLERS[model]
    uid = f"frozen:{model._meta.label}"
    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=uid)
    pre_delete.connect(before_delete, sender=model, weak=False, dispatch_uid=uid)


@contextlib.contextmanager
def model_checks_off(*models_: type[models.Model]) -> Iterator[None]:
    """For tests only: without the model layer's checks, to show that the database refuses alone."""
    for model in models_:
        uid = f"frozen:{model._meta.label}"
        pre_save.disconnect(sender=model, dispatch_uid=uid)
        pre_delete.disconnect(sender=model, dispatch_uid=uid)
    try:
        yield
    finally:
        for model in models_:
            _connect(model)


class RunSQLOn(migrations.RunSQL):
    """RunSQL for one database vendor only: trigger syntax differs between PostgreSQL and SQLite."""

    def __init__(self, vendor: str, sql, reverse_sql=None, **kwargs) -> None:
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Raw SQL for {self.vendor}"


def frozen_triggers(message: str, *, pg: dict[str, tuple[str, str | None]], sqlite: dict[str, str]) -> list:
    """The migration operations that make the database itself refuse changes to frozen rows.

    `pg`: table -> (condition on OLD, condition on NEW or None) under which a row is frozen;
    PostgreSQL refuses UPDATE and DELETE of such rows, and an UPDATE moving a row INTO a frozen
    parent. `sqlite`: table -> WHEN condition; SQLite refuses UPDATE only (the test runner
    empties SQLite tables with DELETE, and the model layer refuses deletes there)."""
    return [
        RunSQLOn(
            "postgresql",
            [sql for table, (old, new) in pg.items() for sql in _pg_create(table, old, new, message)],
            [sql for table in pg for sql in _pg_drop(table)],
        ),
        RunSQLOn(
            "sqlite",
            [_sqlite_create(table, when, message) for table, when in sqlite.items()],
            [f"DROP TRIGGER IF EXISTS {table}_frozen_update" for table in sqlite],
        ),
    ]


def _pg_create(table: str, old: str, new: str | None, message: str) -> list[str]:
    moved = (
        f"IF TG_OP = 'UPDATE' AND {new} THEN RAISE EXCEPTION '%: {message}', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; END IF;"
        if new
        else ""
    )
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF {old} THEN
        RAISE EXCEPTION '% %: {message}', TG_TABLE_NAME, OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    {moved}
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$""",
        f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_frozen()",
    ]


def _pg_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}", f"DROP FUNCTION IF EXISTS {table}_frozen()"]


def _sqlite_create(table: str, when: str, message: str) -> str:
    return (
        f"CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table} FOR EACH ROW WHEN {when} "
        f"BEGIN SELECT RAISE(ABORT, '{table}: {message}'); END"
    )
