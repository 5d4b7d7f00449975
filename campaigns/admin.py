from django.contrib import admin

from campaigns import models as m


class PhaseInline(admin.TabularInline):
    model = m.Phase
    extra = 0


@admin.register(m.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "unit", "year", "status", "version"]
    list_filter = ["status", "year"]
    search_fields = ["title", "number"]
    raw_id_fields = ["unit", "parent_plan", "supersedes", "created_by", "issued_by"]
    inlines = [PhaseInline]


@admin.register(m.Movement)
class MovementAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "launched_by", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["unit"]


@admin.register(m.PlanDelivery)
class PlanDeliveryAdmin(admin.ModelAdmin):
    list_display = ["plan", "unit", "delivered_at", "opened_at"]
    raw_id_fields = ["plan", "unit", "opened_by"]


@admin.register(m.LaunchEvent)
class LaunchEventAdmin(admin.ModelAdmin):
    list_display = ["plan", "unit", "held_on", "participants"]
    raw_id_fields = ["plan", "unit", "created_by"]
