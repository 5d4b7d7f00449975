"""PostgreSQL only: a GIN index for the accent-free name search of the register
(org/selectors/search.py name_filter). SQLite falls back to LIKE on name_folded."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS awards_rec_name_fts ON awards_awardrecord "
        "USING gin (to_tsvector('simple', name_folded))"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS awards_rec_name_fts")


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_record_note_notice_token")]
    operations = [migrations.RunPython(forwards, backwards)]
