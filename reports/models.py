"""Periodic reporting (báo cáo) up the tree, its review, live roll-up, and scoring in clusters.

A form (ReportForm) has versions; a published version is never changed, so what was submitted
always reads against the version it was submitted on. Values are stored one row per indicator
(ReportValue) so roll-ups aggregate in SQL over 130,000 reports.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.fields import optional_fk
from lib.frozen import FrozenModel, FrozenQuerySet

USER = settings.AUTH_USER_MODEL


class ReportForm(models.Model):
    """A report form (mẫu báo cáo) kept by a federation, e.g. for a campaign phase or a year."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("kept by"), on_delete=models.PROTECT, related_name="report_forms"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    plan = optional_fk("campaigns.Plan", _("plan"), related_name="report_forms")
    phase = optional_fk("campaigns.Phase", _("phase"))
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="reports_form_unique_code")]

    def __str__(self) -> str:
        return self.name


class FormVersion(models.Model):
    """One version of a form. Published versions are frozen; a change makes a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="reports_formversion_unique")]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"


class Section(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=255)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class Indicator(models.Model):
    """One figure of a form (số liệu): its type, roll-up rule, validation and optional formula."""

    class Kind(models.TextChoices):
        INTEGER = "integer", _("Whole number")
        MONEY = "money", _("Money (đồng)")
        PERCENT = "percent", _("Percentage")
        BOOLEAN = "boolean", _("Yes / no")
        TEXT = "text", _("Text")
        FILE = "file", _("File")

    class Rollup(models.TextChoices):
        SUM = "sum", _("Sum")
        WEIGHTED_AVG = "weighted_avg", _("Average weighted by members")
        COUNT_YES = "count_yes", _("Count of yes")
        MIN = "min", _("Minimum")
        MAX = "max", _("Maximum")
        NONE = "none", _("Not rolled up")

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="indicators")
    section = optional_fk(Section, related_name="indicators", on_delete=models.CASCADE)
    code = models.SlugField(_("code"), max_length=60)  # used in formulas and Excel: "pilot_models"
    label = models.CharField(_("label"), max_length=500)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.INTEGER)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40, blank=True)
    rollup = models.CharField(_("roll-up"), max_length=14, choices=Rollup.choices, default=Rollup.SUM)
    required = models.BooleanField(_("required"), default=False)
    min_value = models.DecimalField(_("minimum"), max_digits=20, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=20, decimal_places=2, null=True, blank=True)
    at_most_members = models.BooleanField(_("at most the unit's members"), default=False)
    # A computed indicator: an arithmetic expression over other codes ("a + b"); read-only in the form.
    formula = models.CharField(_("formula"), max_length=500, blank=True)
    help_text = models.CharField(_("help"), max_length=500, blank=True)
    # What the figure reports on, for the sơ kết / tổng kết paper: the plan's content item ("2.1")
    # and/or one of its movements.
    content_number = models.CharField(_("content item"), max_length=20, blank=True)
    movement = optional_fk("campaigns.Movement", _("movement"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="reports_indicator_unique_code")
        ]

    def __str__(self) -> str:
        return self.label


class FormRule(models.Model):
    """A check between indicators that must hold ("helped_women <= helped_members")."""

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="rules")
    expression = models.CharField(_("expression"), max_length=500)
    message = models.CharField(_("message"), max_length=500)

    class Meta:
        ordering = ["id"]


class ReportRequest(models.Model):
    """A federation asks units (a level of its subtree, or a list) for a form by a date."""

    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="requests")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="report_requests"
    )
    title = models.CharField(_("title"), max_length=255)
    period = models.CharField(_("period"), max_length=120, blank=True)  # "Sơ kết đợt 1 năm 2021"
    unit_level = models.PositiveSmallIntegerField(_("units of level"), null=True, blank=True)
    due_on = models.DateField(_("due date"))
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before"), default=3)
    recipients = models.ManyToManyField("org.Unit", through="RequestRecipient", related_name="+")
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        ordering = ["-due_on", "-id"]

    def __str__(self) -> str:
        return self.title


class RequestRecipient(models.Model):
    """A unit a request was sent to (materialised, so 'who is missing' is one anti-join)."""

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="recipient_rows")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "unit"], name="reports_recipient_unique")]


class Report(models.Model):
    """One unit's report for one request; its content lives in versions (none deleted)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        ACCEPTED = "accepted", _("Accepted")

    request = models.ForeignKey(ReportRequest, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_version = optional_fk("ReportVersion")
    revision = models.PositiveIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["request", "unit"], name="reports_report_unique")]
        indexes = [models.Index(fields=["request", "status"])]


