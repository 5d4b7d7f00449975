"""What a published ranking prints, stored with it (issue 11: published means frozen): the
cluster's, the table's and each criterion's names, each unit's line as named that day (rank,
points, total, grade, flag proposal), and a table for its .xlsx with the SHA-256. The new tables
are refused UPDATE (and DELETE on PostgreSQL) by triggers, like those of migration 0003.

Rankings published before this migration were not snapshotted when they were published, so
their snapshot is filled here from the frozen sheets (their stored rank and total, which never
changed) and today's names: the best available, exact unless something was renamed between the
publication and this migration. Their .xlsx is made from that snapshot at the first download
and stored then, never remade afterwards."""

from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models

from lib.frozen import frozen_triggers

# Copied from the code of today (reports.services.scoring.rules.GRADES, as msgids): a migration
# must not follow later changes of the code it was written against.
GRADES = (
    (Decimal("0.90"), "Strong, excellent"),
    (Decimal("0.70"), "Strong"),
    (Decimal("0.50"), "Tasks completed"),
)
GRADE_BELOW = "Tasks not completed"


def _grade(total: Decimal, top: Decimal) -> str:
    if not top:
        return GRADE_BELOW
    share = Decimal(total) / Decimal(top)
    return next((label for threshold, label in GRADES if share >= threshold), GRADE_BELOW)


def _points(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def fill_snapshots(apps, schema_editor):
    RankingPublication = apps.get_model("reports", "RankingPublication")
    RankingSnapshot = apps.get_model("reports", "RankingSnapshot")
    RankingSnapshotRow = apps.get_model("reports", "RankingSnapshotRow")
    Criterion = apps.get_model("reports", "Criterion")
    ScoreSheet = apps.get_model("reports", "ScoreSheet")
    Score = apps.get_model("reports", "Score")
    publications = RankingPublication.objects.select_related("table", "cluster").order_by("pk")
    for publication in publications.iterator():
        table = publication.table
        criteria = list(Criterion.objects.filter(table_id=table.pk).order_by("position", "id"))
        top = sum((c.max_points for c in criteria), Decimal("0"))
        # The sheets ranked at publication are those given a rank then; the others were frozen
        # unranked (never submitted).
        sheets = list(
            ScoreSheet.objects.filter(
                table_id=table.pk, cluster_id=publication.cluster_id, year=publication.year, rank__isnull=False
            )
            .select_related("unit")
            .order_by("rank", "unit__name", "pk")
        )
        points = {}
        for sheet_id, criterion_id, value in Score.objects.filter(sheet__in=sheets).values_list(
            "sheet_id", "criterion_id", "points"
        ):
            points[sheet_id, criterion_id] = value
        RankingSnapshotRow.objects.bulk_create(
            RankingSnapshotRow(
                publication_id=publication.pk,
                position=position,
                sheet_id=sheet.pk,
                unit_id=sheet.unit_id,
                unit_name=sheet.unit.name,
                rank=sheet.rank,
                total=sheet.total,
                points=[_points(points.get((sheet.pk, c.pk))) for c in criteria],
                grade=_grade(sheet.total, top),
                flag=sheet.rank == 1,
            )
            for position, sheet in enumerate(sheets, start=1)
        )
        RankingSnapshot.objects.create(
            publication_id=publication.pk,
            cluster_name=publication.cluster.name,
            table_name=table.name,
            table_version=table.version,
            tie_break=table.tie_break,
            criteria=[{"code": c.code, "label": c.label, "max_points": _points(c.max_points)} for c in criteria],
        )


FROZEN = "a published ranking and what it printed cannot be changed or deleted"
TABLES = ("reports_rankingsnapshot", "reports_rankingsnapshotrow", "reports_rankingfile")



class Migration(migrations.Migration):

    dependencies = [
        ('org', '0005_drop_duplicate_indexes'),
        ('reports', '0003_frozen_triggers'),
    ]

    operations = [
        migrations.CreateModel(
            name='RankingSnapshot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cluster_name', models.CharField(max_length=255)),
                ('table_name', models.CharField(max_length=255)),
                ('table_version', models.PositiveIntegerField()),
                ('tie_break', models.CharField(choices=[('first_criterion', 'Higher score on the criteria in order'), ('more_members', 'More members'), ('earlier_submission', 'Submitted earlier')], max_length=20)),
                ('criteria', models.JSONField(default=list)),
                ('publication', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='snapshot', to='reports.rankingpublication')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='RankingFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('format', models.CharField(choices=[('xlsx', '.xlsx')], max_length=4)),
                ('content', models.BinaryField()),
                ('sha256', models.CharField(max_length=64)),
                ('size', models.PositiveIntegerField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('publication', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='files', to='reports.rankingpublication')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('publication', 'format'), name='reports_rankingfile_unique')],
            },
        ),
        migrations.CreateModel(
            name='RankingSnapshotRow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField()),
                ('unit_name', models.CharField(max_length=255)),
                ('rank', models.PositiveIntegerField()),
                ('total', models.DecimalField(decimal_places=2, max_digits=10)),
                ('points', models.JSONField(default=list)),
                ('grade', models.CharField(max_length=80)),
                ('flag', models.BooleanField(default=False)),
                ('publication', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rows', to='reports.rankingpublication')),
                ('sheet', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reports.scoresheet')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit')),
            ],
            options={
                'ordering': ['position', 'id'],
                'constraints': [models.UniqueConstraint(fields=('publication', 'position'), name='reports_rankingrow_unique')],
            },
        ),
        migrations.RunPython(fill_snapshots, migrations.RunPython.noop),
        # Every row of these tables is frozen from the moment it is written.
        *frozen_triggers(
            FROZEN, pg={table: ("TRUE", None) for table in TABLES}, sqlite={table: "1" for table in TABLES}
        ),
    ]
