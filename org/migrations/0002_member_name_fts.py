"""PostgreSQL only: a GIN index for the full-text name search in org/selectors/search.py.

SQLite has no such index type; there the search falls back to LIKE on name_folded.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS org_member_name_fts ON org_member "
        "USING gin (to_tsvector('simple', name_folded))"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS org_unit_name_fts ON org_unit "
        "USING gin (to_tsvector('simple', name_folded))"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS org_member_name_fts")
    schema_editor.execute("DROP INDEX IF EXISTS org_unit_name_fts")


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
