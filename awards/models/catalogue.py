"""The award catalogue with its rules as data: conditions and quotas an administrator edits."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.models.common import COLLECTIVE_KINDS, PERSON_KINDS
from lib.fields import optional_fk
from org.models import UnitLevel


class Award(models.Model):
    """A title (danh hiệu) or form of award (hình thức) in a federation's catalogue. Editing it
    bumps `version`; nominations already made keep the snapshot they were made under."""

    class Kind(models.TextChoices):
        TITLE = "title", _("Emulation title")
        FORM = "form", _("Form of award")

    class Period(models.TextChoices):
        YEARLY = "yearly", _("Yearly")
        THEME = "theme", _("By theme or occasion")
        ANY = "any", _("Any time")

    class Certificate(models.TextChoices):
        BANG_KHEN = "bang_khen", _("Certificate of merit (bằng khen)")
        GIAY_KHEN = "giay_khen", _("Certificate of commendation (giấy khen)")
        GIAY_CHUNG_NHAN = "giay_chung_nhan", _("Certificate of title (giấy chứng nhận)")
        KY_NIEM_CHUONG = "ky_niem_chuong", _("Medal certificate (kỷ niệm chương)")
        CO = "co", _("Emulation flag (cờ thi đua)")

    # Empty: the national catalogue (shipped as default data); else a federation's own form.
    unit = optional_fk("org.Unit", _("kept by"), related_name="awards")
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, default="")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    period = models.CharField(_("given"), max_length=8, choices=Period.choices, default=Period.YEARLY)
    recipient_kinds = models.JSONField(_("given to"), default=list)  # RecipientKind values
    proposer_levels = models.JSONField(_("proposed by levels"), default=list)  # UnitLevel values
    decider_level = models.PositiveSmallIntegerField(
        _("decided at level"), choices=UnitLevel.choices, null=True, blank=True
    )
    decided_outside = models.CharField(
        _("decided outside the union by"), max_length=255, blank=True
    )  # "Thủ trưởng đơn vị", "Nhà nước": the union proposes, records the outcome
    pass_percent = models.DecimalField(
        _("council share needed (%)"), max_digits=5, decimal_places=2, default=50
    )
    pass_strictly_more = models.BooleanField(_("strictly more than the share"), default=True)
    secret_ballot = models.BooleanField(_("secret ballot"), default=False)
    public_notice_days = models.PositiveSmallIntegerField(
        _("days of public notice before the council"), default=0
    )
    certificate = models.CharField(
        _("certificate"), max_length=16, choices=Certificate.choices, default=Certificate.GIAY_KHEN
    )
    certificate_heading = models.CharField(_("certificate heading"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    regulation = models.CharField(_("source regulation"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def for_persons(self) -> bool:
        return any(k in PERSON_KINDS for k in self.recipient_kinds)

    @property
    def for_collectives(self) -> bool:
        return any(k in COLLECTIVE_KINDS for k in self.recipient_kinds)

    def passes(self, *, yes: int, of: int) -> bool:
        """Whether `yes` votes out of `of` council members reach the award's share."""
        if of <= 0:
            return False
        share = yes * 100 / of
        return share > self.pass_percent if self.pass_strictly_more else share >= self.pass_percent


class AwardCondition(models.Model):
    """One rule of an award, as data. `params` by kind (years count back from the round's year):

    - prior_award: {"award": code, "count": N, "window": W, "consecutive": bool, "offset": 1}
      N times in the W years ending `offset` years before the round (consecutive: N in a row);
    - award_this_year: {"award": code}: received in the round's year itself;
    - initiative: {"max_level": UnitLevel, "window": 1, "min_value": đồng or null,
      "min_value_by_level": {"1": đồng, ...} or null}: a recognised initiative of scope at
      `max_level` or wider (lower number = wider scope), of enough proven yearly value;
    - service_years: {"years": 20, "years_female": null, "weights": {"part_time": 1.5, ...}};
    - once_in_life: {}: not already holding this award;
    - score: {"min_total": x, "min_share": 0.7, "max_rank": n, "offset": 0} (each optional):
      a published score sheet of the year (share: of the table's maximum, the grading guide);
    - manual: {}: confirmed by the proposing unit (the text says what), never blocks.
    """

    class Kind(models.TextChoices):
        PRIOR_AWARD = "prior_award", _("Awards in earlier years")
        AWARD_THIS_YEAR = "award_this_year", _("An award in the same year")
        INITIATIVE = "initiative", _("A recognised initiative")
        SERVICE_YEARS = "service_years", _("Years of union service")
        ONCE_IN_LIFE = "once_in_life", _("Once in a life")
        SCORE = "score", _("Score or rank in the year's scoring")
        MANUAL = "manual", _("Confirmed by the proposing unit")

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    text = models.CharField(_("as written in the regulation"), max_length=500, blank=True)
    regulation = models.CharField(_("source regulation"), max_length=255, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("award condition")
        verbose_name_plural = _("award conditions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text or self.get_kind_display()


class AwardQuota(models.Model):
    """A cap on how many may receive an award: per issuing body per year, per province per
    theme per year, nationally per theme per year, or as a share of a list's nominees."""

    class Scope(models.TextChoices):
        ISSUER_YEAR = "issuer_year", _("Per issuing body per year")
        PROVINCE_THEME = "province_theme", _("Per province per theme per year")
        NATION_THEME = "nation_theme", _("Nationally per theme per year")
        SHARE_OF_NOMINEES = "share", _("Share of a proposal's nominees")

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="quotas")
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    limit = models.PositiveIntegerField(_("at most"), null=True, blank=True)
    percent = models.DecimalField(
        _("at most (percent of nominees)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    of_award = optional_fk(
        Award, _("share of the nominees for")
    )  # "vững mạnh xuất sắc" at most 20 % of those proposed "vững mạnh"
    regulation = models.CharField(_("source regulation"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("award quota")
        verbose_name_plural = _("award quotas")
