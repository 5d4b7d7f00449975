"""Admin for units and members. Nothing here deletes: members leave by status and units end by
restructuring, and awards and decisions keep pointing at them. Writes go through the services,
so name search, counts and history stay right."""

from django.contrib import admin
from django.http import HttpRequest

from org.models import Member, Unit
from org.selectors.search import member_search, unit_search
from org.services import members as member_services


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Read-only: creating and restructuring units happen on the unit pages, which keep history."""

    list_display = ["code", "name", "kind", "status", "member_count"]
    list_filter = ["kind", "status"]
    search_fields = ["code"]
    ordering = ["path"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        return unit_search(queryset, search_term), False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "cccd", "unit", "status"]
    list_filter = ["status", "sex"]
    list_select_related = ["unit"]
    search_fields = ["cccd"]
    raw_id_fields = ["unit"]
    ordering = ["name_folded", "id"]
    show_full_result_count = False
    fields = ["unit", *member_services.EDITABLE_FIELDS, "status", "status_changed_on"]

    def get_search_results(self, request, queryset, search_term):
        return member_search(queryset, search_term), False

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # Unit and status change only through the move and status actions, which keep history.
        return ["unit", "status", "status_changed_on"] if obj else ["status", "status_changed_on"]

    def save_model(self, request, obj: Member, form, change: bool) -> None:
        data = {k: form.cleaned_data[k] for k in member_services.EDITABLE_FIELDS if k in form.cleaned_data}
        if change:
            saved = member_services.member_update(member=obj, updated_by=request.user, **data)
        else:
            saved = member_services.member_create(
                unit=form.cleaned_data["unit"], created_by=request.user, **data
            )
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
