"""Rounds, nominations and their dossiers, and the public notice before the council."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awards.models.catalogue import Award
from awards.models.common import COLLECTIVE_KINDS, PERSON_KINDS, USER, RecipientKind, new_notice_token
from lib.fields import optional_fk


class Round(models.Model):
    """A round of awards (đợt xét khen thưởng) opened by a level: yearly review, a phase or a
    theme of a campaign. Units below send their proposals into it."""

    class Kind(models.TextChoices):
        YEAR = "year", _("Year-end review")
        PHASE = "phase", _("Phase of a campaign")
        THEME = "theme", _("Theme (chuyên đề)")
        OCCASION = "occasion", _("Occasion")

    class Status(models.TextChoices):
        OPEN = "open", _("Open for proposals")
        CLOSED = "closed", _("Closed")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.YEAR)
    year = models.PositiveIntegerField(_("year"))
    theme = models.CharField(_("theme"), max_length=255, blank=True)
    plan = optional_fk("campaigns.Plan", _("plan"))
    phase = optional_fk("campaigns.Phase", _("phase"))
    deadline = models.DateField(_("proposals due"), null=True, blank=True)
    awards = models.ManyToManyField(
        Award, verbose_name=_("awards considered"), blank=True, related_name="rounds"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    """One unit's proposal (tờ trình đề nghị khen thưởng) of a list for one award in a round.
    It travels up the tree: `at_unit` is the level holding it now."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, under review")
        RETURNED = "returned", _("Returned for correction")
        AT_COUNCIL = "at_council", _("Before the deciding council")
        DECIDED = "decided", _("Decided")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="nominations"
    )
    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="nominations"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("proposing unit"),
        on_delete=models.PROTECT,
        related_name="award_nominations",
    )
    at_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("now with"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    letter_number = models.CharField(_("proposal letter number"), max_length=80, blank=True)
    letter_date = models.DateField(_("proposal letter date"), null=True, blank=True)
    minutes_file = models.FileField(_("council minutes"), upload_to="awards/minutes/%Y/", blank=True)
    minutes_number = models.CharField(_("minutes number"), max_length=80, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The award's rules when the list was made: later edits of the catalogue never rewrite it.
    rules = models.JSONField(default=dict, editable=False)
    award_version = models.PositiveIntegerField(default=1, editable=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["round", "award", "status"])]

    def __str__(self) -> str:
        return f"{self.award} – {self.unit}"


class Nominee(models.Model):
    """A person (member, family) or a collective (unit) on a nomination, with their achievement
    report, the eligibility found when proposed, and the council's outcome."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PASSED = "passed", _("Passed the council")
        FAILED = "failed", _("Not passed")
        AWARDED = "awarded", _("Awarded")
        REMOVED = "removed", _("Removed from the list")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="nominees")
    recipient_kind = models.CharField(_("recipient"), max_length=12, choices=RecipientKind.choices)
    member = optional_fk("org.Member", _("member"))
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )  # the person's unit then, or the collective itself
    name = models.CharField(_("name"), max_length=255)  # as it will be printed
    position_title = models.CharField(_("position"), max_length=255, blank=True)
    achievement = models.JSONField(_("achievement report"), default=dict, blank=True)
    eligibility = models.JSONField(default=list, editable=False)  # [{kind, ok, status, reason}]
    eligible = models.BooleanField(_("eligible"), default=False)
    override_ground = models.TextField(_("ground for proposing although not eligible"), blank=True)
    override_by = optional_fk(USER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    votes_yes = models.PositiveIntegerField(null=True, blank=True)
    votes_no = models.PositiveIntegerField(null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(null=True, blank=True)
    votes_of = models.PositiveIntegerField(null=True, blank=True)  # voting members (recused excluded)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_kind__in=[k.value for k in COLLECTIVE_KINDS]) | Q(member__isnull=False),
                name="awards_nominee_person_has_member",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_person(self) -> bool:
        return self.recipient_kind in PERSON_KINDS


class NominationFile(models.Model):
    """Evidence attached to a nomination or one nominee (initiative recognition, figures…)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="files")
    nominee = optional_fk(Nominee, related_name="files", on_delete=models.CASCADE)
    file = models.FileField(_("file"), upload_to="awards/evidence/%Y/")
    name = models.CharField(_("name"), max_length=255)
    uploaded_by = optional_fk(USER)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class NominationStep(models.Model):
    """One move of a nomination: submitted, forwarded up, returned with a comment, sent to
    the council, decided. The dossier's history."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        FORWARD = "forward", _("Forwarded up")
        RETURN = "return", _("Returned")
        TO_COUNCIL = "to_council", _("Sent to the council")
        REJECT = "reject", _("Rejected")
        DECIDE = "decide", _("Decided")
        WITHDRAW = "withdraw", _("Withdrawn")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_unit = optional_fk("org.Unit")
    to_unit = optional_fk("org.Unit")
    comment = models.TextField(_("comment"), blank=True)
    by = optional_fk(USER)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


# --- public notice before the council --------------------------------------------------------


class PublicNotice(models.Model):
    """The list of nominees for a high honour published for comment for a set number of days
    before the council meets. Opened through its random `token`."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="notices")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    token = models.CharField(max_length=32, unique=True, default=new_notice_token, editable=False)
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    nominees = models.ManyToManyField(Nominee, related_name="notices")
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]


class NoticeComment(models.Model):
    """A comment from the public on a notice: held until moderated, answered, kept in the dossier."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="comments")
    nominee = optional_fk(Nominee, related_name="comments")
    author_name = models.CharField(_("your name"), max_length=150)
    contact = models.CharField(_("phone or e-mail"), max_length=150, blank=True)
    text = models.TextField(_("comment"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    answer = models.TextField(_("answer"), blank=True)
    moderated_by = optional_fk(USER)
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
