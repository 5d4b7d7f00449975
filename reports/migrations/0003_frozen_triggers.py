"""A published ranking, its frozen score sheets and their scores are refused UPDATE and DELETE
by the database itself, whoever writes (raw SQL, `loaddata`, another program).

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE only: the test runner empties SQLite
tables with DELETE between transactional tests, which a DELETE trigger would break (the model
layer still refuses deletes there, see lib/frozen.py). A later migration that rebuilds one of
these tables on SQLite drops its trigger: lib/tests/test_immutability.py checks they exist."""

from django.db import migrations

from lib.frozen import frozen_triggers

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

SQLITE_WHEN = {
    "reports_scoresheet": "OLD.status = 'frozen'",
    "reports_score": (
        "EXISTS (SELECT 1 FROM reports_scoresheet s WHERE s.id IN (OLD.sheet_id, NEW.sheet_id) "
        "AND s.status = 'frozen')"
    ),
    "reports_rankingpublication": "1",
}


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_indicator_links")]

    operations = frozen_triggers(FROZEN, pg=PG_FUNCTIONS, sqlite=SQLITE_WHEN)
