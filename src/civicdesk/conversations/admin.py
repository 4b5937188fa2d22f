from django.contrib import admin
from parler.admin import TranslatableAdmin

from .models import AgentPresence, CannedResponse, Conversation, Message


@admin.register(CannedResponse)
class CannedResponseAdmin(TranslatableAdmin):
    list_display = ("title", "department")
    list_filter = ("department",)


@admin.register(AgentPresence)
class AgentPresenceAdmin(admin.ModelAdmin):
    list_display = ("user", "status", "capacity", "updated_at")


class MessageInline(admin.TabularInline):
    model = Message
    fields = ("seq", "sender", "author_label", "body", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("public_id", "channel", "state", "department", "assigned_to", "created_at")
    list_filter = ("state", "channel", "department")
    readonly_fields = [f.name for f in Conversation._meta.fields]
    inlines = [MessageInline]

    def has_add_permission(self, request):
        return False
