from django.contrib import admin, messages
from django.utils import timezone

from . import webhooks
from .models import ApiKey, WebhookDelivery, WebhookEndpoint, hash_key


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "open311_only", "rate_per_minute", "created_at", "last_used_at",
                    "revoked_at")
    list_filter = ("open311_only",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    fields = ("name", "user", "open311_only", "rate_per_minute", "prefix", "created_at", "created_by",
              "last_used_at", "revoked_at")
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if not change:
            raw = ApiKey.new_raw_key()
            obj.prefix, obj.key_hash, obj.created_by = raw[:10], hash_key(raw), request.user
            super().save_model(request, obj, form, change)
            messages.warning(request, f"The key for {obj.name} is {raw} — copy it now; it will not be shown again.")
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request, queryset):
        n = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        messages.success(request, f"Revoked {n} key(s).")

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the audit trail keeps pointing at the key


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "active", "consecutive_failures", "disabled_reason")
    list_filter = ("active",)
    readonly_fields = ("consecutive_failures", "disabled_reason", "created_at")

    def save_model(self, request, obj, form, change):
        if obj.active:
            obj.disabled_reason = ""
            obj.consecutive_failures = 0 if "active" in form.changed_data else obj.consecutive_failures
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event_type", "event_id", "endpoint", "state", "attempts", "last_status_code",
                    "last_latency_ms", "created_at", "delivered_at")
    list_filter = ("state", "event_type", "endpoint")
    search_fields = ("event_id",)
    actions = ["redeliver"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Deliver the selected events again")
    def redeliver(self, request, queryset):
        for delivery in queryset:
            webhooks.redeliver(delivery)
        messages.success(request, f"Queued {queryset.count()} delivery(ies) again.")
