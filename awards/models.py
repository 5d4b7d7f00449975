"""Awards (khen thưởng): the catalogue with its rules as data, the register of everything ever
given, and the path from a unit's proposal through a council's vote to a signed decision.

Rules change between regulations, so conditions and quotas are rows an administrator edits;
a nomination keeps a snapshot of the rules it was made under. A decision, once issued, is never
edited: an amending or revoking decision is issued instead, and the register shows both."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lib.frozen import FrozenModel, FrozenQuerySet, ImmutableError  # noqa: F401 (ImmutableError: re-exported)
from org.models import Sex, UnitLevel

USER = settings.AUTH_USER_MODEL

# Without 0/O/1/I/L: a code read off paper and typed back in stays unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_notice_token() -> str:
    return secrets.token_urlsafe(24)  # 32 characters


def new_verify_code() -> str:
    """A random public code for a certificate (31^10 ≈ 8·10^14: not guessable, not sequential)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class RecipientKind(models.TextChoices):
    MEMBER = "member", _("Union member")
    PERSON = "person", _("Person")
    FAMILY = "family", _("Family")
    UNION_GROUP = "union_group", _("Union group")
    GRASSROOTS = "grassroots", _("Grassroots union")
    COLLECTIVE = "collective", _("Collective")


PERSON_KINDS = (RecipientKind.MEMBER, RecipientKind.PERSON, RecipientKind.FAMILY)
COLLECTIVE_KINDS = (RecipientKind.UNION_GROUP, RecipientKind.GRASSROOTS, RecipientKind.COLLECTIVE)


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
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("kept by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
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

    def get_additional_data(self) -> dict:
        return {"unit_id": self.unit_id}

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

    def get_additional_data(self) -> dict:
        return {"unit_id": self.award.unit_id}


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
    of_award = models.ForeignKey(
        Award,
        verbose_name=_("share of the nominees for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # "vững mạnh xuất sắc" at most 20 % of those proposed "vững mạnh"
    regulation = models.CharField(_("source regulation"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("award quota")
        verbose_name_plural = _("award quotas")

    def get_additional_data(self) -> dict:
        return {"unit_id": self.award.unit_id}


# --- what the register needs to judge conditions ---------------------------------------------


class Initiative(models.Model):
    """A recognised initiative or solution (sáng kiến, giải pháp) of a person or a collective,
    with the level that recognised it and its proven yearly value."""

    member = models.ForeignKey(
        "org.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="initiatives"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="initiatives"
    )  # the author's unit then, or the collective author
    title = models.CharField(_("title"), max_length=500)
    year = models.PositiveIntegerField(_("year recognised"))
    scope_level = models.PositiveSmallIntegerField(_("effect at level"), choices=UnitLevel.choices)
    recognised_by = models.CharField(_("recognised by"), max_length=255, blank=True)
    decision_number = models.CharField(_("recognition decision"), max_length=80, blank=True)
    value = models.BigIntegerField(_("proven yearly value (đồng)"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["member", "year"]), models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict:
        return {"unit_id": self.unit_id}


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

    def get_additional_data(self) -> dict:
        return {"unit_id": self.member.unit_id}


# --- rounds, nominations, dossiers -----------------------------------------------------------


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
    plan = models.ForeignKey(
        "campaigns.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phase = models.ForeignKey(
        "campaigns.Phase",
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("proposals due"), null=True, blank=True)
    awards = models.ManyToManyField(
        Award, verbose_name=_("awards considered"), blank=True, related_name="rounds"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"unit_id": self.unit_id}


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
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["round", "award", "status"])]

    def __str__(self) -> str:
        return f"{self.award} – {self.unit}"

    def get_additional_data(self) -> dict:
        return {"unit_id": self.unit_id}


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
    member = models.ForeignKey(
        "org.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )  # the person's unit then, or the collective itself
    name = models.CharField(_("name"), max_length=255)  # as it will be printed
    position_title = models.CharField(_("position"), max_length=255, blank=True)
    achievement = models.JSONField(_("achievement report"), default=dict, blank=True)
    eligibility = models.JSONField(default=list, editable=False)  # [{kind, ok, status, reason}]
    eligible = models.BooleanField(_("eligible"), default=False)
    override_ground = models.TextField(_("ground for proposing although not eligible"), blank=True)
    override_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
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

    def get_additional_data(self) -> dict:
        return {"unit_id": self.nomination.unit_id}

    @property
    def is_person(self) -> bool:
        return self.recipient_kind in PERSON_KINDS


class NominationFile(models.Model):
    """Evidence attached to a nomination or one nominee (initiative recognition, figures…)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="files")
    nominee = models.ForeignKey(
        Nominee, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="awards/evidence/%Y/")
    name = models.CharField(_("name"), max_length=255)
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def get_additional_data(self) -> dict:
        return {"unit_id": self.nomination.unit_id}


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
    from_unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
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
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]

    def get_additional_data(self) -> dict:
        return {"unit_id": self.unit_id}


class NoticeComment(models.Model):
    """A comment from the public on a notice: held until moderated, answered, kept in the dossier."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="comments")
    nominee = models.ForeignKey(
        Nominee, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    author_name = models.CharField(_("your name"), max_length=150)
    contact = models.CharField(_("phone or e-mail"), max_length=150, blank=True)
    text = models.TextField(_("comment"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    answer = models.TextField(_("answer"), blank=True)
    moderated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def get_additional_data(self) -> dict:
        return {"unit_id": self.notice.unit_id}


# --- councils and votes ----------------------------------------------------------------------


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

    def get_additional_data(self) -> dict:
        return {"unit_id": self.unit_id}


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
    user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="council_seats"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("works at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        "org.Member",
        verbose_name=_("member record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["council", "role", "full_name"]

    def __str__(self) -> str:
        return self.full_name

    def get_additional_data(self) -> dict:
        return {"unit_id": self.council.unit_id}


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
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def get_additional_data(self) -> dict:
        return {"unit_id": self.council.unit_id}


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


# --- decisions and the register ---------------------------------------------------------------


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
    round = models.ForeignKey(
        Round,
        verbose_name=_("round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("council meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("amends or revokes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
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
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
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

    def get_additional_data(self) -> dict:
        return {"unit_id": self.unit_id}

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
    nominee = models.ForeignKey(Nominee, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipient_kind = models.CharField(_("recipient"), max_length=12, choices=RecipientKind.choices)
    member = models.ForeignKey(
        "org.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=255)
    position_title = models.CharField(_("position"), max_length=255, blank=True)
    achievement = models.CharField(_("for"), max_length=500, blank=True)
    corrects = models.ForeignKey(
        "AwardRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by_lines"
    )  # amend/revoke: the record this line revokes (and, for an amendment, replaces)
    position = models.PositiveIntegerField(default=0)
    # Stored when the decision is issued (blank in a draft): what its papers print.
    unit_name = models.CharField(_("unit (name as issued)"), max_length=255, blank=True)
    parent_name = models.CharField(_("unit above a collective (name as issued)"), max_length=255, blank=True)

    objects = DecisionLineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def get_additional_data(self) -> dict:
        return {"unit_id": self.decision.unit_id}

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
    member = models.ForeignKey(
        "org.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_records",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="award_records"
    )  # person: their unit then; collective: the collective
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, default="")
    unit_name = models.CharField(_("unit name then"), max_length=255, blank=True)
    position_title = models.CharField(_("position"), max_length=255, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    sector = models.CharField(_("sector"), max_length=20, blank=True)
    province = models.ForeignKey(
        "org.Unit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer = models.ForeignKey(
        "org.Unit",
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer_name = models.CharField(_("issued by (name)"), max_length=255, blank=True)
    issuer_level = models.PositiveSmallIntegerField(
        _("level"), choices=UnitLevel.choices, null=True, blank=True
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    line = models.OneToOneField(
        DecisionLine, null=True, blank=True, on_delete=models.PROTECT, related_name="record"
    )
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.VALID)
    revoked_by = models.ForeignKey(
        Decision,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revoked_records",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.DECISION)
    note = models.CharField(_("note"), max_length=500, blank=True)
    verify_code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_verify_code
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
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

    def get_additional_data(self) -> dict:
        return {"unit_id": self.unit_id}

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
    blank = models.ForeignKey(
        "BlankLayout", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="awards/certificates/%Y/", blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def get_additional_data(self) -> dict:
        return {"unit_id": self.unit_id}


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

    def get_additional_data(self) -> dict:
        return {"unit_id": self.unit_id}