class ReportVersion(models.Model):
    """The figures of a report as saved or submitted once; kept for ever."""

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        XLSX = "xlsx", _("Excel file")
        API = "api", _("API")
        ROLLUP = "rollup", _("Prefilled from the roll-up")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB)
    note = models.TextField(_("note"), blank=True)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reports_version_unique")]


class ReportValue(models.Model):
    """One indicator's value in one report version."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    number = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "indicator"], name="reports_value_unique")]
        indexes = [models.Index(fields=["indicator", "version"])]


class Evidence(models.Model):
    """A file attached to a report (photos, PDFs), served only through scoped views."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="evidence")
    indicator = optional_fk(Indicator)
    file = models.FileField(upload_to="reports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = optional_fk(USER)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class ReviewAction(models.Model):
    """What happened to a report: submitted, returned with a comment, accepted, reopened."""

    class Kind(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        RETURN = "return", _("Returned")
        ACCEPT = "accept", _("Accepted")
        REOPEN = "reopen", _("Reopened")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="actions")
    version = optional_fk(ReportVersion)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = optional_fk(USER)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]


class ScoringTable(models.Model):
    """A scoring table (bảng chấm điểm) with an effective date, for one or more clusters."""

    class TieBreak(models.TextChoices):
        FIRST_CRITERION = "first_criterion", _("Higher score on the criteria in order")
        MORE_MEMBERS = "more_members", _("More members")
        EARLIER_SUBMISSION = "earlier_submission", _("Submitted earlier")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("kept by"), on_delete=models.PROTECT, related_name="scoring_tables"
    )
    name = models.CharField(_("name"), max_length=255)
    version = models.PositiveIntegerField(_("version"), default=1)
    effective_from = models.DateField(_("effective from"))
    clusters = models.ManyToManyField("campaigns.Cluster", related_name="scoring_tables", blank=True)
    form_version = optional_fk(FormVersion, _("indicators from"))
    tie_break = models.CharField(
        _("ties broken by"), max_length=20, choices=TieBreak.choices, default=TieBreak.FIRST_CRITERION
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scoring table")
        verbose_name_plural = _("scoring tables")
        ordering = ["-effective_from", "name"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One criterion with its maximum; scored by a rule over indicators or by hand."""

    class Method(models.TextChoices):
        THRESHOLD = "threshold", _("Points when an indicator reaches a value")
        RATIO = "ratio", _("Ratio of two indicators × points")
        PROPORTIONAL = "proportional", _("Indicator × points per unit")
        MANUAL = "manual", _("Scored by the reviewers")

    table = models.ForeignKey(ScoringTable, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("criterion"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=8, decimal_places=2)
    method = models.CharField(_("scored by"), max_length=12, choices=Method.choices, default=Method.MANUAL)
    # {"indicator": "pilot_models", "at_least": 1, "points": 10} / {"numerator": "...", "denominator": "...",
    #  "points": 20} / {"indicator": "...", "points_each": 2}
    rule = models.JSONField(_("rule"), default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["table", "code"], name="reports_criterion_unique")]


SCORES_FROZEN = _("The ranking is published; these scores are frozen.")
RANKING_PUBLISHED = _("A published ranking cannot be changed or withdrawn.")


class ScoreSheetQuerySet(FrozenQuerySet):
    frozen = Q(status="frozen")
    change_message = delete_message = SCORES_FROZEN


class ScoreSheet(FrozenModel):
    """A unit's scores for a year under a table: self-assessed, reviewed, then frozen (never
    changed again: see reports/frozen.py)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Self-assessment in progress")
        SUBMITTED = "submitted", _("Self-assessment submitted")
        REVIEWED = "reviewed", _("Reviewed")
        FROZEN = "frozen", _("Published (frozen)")

    table = models.ForeignKey(ScoringTable, on_delete=models.PROTECT, related_name="sheets")
    cluster = optional_fk("campaigns.Cluster")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="score_sheets"
    )
    year = models.PositiveIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(_("total"), max_digits=10, decimal_places=2, default=0)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)

    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["table", "unit", "year"], name="reports_sheet_unique")]


