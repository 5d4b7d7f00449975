"""A published ranking, its frozen score sheets and their scores are refused UPDATE and DELETE
by the database itself, whoever writes (raw SQL, `loaddata`, another program).

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE only: the test runner empties SQLite
tables with DELETE between transactional tests, which a DELETE trigger would break (the model
layer still refuses deletes there, see lib/frozen.py). A later migration that rebuilds one of
these tables on SQLite drops its trigger: lib/tests/test_immutability.py checks they exist."""

from django.db import migrations

from lib.frozen import RunSQLOn

FROZEN = "a published ranking and its frozen score sheets cannot be changed or deleted"

PG_FUNCTIONS = {
    # table: the condition (on OLD, and on NEW for an update) under which a row is frozen
    "reports_scoresheet": ("OLD.status = 'frozen'", None),
    "reports_score": (
        "EXISTS (SELECT 1 FROM reports_scoresheet s WHERE s.id = OLD.sheet_id AND s.status = 'frozen')",
        "EXISTS (SELECT 1 FROM reports_scoresheet s WHERE s.id = NEW.sheet_id AND s.status = 'frozen')",
    ),
    "reports_rankingpublication": ("TRUE", None),
}


def _pg_create(table: str, old: str, new: str | None) -> list[str]:
    moved = f"IF TG_OP = 'UPDATE' AND {new} THEN RAISE EXCEPTION '%: {FROZEN}', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; END IF;" if new else ""
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF {old} THEN
        RAISE EXCEPTION '% %: {FROZEN}', TG_TABLE_NAME, OLD.id USING ERRCODE = 'restrict_violation';
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


SQLITE_WHEN = {
    "reports_scoresheet": "OLD.status = 'frozen'",
    "reports_score": (
        "EXISTS (SELECT 1 FROM reports_scoresheet s WHERE s.id IN (OLD.sheet_id, NEW.sheet_id) "
        "AND s.status = 'frozen')"
    ),
    "reports_rankingpublication": "1",
}


def _sqlite_create(table: str, when: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table} FOR EACH ROW WHEN {when} "
        f"BEGIN SELECT RAISE(ABORT, '{table}: {FROZEN}'); END"
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_frozen_update"]


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_indicator_links")]

    operations = [
        RunSQLOn(
            "postgresql",
            [sql for table, (old, new) in PG_FUNCTIONS.items() for sql in _pg_create(table, old, new)],
            [sql for table in PG_FUNCTIONS for sql in _pg_drop(table)],
        ),
        RunSQLOn(
            "sqlite",
            [sql for table, when in SQLITE_WHEN.items() for sql in _sqlite_create(table, when)],
            [sql for table in SQLITE_WHEN for sql in _sqlite_drop(table)],
        ),
    ]
