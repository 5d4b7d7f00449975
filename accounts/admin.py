"""Admin site for superusers. Accounts and roles are never deleted here: deactivate or revoke."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User


class RoleInline(admin.TabularInline):
    model = Role
    fk_name = "user"
    extra = 0
    fields = ["unit", "kind", "granted_by", "granted_at", "revoked_at", "revoked_by"]
    readonly_fields = ["granted_at"]
    raw_id_fields = ["unit", "granted_by", "revoked_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "unit", "email", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email", "unit__code"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]  # ~130,000 units: no drop-down
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "email", "phone", "unit"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "unit", "password1", "password2"]}),
    ]
    inlines = [RoleInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "unit", "granted_at", "revoked_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__full_name", "unit__code", "unit__name"]
    list_select_related = ["user", "unit"]
    raw_id_fields = ["user", "unit", "granted_by", "revoked_by"]
    readonly_fields = ["granted_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
