"""The audit trail: who saw or changed what, when, from where. Append-only and
hash-chained: each entry carries the SHA-256 of the previous entry's hash and its own
content, so any edit, insertion or deletion inside the chain is found by
``python -m civicdesk.manage verify_audit``.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone

GENESIS = "0" * 64


class AuditEntry(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=150, blank=True)  # the username, kept if the user goes
    action = models.CharField(max_length=40)  # e.g. "view", "change_status", "add_note"
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64, default=GENESIS)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at"]
        # (actor_label, action, id): one person's entries (of one action), newest first,
        # without reading anyone else's
        indexes = [models.Index(fields=["object_type", "object_id"]),
                   models.Index(fields=["actor_label", "action", "id"], name="audit_person_idx")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type} {self.object_id}"

    def compute_hash(self) -> str:
        content = json.dumps([self.prev_hash, self.at.isoformat(), self.actor_label, self.action, self.object_type,
                              self.object_id, self.ip or "", self.detail], ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(content.encode()).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are append-only.")


class Consent(models.Model):
    """One decision of a resident about one use of their data. The latest row per purpose
    is in force; earlier rows stay as the record (with the wording they were shown)."""

    class Purpose(models.TextChoices):
        CONTACT = "contact", "Contact me about my requests and messages"
        REMEMBER = "remember", "Remember me across channels"
        SURVEYS = "surveys", "Invite me to short surveys about the service"

    resident = models.ForeignKey("accounts.Resident", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    granted = models.BooleanField()
    wording = models.TextField()
    source = models.CharField(max_length=12)  # web, chat, email, sms, phone, staff
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["resident", "purpose", "-recorded_at"])]


class ErasureRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending review"
        APPROVED = "approved", "Approved and carried out"
        REFUSED = "refused", "Refused"

    resident = models.ForeignKey("accounts.Resident", null=True, on_delete=models.SET_NULL, related_name="+")
    resident_ref = models.CharField(max_length=20)  # "resident 12", kept after erasure
    reason = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]


class RetentionRule(models.Model):
    class Kind(models.TextChoices):
        CHAT_TRANSCRIPTS = "chat", "Chat and message transcripts of closed conversations"
        REQUEST_CONTACTS = "contacts", "Contact details of closed requests"
        ATTACHMENTS = "attachments", "Photos and attachments"
        ACCESS_LOGS = "access_logs", "Audit log entries"
        ASSISTANT_LOGS = "assistant", "Questions residents asked the assistant"
        FEEDBACK_TEXT = "feedback", "Free-text survey answers and article comments"
        WEBHOOK_DELIVERIES = "webhooks", "Webhook delivery log"
        ARTICLE_REVISIONS = "revisions", "Earlier revisions of knowledge articles"

    kind = models.CharField(max_length=12, choices=Kind.choices, unique=True)
    days = models.PositiveIntegerField(help_text="Keep for this many days after the record closed.")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days} days"
