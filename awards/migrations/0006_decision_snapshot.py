"""What an issued decision's papers print, stored with it: the award's name and kind, the
certificate heading, the issuing unit's name and header lines, each line's unit (and, for a
collective, the unit above it) as named that day, each register line's award name; and a table
for the issued .docx and PDF with their SHA-256.

Decisions issued before this migration were not snapshotted when they were issued, so their
snapshot is filled here from today's data: the best available, exact unless an award or a unit
was renamed between the issue and this migration. Their .docx and PDF are made from that
snapshot at their first download and stored then, never remade afterwards. Every existing
register line gets its award's name of today in the same way."""

import django.db.models.deletion
from django.db import migrations, models

# Copied from the code of today (awards.services.certificates.HEADINGS, campaigns.papers):
# a migration must not follow later changes of the code it was written against.
HEADINGS = {
    "bang_khen": "BẰNG KHEN",
    "giay_khen": "GIẤY KHEN",
    "giay_chung_nhan": "GIẤY CHỨNG NHẬN",
    "ky_niem_chuong": "GIẤY CHỨNG NHẬN",
    "co": "CỜ THI ĐUA",
}
BOARDS = {"BAN THƯỜNG VỤ", "BAN CHẤP HÀNH"}
STEPLEN = 4


def _heading_name(unit) -> str:
    return (unit.short_name or unit.name).upper()


def _bodies(unit, parent, authority: str) -> tuple[str, str]:
    board = (authority or "").upper().removeprefix("TM.").strip()
    if board in BOARDS:
        return _heading_name(unit), board
    if unit.kind == "confederation" or parent is None:
        return "CÔNG ĐOÀN VIỆT NAM", _heading_name(unit)
    return _heading_name(parent), _heading_name(unit)


def fill_snapshot(apps, schema_editor):
    Award = apps.get_model("awards", "Award")
    AwardRecord = apps.get_model("awards", "AwardRecord")
    Decision = apps.get_model("awards", "Decision")
    DecisionLine = apps.get_model("awards", "DecisionLine")
    Unit = apps.get_model("org", "Unit")
    for award in Award.objects.only("pk", "name"):
        AwardRecord.objects.filter(award_id=award.pk, award_name="").update(award_name=award.name)

    def parent_of(unit):
        path = unit.path[:-STEPLEN]
        return Unit.objects.filter(path=path).first() if path else None

    issued = Decision.objects.filter(status="issued").select_related("award", "unit")
    for decision in issued.iterator():
        award, unit = decision.award, decision.unit
        parent_body, issuing_body = _bodies(unit, parent_of(unit), decision.signer_authority)
        Decision.objects.filter(pk=decision.pk).update(
            award_name=award.name,
            award_kind=award.kind,
            certificate_heading=award.certificate_heading or HEADINGS.get(award.certificate, award.name.upper()),
            unit_name=unit.name,
            parent_body=parent_body,
            issuing_body=issuing_body,
        )
        for line in DecisionLine.objects.filter(decision_id=decision.pk).select_related("unit"):
            parent = parent_of(line.unit) if line.member_id is None else None
            DecisionLine.objects.filter(pk=line.pk).update(
                unit_name=line.unit.name, parent_name=parent.name if parent else ""
            )



class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0005_valid_award_year_index'),
        ('org', '0005_drop_duplicate_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='awardrecord',
            name='award_name',
            field=models.CharField(blank=True, max_length=255, verbose_name='award (name then)'),
        ),
        migrations.AddField(
            model_name='decision',
            name='award_kind',
            field=models.CharField(blank=True, max_length=10, verbose_name='award kind (as issued)'),
        ),
        migrations.AddField(
            model_name='decision',
            name='award_name',
            field=models.CharField(blank=True, max_length=255, verbose_name='award (name as issued)'),
        ),
        migrations.AddField(
            model_name='decision',
            name='certificate_heading',
            field=models.CharField(blank=True, max_length=255, verbose_name='certificate heading (as issued)'),
        ),
        migrations.AddField(
            model_name='decision',
            name='issuing_body',
            field=models.CharField(blank=True, max_length=255, verbose_name='issuing body (heading as issued)'),
        ),
        migrations.AddField(
            model_name='decision',
            name='parent_body',
            field=models.CharField(blank=True, max_length=255, verbose_name='body above the issuer (heading as issued)'),
        ),
        migrations.AddField(
            model_name='decision',
            name='unit_name',
            field=models.CharField(blank=True, max_length=255, verbose_name='issuing unit (name as issued)'),
        ),
        migrations.AddField(
            model_name='decisionline',
            name='parent_name',
            field=models.CharField(blank=True, max_length=255, verbose_name='unit above a collective (name as issued)'),
        ),
        migrations.AddField(
            model_name='decisionline',
            name='unit_name',
            field=models.CharField(blank=True, max_length=255, verbose_name='unit (name as issued)'),
        ),
        migrations.CreateModel(
            name='DecisionFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('format', models.CharField(choices=[('docx', '.docx'), ('pdf', 'PDF')], max_length=4)),
                ('content', models.BinaryField()),
                ('sha256', models.CharField(max_length=64)),
                ('size', models.PositiveIntegerField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='files', to='awards.decision')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('decision', 'format'), name='awards_decisionfile_unique')],
            },
        ),
        migrations.RunPython(fill_snapshot, migrations.RunPython.noop),
    ]
