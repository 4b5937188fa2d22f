"""Schedules in the admin: services with language tabs (and machine drafts), zones (the area
as GeoJSON coordinates, or several at once with `services.import_zones`), changes."""

from django.contrib import admin

from civicdesk.core.admin import MachineDraftAdmin

from .models import CollectionService, Notice, ScheduleChange, Zone


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0
    fields = ["name", "frequency", "weekday", "anchor", "nth", "season_start", "season_end",
              "starts_at", "ends_at", "polygons"]


@admin.register(CollectionService)
class CollectionServiceAdmin(MachineDraftAdmin):
    list_display = ["code", "kind", "order", "active"]
    inlines = [ZoneInline]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["service", "name", "frequency", "weekday", "nth"]
    list_filter = ["service", "frequency"]
    exclude = ["min_lat", "max_lat", "min_long", "max_long"]


@admin.register(ScheduleChange)
class ScheduleChangeAdmin(MachineDraftAdmin):
    list_display = ["__str__", "start", "end", "shift_days"]
    filter_horizontal = ["services"]


@admin.register(Notice)
class NoticeAdmin(MachineDraftAdmin):
    """A published notice shows on the portal at once and is sent to the reminder
    subscribers in its area (once each, also after an edit)."""

    list_display = ["__str__", "kind", "starts_at", "ends_at", "published", "notify"]
    list_filter = ["kind", "published"]
    exclude = ["min_lat", "max_lat", "min_long", "max_long"]
