"""Drop org_member's own index on unit_id: org_member_unit_status (unit_id, status) serves every
lookup by unit, and each index costs every insert (a roster import writes millions of rows).

The FK constraint is left as it is (Django's AlterField would drop and re-add it, checking every
row again). `org_member_cccd_..._like` stays: under the database's collation (C.UTF-8 is not
"C" for PostgreSQL 15) the unique btree on cccd cannot serve `cccd LIKE '0790%'`, which then
scans the table (checked with EXPLAIN on 2 M members)."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "org_member_unit_id_88d7c136"  # Django's name for it, the same on every database


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0006_member_search_vector"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="member",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="org.unit",
                        verbose_name="unit",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "org_member" ("unit_id")',
                ),
            ],
        ),
    ]
