"""Decisions on awards: a draft may change, an issued decision never does (lib.frozen)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awards.models.catalogue import Award
from awards.models.common import USER, RecipientKind
from awards.models.councils import Meeting
from awards.models.nominations import Nominee, Round
from lib.fields import optional_fk
from lib.frozen import FrozenModel, FrozenQuerySet

ISSUED_CHANGE = _("An issued decision cannot be changed; issue an amending decision.")
ISSUED_DELETE = _("An issued decision cannot be deleted; issue a revoking decision.")


class DecisionQuerySet(FrozenQuerySet):
    frozen = Q(status="issued")
    change_message, delete_message = ISSUED_CHANGE, ISSUED_DELETE


class Decision(FrozenModel):
    """A decision on awards (quyết định khen thưởng). A draft may be edited; an issued one is
    immutable, corrected only by another decision: the model layer and database triggers refuse
    any change (awards/frozen.py, migration 0007). Issuing stores what its papers print from
    other tables, so later renames leave it as signed, and its .docx and PDF (DecisionFile)."""

    class Kind(models.TextChoices):
        AWARD = "award", _("Award")
        AMEND = "amend", _("Amendment")
        REVOKE = "revoke", _("Revocation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="award_decisions"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.AWARD)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="decisions"
    )
    round = optional_fk(Round, _("round"), related_name="decisions")
    meeting = optional_fk(Meeting, _("council meeting"))
    amends = optional_fk("self", _("amends or revokes"), related_name="corrections")
    number = models.CharField(_("number and symbol"), max_length=80, blank=True)  # "125/QĐ-LĐLĐ"
    place = models.CharField(_("place"), max_length=120, blank=True)
    signed_on = models.DateField(_("date"), null=True, blank=True)
    year = models.PositiveIntegerField(_("year of the achievement"))
    title = models.CharField(_("about"), max_length=500)
    grounds = models.TextField(_("grounds (căn cứ)"), blank=True)
    reason = models.TextField(_("reason for the award, amendment or revocation"), blank=True)
    signer_authority = models.CharField(_("signing authority"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipients_copy = models.JSONField(_("recipients of copies (nơi nhận)"), default=list, blank=True)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = optional_fk(USER)
    issued_at = models.DateTimeField(null=True, blank=True)
    # What the papers print from other tables, stored when issued (blank while a draft): a later
    # rename in the catalogue or the unit tree leaves an issued decision as it was signed.
    award_name = models.CharField(_("award (name as issued)"), max_length=255, blank=True)
    award_kind = models.CharField(_("award kind (as issued)"), max_length=10, blank=True)
    certificate_heading = models.CharField(_("certificate heading (as issued)"), max_length=255, blank=True)
    unit_name = models.CharField(_("issuing unit (name as issued)"), max_length=255, blank=True)
    parent_body = models.CharField(_("body above the issuer (heading as issued)"), max_length=255, blank=True)
    issuing_body = models.CharField(_("issuing body (heading as issued)"), max_length=255, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "number"],
                condition=Q(status="issued"),
                name="awards_decision_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or _('(no number)')} – {self.title}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def award_label(self) -> str:
        """The award's name as issued (today's catalogue name while a draft)."""
        return self.award_name or self.award.name

    @property
    def unit_label(self) -> str:
        """The issuing unit's name as issued (today's name while a draft)."""
        return self.unit_name or self.unit.name


class DecisionLineQuerySet(FrozenQuerySet):
    frozen = Q(decision__status="issued")
    change_message, delete_message = ISSUED_CHANGE, ISSUED_CHANGE


class DecisionLine(FrozenModel):
    """One recipient of a decision (or, in a correcting decision, one record it revokes or
    replaces). Frozen with its decision."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="lines")
    nominee = optional_fk(Nominee)
    recipient_kind = models.CharField(_("recipient"), max_length=12, choices=RecipientKind.choices)
    member = optional_fk("org.Member")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=255)
    position_title = models.CharField(_("position"), max_length=255, blank=True)
    achievement = models.CharField(_("for"), max_length=500, blank=True)
    corrects = optional_fk(
        "AwardRecord", related_name="corrected_by_lines"
    )  # amend/revoke: the record this line revokes (and, for an amendment, replaces)
    position = models.PositiveIntegerField(default=0)
    # Stored when the decision is issued (blank in a draft): what its papers print.
    unit_name = models.CharField(_("unit (name as issued)"), max_length=255, blank=True)
    parent_name = models.CharField(_("unit above a collective (name as issued)"), max_length=255, blank=True)

    objects = DecisionLineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    @property
    def unit_label(self) -> str:
        """The recipient's unit as named when the decision was issued (today's name in a draft)."""
        return self.unit_name or self.unit.name


class DecisionFileQuerySet(FrozenQuerySet):
    frozen = Q()  # every row: a stored paper is never replaced
    change_message, delete_message = ISSUED_CHANGE, ISSUED_DELETE


class DecisionFile(FrozenModel):
    """The .docx or PDF of an issued decision exactly as issued, with its SHA-256. Kept in the
    database, so it is written in the same transaction as the issue and protected by the same
    triggers; it is served as stored, after its checksum is verified."""

    class Format(models.TextChoices):
        DOCX = "docx", ".docx"
        PDF = "pdf", "PDF"

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=4, choices=Format.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionFileQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "format"], name="awards_decisionfile_unique")
        ]
