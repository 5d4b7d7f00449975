"""Ship the national award catalogue (../shared/AWARDS.md) as default data."""

from django.db import migrations


def load(apps, schema_editor):
    from awards.defaults import load_catalogue

    load_catalogue(
        apps.get_model("awards", "Award"),
        apps.get_model("awards", "AwardCondition"),
        apps.get_model("awards", "AwardQuota"),
    )


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
