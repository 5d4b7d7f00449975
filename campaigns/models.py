"""Emulation plans (kế hoạch thi đua) and what units do under them: distribution, launch,
registration, covenants in clusters, pilot models and contest entries that feed the targets."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.fields import optional_fk
from org.models import UnitLevel

USER = settings.AUTH_USER_MODEL


class Movement(models.Model):
    """A named movement or campaign in a federation's catalogue ("Lao động giỏi, Lao động sáng tạo").
    `unit` is the federation that keeps it; plans of its subtree pick from it and from above."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("kept by"), on_delete=models.PROTECT, related_name="movements"
    )
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, default="")
    launched_by = models.CharField(_("launched by"), max_length=255, blank=True)  # e.g. "Tổng LĐLĐ Việt Nam"
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name_folded"], name="campaigns_movement_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """One plan document. Issued plans are never edited: an amendment is a new Plan whose
    `supersedes` points at the old one (which becomes SUPERSEDED)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        CLOSED = "closed", _("Closed")
        SUPERSEDED = "superseded", _("Superseded by an amendment")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="plans"
    )
    parent_plan = optional_fk("self", _("built from the plan of"), related_name="derived_plans")
    supersedes = optional_fk("self", _("amends"), related_name="amendments")
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    year = models.PositiveIntegerField(_("year"))
    number = models.CharField(_("number and symbol"), max_length=60, blank=True)  # "15/KH-LĐLĐ"
    place = models.CharField(_("place"), max_length=120, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500)
    preamble = models.TextField(_("opening text"), blank=True)
    purposes = models.JSONField(_("purposes and requirements"), default=list, blank=True)  # ["...", ...]
    theme = models.CharField(_("theme"), max_length=500, blank=True)
    contents = models.JSONField(
        _("content items"), default=list, blank=True
    )  # [{"number": "2.1", "text": "..."}]
    closing = models.TextField(_("closing text"), blank=True)
    reporting = models.TextField(_("reporting line and deadlines"), blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)  # lines of "Nơi nhận"
    signer_authority = models.CharField(
        _("signing authority"), max_length=120, blank=True
    )  # "TM. BAN THƯỜNG VỤ"
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)  # "PHÓ CHỦ TỊCH"
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    movements = models.ManyToManyField(Movement, through="PlanMovement", related_name="plans", blank=True)
    # Optimistic locking: a save must name the revision it started from.
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    issued_by = optional_fk(USER)
    issued_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "-issued_on", "-id"]
        indexes = [models.Index(fields=["unit", "year", "status"])]

    def __str__(self) -> str:
        return f"{self.number or _('(no number)')} – {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class PlanMovement(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_movements")
    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "movement"], name="campaigns_planmovement_unique")
        ]


class Phase(models.Model):
    """A dated period of a plan (đợt thi đua)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=120)  # "Đợt 1"
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    purpose = models.TextField(_("purpose"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["position", "start", "id"]


class Duty(models.Model):
    """What one level must do under the plan ("Công đoàn cấp trên trực tiếp cơ sở và CĐCS")."""

    class Level(models.TextChoices):
        ISSUER = "issuer", _("The issuing federation")
        UPPER = "upper", _("Upper-level unions")
        GRASSROOTS = "grassroots", _("Grassroots unions")
        UPPER_AND_GRASSROOTS = "upper_grassroots", _("Upper-level and grassroots unions")
        ALL = "all", _("All levels")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="duties")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    level_label = models.CharField(
        _("level as written"), max_length=255, blank=True
    )  # "Liên đoàn Lao động tỉnh"
    items = models.JSONField(_("items"), default=list, blank=True)  # the dash items, in order
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["position", "id"]


class Target(models.Model):
    """A countable target of a duty, measured per unit of `unit_level` in the plan's subtree."""

    class Kind(models.TextChoices):
        PILOT_MODEL = "pilot_model", _("Pilot models built")
        REGISTRATION = "registration", _("Unit registered")
        CONTEST_ENTRY = "contest_entry", _("Innovation contest entries")
        OTHER = "other", _("Other (reported by hand)")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    duty = optional_fk(Duty, related_name="targets", on_delete=models.CASCADE)
    text = models.CharField(_("target"), max_length=500)  # "ít nhất 01 mô hình điểm"
    kind = models.CharField(_("measured by"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    count = models.PositiveIntegerField(_("at least"))
    unit_level = models.PositiveSmallIntegerField(_("per unit of level"), choices=UnitLevel.choices)
    movement = optional_fk(Movement)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class PlanDelivery(models.Model):
    """A plan sent to one unit's inbox, and when it was first opened there."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="deliveries")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="plan_deliveries")
    delivered_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = optional_fk(USER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="campaigns_delivery_unique")]
        indexes = [models.Index(fields=["unit", "opened_at"])]


class LaunchEvent(models.Model):
    """A launch ceremony (lễ phát động) held by a unit for a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="launches")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    description = models.TextField(_("description"), blank=True)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)


class Registration(models.Model):
    """A unit's emulation registration (đăng ký thi đua) under a plan: its collective pledges
    and the individual pledges of its members."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="registrations")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("note"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = optional_fk(USER)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="campaigns_registration_unique")]


class Pledge(models.Model):
    """One collective pledge of a registration, tied to a movement and/or a target."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="pledges")
    movement = optional_fk(Movement)
    target = optional_fk(Target)
    text = models.CharField(_("pledge"), max_length=500)
    count = models.PositiveIntegerField(_("number"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class MemberPledge(models.Model):
    """A member's individual pledge (title aimed for, movement), registered by their unit."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="member_pledges")
    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="pledges")
    title = models.CharField(
        _("title aimed for"), max_length=255
    )  # "Lao động giỏi", "Chiến sĩ thi đua cơ sở"
    movement = optional_fk(Movement)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "member", "title"], name="campaigns_memberpledge_unique"
            )
        ]


class Cluster(models.Model):
    """An emulation cluster (cụm or khối) of peer units defined by a federation."""

    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("Cluster (cụm)")
        BLOC = "bloc", _("Bloc (khối)")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("defined by"), on_delete=models.PROTECT, related_name="clusters"
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CLUSTER)
    members = models.ManyToManyField("org.Unit", through="ClusterMember", related_name="emulation_clusters")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("emulation cluster")
        verbose_name_plural = _("emulation clusters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClusterMember(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "unit"],
                condition=Q(left_on__isnull=True),
                name="campaigns_clustermember_current",
            )
        ]


class ClusterHead(models.Model):
    """The cluster head for one year (it rotates yearly)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="heads")
    year = models.PositiveIntegerField(_("year"))
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("head unit"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["cluster", "year"], name="campaigns_clusterhead_year")]


class Covenant(models.Model):
    """The covenant (giao ước thi đua) the units of a cluster sign under a plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for signing")
        SIGNED = "signed", _("Signed by all")

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="covenants")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="covenants")
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=500)
    place = models.CharField(_("place"), max_length=120, blank=True)
    signed_on = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")
        constraints = [models.UniqueConstraint(fields=["cluster", "plan"], name="campaigns_covenant_unique")]


class CovenantClause(models.Model):
    """A clause, tied to the plan's movement or target so year-end scoring can read it."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="clauses")
    text = models.TextField(_("clause"))
    movement = optional_fk(Movement)
    target = optional_fk(Target)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class CovenantSignature(models.Model):
    covenant = models.ForeignKey(Covenant, on_delete=models.PROTECT, related_name="signatures")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("signed by"), max_length=120)
    signer_title = models.CharField(_("title"), max_length=120, blank=True)
    signed_at = models.DateTimeField(auto_now_add=True)
    recorded_by = optional_fk(USER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["covenant", "unit"], name="campaigns_signature_unique")
        ]


