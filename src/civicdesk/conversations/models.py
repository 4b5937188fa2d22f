"""Conversations on every channel, their messages, agent presence and canned responses."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields


def private_storage():
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.VAR_DIR / "private" / "conversations")


def new_public_id() -> str:
    return "C" + secrets.token_hex(6).upper()


class Conversation(models.Model):
    class State(models.TextChoices):
        ASSISTANT = "assistant", _("With the assistant")
        WAITING = "waiting", _("Waiting")
        ASSIGNED = "assigned", _("Assigned")
        MESSAGE = "message", _("Message left")  # answered by email
        CLOSED = "closed", _("Closed")

    class Channel(models.TextChoices):
        CHAT = "chat", _("Chat")
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        PHONE = "phone", _("Phone")
        WEB = "web", _("Web")

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.CHAT)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING, db_index=True)
    department = models.ForeignKey("catalog.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="conversations", help_text=_("Empty: the general queue."))
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="conversations")
    resident = models.ForeignKey("accounts.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="conversations")
    request = models.ForeignKey("cases.ServiceRequest", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="conversations")
    subject = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, default="en")
    contact_name = models.CharField(max_length=160, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    browser_key_hash = models.CharField(max_length=64, blank=True)  # SHA-256 of the resident's token
    email_thread_id = models.CharField(max_length=300, blank=True)  # the resident's latest Message-ID
    last_seq = models.PositiveIntegerField(default=0)
    resident_read_seq = models.PositiveIntegerField(default=0)
    agent_read_seq = models.PositiveIntegerField(default=0)
    resolution_code = models.CharField(max_length=30, blank=True)
    # Where the assistant is in a guided flow (civicdesk.assistant.dialogue).
    assistant_state = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    waiting_since = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)  # the last time an agent took it
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["state", "department"])]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_open(self) -> bool:
        return self.state != self.State.CLOSED


class Message(models.Model):
    class Sender(models.TextChoices):
        RESIDENT = "resident", _("Resident")
        AGENT = "agent", _("Agent")
        ASSISTANT = "assistant", _("Assistant")
        SYSTEM = "system", _("System")
        NOTE = "note", _("Internal note")  # staff only, never shown to the resident

    # No index of its own: the unique (conversation, seq) index below starts with it, and
    # every message written would otherwise update both.
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages",
                                     db_index=False)
    seq = models.PositiveIntegerField()
    sender = models.CharField(max_length=10, choices=Sender.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    author_label = models.CharField(max_length=160, blank=True)
    body = models.TextField(blank=True)
    attachment = models.ImageField(upload_to="chat/%Y/%m/", blank=True)
    # Other files (an email's PDF, say): kept outside MEDIA_ROOT, downloaded by staff only.
    file = models.FileField(upload_to="%Y/%m/", storage=private_storage, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    client_id = models.CharField(max_length=64, blank=True)  # the sender's retry key
    emailed_at = models.DateTimeField(null=True, blank=True)  # answer sent to a message left by email
    # Machine translation for the other side (core/translator.py), kept beside the original
    # words; the transcript shows both.
    translation = models.TextField(blank=True)
    translation_language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="message_seq_unique"),
            models.UniqueConstraint(fields=["conversation", "client_id"], condition=~Q(client_id=""),
                                    name="message_client_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.seq}"

    @property
    def public(self) -> bool:
        return self.sender != self.Sender.NOTE


class AgentPresence(models.Model):
    class Status(models.TextChoices):
        ONLINE = "online", _("Online")
        AWAY = "away", _("Away")
        OFFLINE = "offline", _("Offline")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="presence")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OFFLINE)
    capacity = models.PositiveSmallIntegerField(default=3, help_text=_("Most chats at once."))
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)


class CannedResponse(TranslatableModel):
    """A reply supervisors prepare; {name} and {request_id} are filled in when used. Its
    text in any of the agency's languages (django-parler)."""

    title = models.CharField(max_length=120)
    translations = TranslatedFields(body=models.TextField())
    department = models.ForeignKey("catalog.Department", null=True, blank=True, on_delete=models.CASCADE,
                                   help_text=_("Empty: for everyone."))

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CallLog(models.Model):
    """A phone call an agent logs on a resident's record."""

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Question answered")
        REQUEST = "request", _("Service request filed")
        TRANSFERRED = "transferred", _("Transferred")
        CALLBACK = "callback", _("Call back needed")

    resident = models.ForeignKey("accounts.Resident", on_delete=models.CASCADE, related_name="calls")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    summary = models.TextField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    duration_s = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
