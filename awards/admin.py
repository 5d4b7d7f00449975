"""The awards tables in the Django admin, for looking only.

Every change goes through the pages and their services (rules, scoping, audit); the admin never
adds, changes or deletes. For issued decisions, their lines and the register this is also the
law: a signed decision is corrected only by another decision (the models refuse it too)."""

from django.contrib import admin

from awards import models as m


class ReadOnlyAdmin(admin.ModelAdmin):
    """View-only: no add, change or delete, and no bulk actions."""

    actions = None

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DecisionLineInline(admin.TabularInline):
    model = m.DecisionLine
    extra = 0
    fields = ["position", "recipient_kind", "name", "position_title", "unit", "member", "corrects"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "signed_on", "title", "unit", "award", "kind", "status"]
    list_filter = ["status", "kind", "year"]
    search_fields = ["number", "title"]
    raw_id_fields = ["unit", "award", "round", "meeting", "amends", "created_by", "issued_by"]
    inlines = [DecisionLineInline]


@admin.register(m.DecisionLine)
class DecisionLineAdmin(ReadOnlyAdmin):
    list_display = ["decision", "name", "recipient_kind", "unit"]
    search_fields = ["name", "decision__number"]
    raw_id_fields = ["decision", "nominee", "member", "unit", "corrects"]


@admin.register(m.DecisionFile)
class DecisionFileAdmin(ReadOnlyAdmin):
    list_display = ["decision", "format", "size", "sha256", "created_at"]
    fields = ["decision", "format", "size", "sha256", "created_at"]  # not the bytes
    raw_id_fields = ["decision"]


@admin.register(m.AwardRecord)
class AwardRecordAdmin(ReadOnlyAdmin):
    list_display = ["name", "award", "year", "unit_name", "decision_number", "status", "source"]
    list_filter = ["status", "source", "year"]
    search_fields = ["name_folded", "decision_number", "verify_code"]
    raw_id_fields = [
        "award",
        "member",
        "unit",
        "province",
        "issuer",
        "decision",
        "line",
        "revoked_by",
        "created_by",
    ]


@admin.register(m.Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "kind", "decider_level", "pass_percent", "secret_ballot", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


@admin.register(m.Council)
class CouncilAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "is_active"]
    raw_id_fields = ["unit"]


@admin.register(m.CouncilMember)
class CouncilMemberAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "council", "role", "unit", "is_active"]
    raw_id_fields = ["council", "user", "unit", "member"]


@admin.register(m.Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["council", "round", "held_on", "status"]
    raw_id_fields = ["council", "round", "created_by"]


@admin.register(m.Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["award", "unit", "round", "status", "at_unit"]
    list_filter = ["status"]
    raw_id_fields = ["round", "award", "unit", "at_unit", "created_by"]


@admin.register(m.Nominee)
class NomineeAdmin(ReadOnlyAdmin):
    list_display = ["name", "nomination", "recipient_kind", "status"]
    raw_id_fields = ["nomination", "member", "unit", "override_by"]


@admin.register(m.Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "year", "kind", "status"]
    raw_id_fields = ["unit", "plan", "phase", "created_by"]


# The rest: listed for looking, nothing more. Secret ballots (BallotCast, BallotTally) hold only
# who voted and anonymous counts; they are shown like any other table.
for model in (
    m.AwardCondition,
    m.AwardQuota,
    m.Initiative,
    m.ServicePeriod,
    m.NominationFile,
    m.NominationStep,
    m.PublicNotice,
    m.NoticeComment,
    m.Vote,
    m.BallotCast,
    m.BallotTally,
    m.Recusal,
    m.CertificateBatch,
    m.BlankLayout,
):
    admin.site.register(model, ReadOnlyAdmin)
