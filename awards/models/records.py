"""The register (sổ khen thưởng) of everything ever given, and certificates made from it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from awards.models.catalogue import Award
from awards.models.common import USER, RecipientKind, new_verify_code
from awards.models.decisions import Decision, DecisionLine
from lib.fields import optional_fk
from org.models import Sex, UnitLevel


class AwardRecord(models.Model):
    """One line of the register (sổ khen thưởng): an award given to a person or a collective.

    Names are kept as they were then. A person's line follows the person (`member`); a
    collective's keeps its unit, which after a merger lies under (and points to) its successor.
    Never deleted: a revoking decision marks it revoked."""

    class Status(models.TextChoices):
        VALID = "valid", pgettext_lazy("award record", "Valid")
        REVOKED = "revoked", pgettext_lazy("award record", "Revoked")

    class Source(models.TextChoices):
        DECISION = "decision", _("Decision in thidua")
        IMPORT = "import", _("Imported from an old register")
        OUTSIDE = "outside", _("Decided outside the union")

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="records"
    )
    award_name = models.CharField(_("award (name then)"), max_length=255, blank=True)
    year = models.PositiveIntegerField(_("year"))
    theme = models.CharField(_("theme"), max_length=255, blank=True)
    recipient_kind = models.CharField(_("recipient"), max_length=12, choices=RecipientKind.choices)
    member = optional_fk("org.Member", _("member"), related_name="award_records")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="award_records"
    )  # person: their unit then; collective: the collective
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, default="")
    unit_name = models.CharField(_("unit name then"), max_length=255, blank=True)
    position_title = models.CharField(_("position"), max_length=255, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    sector = models.CharField(_("sector"), max_length=20, blank=True)
    province = optional_fk("org.Unit", _("province"))
    issuer = optional_fk("org.Unit", _("issued by"))
    issuer_name = models.CharField(_("issued by (name)"), max_length=255, blank=True)
    issuer_level = models.PositiveSmallIntegerField(
        _("level"), choices=UnitLevel.choices, null=True, blank=True
    )
    decision = optional_fk(Decision, _("decision"), related_name="records")
    line = models.OneToOneField(
        DecisionLine, null=True, blank=True, on_delete=models.PROTECT, related_name="record"
    )
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.VALID)
    revoked_by = optional_fk(Decision, _("revoked by"), related_name="revoked_records")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.DECISION)
    note = models.CharField(_("note"), max_length=500, blank=True)
    verify_code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_verify_code
    )
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("award record")
        verbose_name_plural = _("award records")
        ordering = ["-year", "-id"]
        indexes = [
            models.Index(fields=["award", "year", "member"], name="awards_rec_award_year_member"),
            # "Who is eligible" reads valid lines of one award over a few years, from the index alone.
            models.Index(
                fields=["award", "year", "member"],
                condition=Q(status="valid"),
                name="awards_rec_valid_award_year",
            ),
            models.Index(fields=["member", "award"], name="awards_rec_member_award"),
            models.Index(fields=["unit", "award", "year"], name="awards_rec_unit_award"),
            models.Index(fields=["province", "year"], name="awards_rec_province_year"),
            models.Index(fields=["name_folded"], name="awards_rec_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.award} {self.year}"

    @property
    def is_revoked(self) -> bool:
        return self.status == self.Status.REVOKED

    @property
    def award_label(self) -> str:
        """The award's name when it was given (today's catalogue name for lines stored without it)."""
        return self.award_name or self.award.name


# --- certificates -----------------------------------------------------------------------------


class CertificateBatch(models.Model):
    """Certificates of a whole decision, made in the background into one merged PDF or a zip."""

    class Format(models.TextChoices):
        MERGED = "pdf", _("One merged PDF")
        ZIP = "zip", _("A zip of one PDF each")

    class Layout(models.TextChoices):
        FULL = "full", _("Full certificate")
        BLANK = "blank", _("Text only, for pre-printed blanks")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="certificate_batches")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    format = models.CharField(_("format"), max_length=4, choices=Format.choices, default=Format.MERGED)
    layout = models.CharField(_("layout"), max_length=6, choices=Layout.choices, default=Layout.FULL)
    blank = optional_fk("BlankLayout")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="awards/certificates/%Y/", blank=True)
    error = models.TextField(blank=True)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class BlankLayout(models.Model):
    """Where the variable text goes on a federation's pre-printed certificate blanks (phôi):
    positions in millimetres from the top-left corner, and a global offset for the printer."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    page_width_mm = models.DecimalField(_("page width (mm)"), max_digits=6, decimal_places=1, default=297)
    page_height_mm = models.DecimalField(_("page height (mm)"), max_digits=6, decimal_places=1, default=210)
    offset_x_mm = models.DecimalField(_("shift right (mm)"), max_digits=6, decimal_places=1, default=0)
    offset_y_mm = models.DecimalField(_("shift down (mm)"), max_digits=6, decimal_places=1, default=0)
    # {"name": {"x": 148.5, "y": 95, "size": 22, "align": "center"}, "unit_name": {...}, ...}
    fields = models.JSONField(_("field positions"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
