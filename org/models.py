"""The union tree (units) with its restructuring history, and the members of each unit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node

from lib.fields import optional_fk


class UnitKind(models.TextChoices):
    CONFEDERATION = "confederation", _("Confederation")
    PROVINCE = "province", _("Provincial federation")
    NATIONAL_SECTOR = "national_sector", _("National sector union")
    DISTRICT = "district", _("District federation")
    SECTOR = "sector", _("Sector union")
    ZONE = "zone", _("Industrial or economic zone union")
    CIVIL_SERVANTS = "civil_servants", _("Civil servants' union (CĐVC)")
    BLOC = "bloc", _("Bloc union")
    GRASSROOTS = "grassroots", _("Grassroots union")
    GROUP = "group", _("Union group")


class UnitLevel(models.IntegerChoices):
    CONFEDERATION = 0, _("Confederation")
    PROVINCE = 1, _("Provincial federation or national sector union")
    UPPER = 2, _("Upper-level union")
    GRASSROOTS = 3, _("Grassroots union")
    GROUP = 4, _("Union group")


LEVEL_OF_KIND = {
    UnitKind.CONFEDERATION: UnitLevel.CONFEDERATION,
    UnitKind.PROVINCE: UnitLevel.PROVINCE,
    UnitKind.NATIONAL_SECTOR: UnitLevel.PROVINCE,
    UnitKind.DISTRICT: UnitLevel.UPPER,
    UnitKind.SECTOR: UnitLevel.UPPER,
    UnitKind.ZONE: UnitLevel.UPPER,
    UnitKind.CIVIL_SERVANTS: UnitLevel.UPPER,
    UnitKind.BLOC: UnitLevel.UPPER,
    UnitKind.GRASSROOTS: UnitLevel.GRASSROOTS,
    UnitKind.GROUP: UnitLevel.GROUP,
}


class Sector(models.TextChoices):
    STATE = "state", _("State")
    NON_STATE = "non_state", _("Non-state")
    PUBLIC_SERVICE = "public_service", _("Public service")


class UnitStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged")
    SPLIT = "split", _("Split")
    DISSOLVED = "dissolved", _("Dissolved")


class Unit(MP_Node):
    """One union unit. `path` (treebeard) is what subtree queries filter on; only org/ and
    accounts/scoping.py rely on it."""

    steplen = 4

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("unit name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False, default="")
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=UnitStatus.choices, default=UnitStatus.ACTIVE
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    successor = optional_fk("self", _("successor"), related_name="predecessors")
    # Maintained by org.services: active members directly in this unit (not the subtree).
    # Roll-ups sum these over a path prefix instead of counting millions of member rows.
    member_count = models.PositiveIntegerField(default=0, editable=False)
    female_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [
            # (LIKE 'prefix%' on `path` uses the pattern-ops index Django adds itself on
            # PostgreSQL for a unique CharField.)
            models.Index(fields=["depth", "status"], name="org_unit_depth_status"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> int:
        return LEVEL_OF_KIND[UnitKind(self.kind)]

    @property
    def is_active(self) -> bool:
        return self.status == UnitStatus.ACTIVE


class UnitEvent(models.Model):
    """One restructuring act (merge, split, move, dissolve...) with its date and decision."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Establish")
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")
        MOVE = "move", _("Move")
        DISSOLVE = "dissolve", _("Dissolve")
        RENAME = "rename", _("Rename")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    effective_on = models.DateField(_("effective date"))
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    note = models.TextField(_("note"), blank=True)
    sources = models.ManyToManyField(Unit, related_name="events_as_source", blank=True)
    targets = models.ManyToManyField(Unit, related_name="events_as_target", blank=True)
    created_by = optional_fk(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("restructuring event")
        verbose_name_plural = _("restructuring events")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y}"


class UnitLink(models.Model):
    """Which parent a unit had over which dates; the tree as of a date is read from these."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="links")
    parent = optional_fk(Unit, related_name="child_links")
    valid_from = models.DateField(null=True, blank=True)  # null: since before records began
    valid_to = models.DateField(null=True, blank=True)  # null: still current; exclusive
    event = models.ForeignKey(UnitEvent, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        indexes = [models.Index(fields=["parent", "valid_from", "valid_to"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(valid_to__isnull=True), name="org_unitlink_one_current"
            )
        ]


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("member status", "Active")
    MOVED = "moved", _("Moved out")
    LEFT = "left", _("Left the union")
    DECEASED = "deceased", _("Deceased")


class Member(models.Model):
    """A union member. Never deleted: leaving, moving out or dying is a status."""

    # No index of its own: org_member_unit_status (unit, status) serves every lookup by unit.
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="members", db_index=False
    )
    full_name = models.CharField(_("full name"), max_length=150)
    name_folded = models.CharField(max_length=150, editable=False, default="")
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    cccd = models.CharField(_("citizen ID (CCCD)"), max_length=12, unique=True, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=50, blank=True)
    joined_on = models.DateField(_("joined the union on"), null=True, blank=True)
    card_number = models.CharField(_("member card number"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(fields=["unit", "status"], name="org_member_unit_status"),
            models.Index(fields=["name_folded"], name="org_member_name_folded"),
            # Number searches (org.selectors.search.member_search) match these by prefix;
            # on PostgreSQL a prefix LIKE needs pattern ops to use an index. (`cccd` is
            # unique, so Django already adds its pattern-ops index there; it is not redundant
            # with the unique btree: under a non-C collation, C.UTF-8 included on PostgreSQL
            # 15, `cccd LIKE '0790%'` cannot use that btree and scans the table.)
            models.Index(fields=["phone"], name="org_member_phone_like", opclasses=["varchar_pattern_ops"]),
            models.Index(
                fields=["card_number"], name="org_member_card_like", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class MemberMove(models.Model):
    """A member's move between units, kept so the history survives moves and mergers."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="moves")
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    moved_on = models.DateField(_("moved on"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    event = models.ForeignKey(UnitEvent, null=True, blank=True, on_delete=models.PROTECT)
    created_by = optional_fk(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-moved_on", "-id"]
