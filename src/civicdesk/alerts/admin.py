"""Area alerts in the admin: who follows which area (read only: residents manage their own
from the links in the emails), and the city's wards."""

from django.contrib import admin

from civicdesk.addresses.models import Ward
from civicdesk.privacy.services import client_ip, record_access

from .models import AreaAlert


@admin.register(AreaAlert)
class AreaAlertAdmin(admin.ModelAdmin):
    list_display = ["email", "area_key", "mode", "confirmed_at", "stopped_at"]
    list_filter = ["mode"]
    search_fields = ["email"]
    readonly_fields = [f.name for f in AreaAlert._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        """Residents' email addresses: each look is in the audit log."""
        record_access(actor=request.user, action="view_area_alerts", object_type="area_alert", object_id="",
                      ip=client_ip(request), detail=request.GET.get("q", "")[:80])
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record_access(actor=request.user, action="view_area_alert", object_type="area_alert",
                      object_id=str(object_id)[:40], ip=client_ip(request))
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name"]
    exclude = ["min_lat", "max_lat", "min_long", "max_long"]