class PilotModel(models.Model):
    """A pilot model (mô hình điểm) a unit builds; counted by PILOT_MODEL targets."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        RECOGNISED = "recognised", _("Recognised")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="pilot_models")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="pilot_models"
    )
    movement = optional_fk(Movement, _("movement"))
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pilot model")
        verbose_name_plural = _("pilot models")
        indexes = [models.Index(fields=["plan", "unit"])]

    def __str__(self) -> str:
        return self.name


class PilotModelPhoto(models.Model):
    pilot_model = models.ForeignKey(PilotModel, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="pilot-models/%Y/")
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class ContestEntry(models.Model):
    """An entry to the innovation contest (Hội thi Sáng tạo kỹ thuật); counted by CONTEST_ENTRY targets."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="contest_entries")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="contest_entries"
    )
    title = models.CharField(_("title"), max_length=500)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    created_by = optional_fk(USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contest entry")
        verbose_name_plural = _("contest entries")
        indexes = [models.Index(fields=["plan", "unit"])]


class Reminder(models.Model):
    """A reminder sent to a unit (e.g. to register, to sign); shown in its inbox and e-mailed."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reminders")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=255)
    message = models.TextField(_("message"), blank=True)
    sent_by = optional_fk(USER)
    sent_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["unit", "read_at"])]
