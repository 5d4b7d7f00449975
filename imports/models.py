"""Import jobs run by the worker: roster imports (ImportJob), plan imports (PlanImport, the plan
read from its file) and the other uploads parsed in the background (UploadJob)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.fields import optional_fk


class ImportJob(models.Model):
    """One upload of a member roster, its progress and its outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="import_jobs"
    )
    created_by = optional_fk(settings.AUTH_USER_MODEL)
    # Stored under MEDIA_ROOT/imports/ and only ever served through the scoped job views.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_filename = models.CharField(_("file name"), max_length=255)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # [{"row": 12, "column": "Ngày sinh", "value": "31/02/1990", "message": "..."}]
    errors = models.JSONField(default=list, blank=True)
    ignored_columns = models.JSONField(default=list, blank=True)
    # The members written, as id ranges: {"added": [[first, last], ...], "updated": [...]}.
    # The job's one audit entry names the same ranges (lib.audit.audit_bulk).
    member_ids = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)  # why a file could not be read at all
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "created_at"])]

    def __str__(self) -> str:
        return self.original_filename

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def can_rerun(self) -> bool:
        """A failure of the file itself (not of its rows): the worker died, a limit was hit."""
        return self.status == self.Status.FAILED and bool(self.message)


class UploadJob(models.Model):
    """A file checked and stored by the web request, then read and applied by the worker: a
    plan, a list of member pledges, an old award register or a filled report form."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan")
        PLEDGES = "pledges", _("Member pledges")
        REGISTER = "register", _("Old award register")
        REPORT = "report", _("Report form (Excel)")

    Status = ImportJob.Status

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="upload_jobs"
    )
    created_by = optional_fk(settings.AUTH_USER_MODEL)
    # Stored under MEDIA_ROOT/uploads/ and only read by the worker.
    file = models.FileField(_("file"), upload_to="uploads/%Y/%m/")
    original_filename = models.CharField(_("file name"), max_length=255)
    language = models.CharField(max_length=10, blank=True)
    # What the job needs besides the file: {"registration": 12}, {"request": 3, "submit": true},
    # and "back", the page the upload came from (its errors are shown there).
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(blank=True)  # why the file could not be read at all
    # Row or cell errors, as the upload page lists them.
    errors = models.JSONField(default=list, blank=True)
    # Counts and ids of what was saved; "next": the page the officer goes to on success.
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("upload job")
        verbose_name_plural = _("upload jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "created_at"])]

    def __str__(self) -> str:
        return self.original_filename

    is_done = ImportJob.is_done
    can_rerun = ImportJob.can_rerun


class PlanImport(models.Model):
    """A plan read from its file (or pasted text) for an officer to check side by side with the
    source, and the draft plan it was saved as. Keeps the text and where each field came from."""

    class Source(models.TextChoices):
        DOCX = "docx", _("Word file")
        PDF = "pdf", _("PDF file")
        TXT = "txt", _("Text file")
        PASTE = "paste", _("Pasted text")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="plan_imports"
    )
    uploaded_by = optional_fk(settings.AUTH_USER_MODEL)
    source_kind = models.CharField(_("source"), max_length=8, choices=Source.choices)
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    # The normalised text, as shown beside the draft; spans are offsets into it.
    source_text = models.TextField(_("source text"))
    parsed = models.JSONField(default=dict, blank=True)  # {"data": the fields, "extra": what the draft needs}
    spans = models.JSONField(default=dict, blank=True)  # {"title": [[start, end]], "phases": [[s, e], ...]}
    flags = models.JSONField(
        default=dict, blank=True
    )  # {"number": ["missing"], "phases.1": ["start_missing"]}
    plan = optional_fk("campaigns.Plan", _("draft plan"), on_delete=models.SET_NULL)
    saved_by = optional_fk(settings.AUTH_USER_MODEL)
    saved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "created_at"])]

    def __str__(self) -> str:
        return self.title or self.source_name or str(self.pk)

    @property
    def title(self) -> str:
        return (self.parsed.get("data") or {}).get("title") or ""
