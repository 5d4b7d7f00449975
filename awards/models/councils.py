"""Councils (hội đồng), their seats and meetings, and the votes cast there."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from awards.models.common import USER
from awards.models.nominations import Nomination, Nominee, Round
from lib.fields import optional_fk


class Council(models.Model):
    """A level's emulation and awards council (hội đồng thi đua - khen thưởng)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="councils"
    )
    name = models.CharField(_("name"), max_length=255)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    """A seat on a council. `unit` and `member` let the system recuse the seat on its own unit
    (and everything below it) and on the person themselves."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", pgettext_lazy("council seat", "Member")
        SECRETARY = "secretary", _("Secretary")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="seats")
    full_name = models.CharField(_("full name"), max_length=150)
    title = models.CharField(_("position"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    user = optional_fk(USER, related_name="council_seats")
    unit = optional_fk("org.Unit", _("works at"))
    member = optional_fk("org.Member", _("member record"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["council", "role", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class Meeting(models.Model):
    """A council's meeting on a round's nominations. Votes are taken while it is open; closing
    it computes each nominee's result and freezes the votes."""

    class Status(models.TextChoices):
        OPEN = "open", _("Voting open")
        CLOSED = "closed", _("Closed")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    nominations = models.ManyToManyField(
        Nomination, related_name="meetings", verbose_name=_("nominations considered")
    )
    present = models.ManyToManyField(
        CouncilMember, related_name="meetings_attended", verbose_name=_("present")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]


class Vote(models.Model):
    """An open ballot: who voted how on whom."""

    class Choice(models.TextChoices):
        YES = "yes", _("Agree")
        NO = "no", _("Disagree")
        ABSTAIN = "abstain", _("Abstain")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="votes")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="votes")
    seat = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nominee", "seat"], name="awards_vote_once"),
        ]


class BallotCast(models.Model):
    """A secret ballot: only THAT a seat voted on a nominee (so it cannot vote twice); how it
    voted goes into the anonymous `BallotTally` counts and is stored nowhere else."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="ballots")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="ballots")
    seat = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="ballots")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nominee", "seat"], name="awards_ballot_once"),
        ]


class BallotTally(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="tallies")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="tallies")
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nominee"], name="awards_tally_unique"),
        ]


class Recusal(models.Model):
    """A seat that may not vote on a nominee: its own unit (or below), or itself."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="recusals")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="recusals")
    seat = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="recusals")
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nominee", "seat"], name="awards_recusal_unique"),
        ]
