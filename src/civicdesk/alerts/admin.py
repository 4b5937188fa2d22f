"""Area alerts in the admin: who follows which area (read only: residents manage their own
from the links in the emails), and the city's wards."""

from django.contrib import admin

from civicdesk.addresses.models import Ward

from .models import AreaAlert


@admin.register(AreaAlert)
class AreaAlertAdmin(admin.ModelAdmin):
    list_display = ["email", "area_key", "mode", "confirmed_at", "stopped_at"]
    list_filter = ["mode"]
    search_fields = ["email"]
    readonly_fields = [f.name for f in AreaAlert._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name"]
    exclude = ["min_lat", "max_lat", "min_long", "max_long"]