class ScoreQuerySet(FrozenQuerySet):
    frozen = Q(sheet__status="frozen")
    change_message = delete_message = SCORES_FROZEN


class Score(FrozenModel):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(
        _("self-assessed points"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    self_evidence = models.TextField(_("evidence"), blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="reports_score_unique")]


class ScoreChange(models.Model):
    """A reviewer's change of a score: old -> new with the written reason (required)."""

    score = models.ForeignKey(Score, on_delete=models.PROTECT, related_name="changes")
    old_points = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    new_points = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason"))
    by_unit = optional_fk("org.Unit")
    by = optional_fk(USER)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]


class RankingPublicationQuerySet(FrozenQuerySet):
    frozen = Q()  # every row: a published ranking stays published as it was
    change_message = delete_message = RANKING_PUBLISHED


class RankingPublication(FrozenModel):
    """The published (frozen) ranking of a cluster for a year, with its decision file."""

    table = models.ForeignKey(ScoringTable, on_delete=models.PROTECT, related_name="publications")
    cluster = models.ForeignKey("campaigns.Cluster", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    decision_number = models.CharField(_("decision number"), max_length=80)
    decision_file = models.FileField(_("decision file"), upload_to="rankings/%Y/", blank=True)
    published_by = optional_fk(USER)
    published_at = models.DateTimeField(auto_now_add=True)

    objects = RankingPublicationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["table", "cluster", "year"], name="reports_publication_unique")
        ]


class RankingSnapshotQuerySet(FrozenQuerySet):
    frozen = Q()  # every row: what a published ranking printed never changes
    change_message = delete_message = RANKING_PUBLISHED


class RankingSnapshot(FrozenModel):
    """What a published ranking prints from other tables, stored when it is published, so that a
    later rename of the cluster, the table, a criterion or a unit leaves it as it was published.
    Written after its rows: a row joining a ranking that already has its snapshot is refused."""

    publication = models.OneToOneField(RankingPublication, on_delete=models.PROTECT, related_name="snapshot")
    cluster_name = models.CharField(max_length=255)
    table_name = models.CharField(max_length=255)
    table_version = models.PositiveIntegerField()
    tie_break = models.CharField(max_length=20, choices=ScoringTable.TieBreak.choices)
    # [{"code": "c1", "label": "...", "max_points": "10.00"}, ...] in the table's order
    criteria = models.JSONField(default=list)

    objects = RankingSnapshotQuerySet.as_manager()


class RankingSnapshotRowQuerySet(FrozenQuerySet):
    frozen = Q(publication__snapshot__isnull=False)
    change_message = delete_message = RANKING_PUBLISHED


class RankingSnapshotRow(FrozenModel):
    """One unit's line of a published ranking as published: rank, name that day, points per
    criterion (in the snapshot's criteria order), total, grade and flag proposal."""

    publication = models.ForeignKey(RankingPublication, on_delete=models.PROTECT, related_name="rows")
    position = models.PositiveIntegerField()
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(max_length=255)
    rank = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=10, decimal_places=2)
    points = models.JSONField(default=list)  # ["10.00", null, ...]
    grade = models.CharField(max_length=80)  # the grade's msgid, translated when shown
    flag = models.BooleanField(default=False)  # proposed for the cluster emulation flag

    objects = RankingSnapshotRowQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "position"], name="reports_rankingrow_unique")
        ]


class RankingFileQuerySet(FrozenQuerySet):
    frozen = Q()  # every row: a stored paper is never replaced
    change_message = delete_message = RANKING_PUBLISHED


class RankingFile(FrozenModel):
    """The .xlsx of a published ranking exactly as first made, with its SHA-256; served as stored
    after its checksum is verified (like awards.DecisionFile)."""

    class Format(models.TextChoices):
        XLSX = "xlsx", ".xlsx"

    publication = models.ForeignKey(RankingPublication, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=4, choices=Format.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RankingFileQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["publication", "format"], name="reports_rankingfile_unique")
        ]
