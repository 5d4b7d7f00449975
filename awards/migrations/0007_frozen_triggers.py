"""Issued decisions, their lines and their stored papers are refused UPDATE and DELETE by the
database itself, whoever writes (raw SQL, `loaddata`, another program).

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE only: the test runner empties SQLite
tables with DELETE between transactional tests, which a DELETE trigger would break (the model
layer still refuses deletes there, see lib/frozen.py). A later migration that rebuilds one of
these tables on SQLite drops its trigger: lib/tests/test_immutability.py checks they exist."""

from django.db import migrations

from lib.frozen import frozen_triggers

ISSUED = "an issued decision cannot be changed or deleted; issue an amending or revoking decision"

PG_FUNCTIONS = {
    # table: the condition (on OLD, and on NEW for an update) under which a row is frozen
    "awards_decision": ("OLD.status = 'issued'", None),
    "awards_decisionline": (
        "EXISTS (SELECT 1 FROM awards_decision d WHERE d.id = OLD.decision_id AND d.status = 'issued')",
        "EXISTS (SELECT 1 FROM awards_decision d WHERE d.id = NEW.decision_id AND d.status = 'issued')",
    ),
    "awards_decisionfile": ("TRUE", None),
}

SQLITE_WHEN = {
    "awards_decision": "OLD.status = 'issued'",
    "awards_decisionline": (
        "EXISTS (SELECT 1 FROM awards_decision d WHERE d.id IN (OLD.decision_id, NEW.decision_id) "
        "AND d.status = 'issued')"
    ),
    "awards_decisionfile": "1",
}


class Migration(migrations.Migration):
    dependencies = [("awards", "0006_decision_snapshot")]

    operations = frozen_triggers(ISSUED, pg=PG_FUNCTIONS, sqlite=SQLITE_WHEN)
