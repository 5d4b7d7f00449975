"""What the register needs to judge conditions: initiatives and years of service."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.models.common import USER
from lib.fields import optional_fk
from org.models import UnitLevel


class Initiative(models.Model):
    """A recognised initiative or solution (sáng kiến, giải pháp) of a person or a collective,
    with the level that recognised it and its proven yearly value."""

    member = optional_fk("org.Member", related_name="initiatives")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="initiatives"
    )  # the author's unit then, or the collective author
    title = models.CharField(_("title"), max_length=500)
    year = models.PositiveIntegerField(_("year recognised"))
    scope_level = models.PositiveSmallIntegerField(_("effect at level"), choices=UnitLevel.choices)
    recognised_by = models.CharField(_("recognised by"), max_length=255, blank=True)
    decision_number = models.CharField(_("recognition decision"), max_length=80, blank=True)
    value = models.BigIntegerField(_("proven yearly value (đồng)"), null=True, blank=True)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["member", "year"]), models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return self.title


class ServicePeriod(models.Model):
    """A stretch of union work of one person, in whole months (regulations count months and
    weigh them by the kind of work). `end` empty: still serving."""

    class Kind(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time union officer")
        PART_TIME = "part_time", _("Part-time union officer")
        NON_STATE = "non_state", _("Union officer in a non-state enterprise")
        OTHER = "other", _("Other union work")

    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="service_periods")
    kind = models.CharField(_("kind of work"), max_length=12, choices=Kind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    position = models.CharField(_("position held"), max_length=255, blank=True)
    # Month numbers (year*12 + month - 1), kept so that weighted sums stay integer SQL.
    start_month = models.PositiveIntegerField(editable=False, default=0)
    end_month = models.PositiveIntegerField(editable=False, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("period of union service")
        verbose_name_plural = _("periods of union service")
        ordering = ["start"]

    def save(self, *args, **kwargs):
        self.start_month = self.start.year * 12 + self.start.month - 1
        self.end_month = self.end.year * 12 + self.end.month - 1 if self.end else None
        super().save(*args, **kwargs)
