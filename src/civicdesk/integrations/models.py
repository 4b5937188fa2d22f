"""API keys, idempotency records, webhook endpoints and their deliveries."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

KEY_PREFIX = "cdk_"


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKey(models.Model):
    """A key issued to one application. Only its SHA-256 is stored; the key is shown once.

    The key acts as its ``user``: an integration account with a role and departments, so
    the REST API applies exactly the per-object rules of the staff pages. An Open311 key
    (``open311_only``) may only file requests through GeoReport v2.
    """

    name = models.CharField(max_length=120, help_text="The application this key is for.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_keys")
    prefix = models.CharField(max_length=16, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    open311_only = models.BooleanField(default=False)
    rate_per_minute = models.PositiveIntegerField(default=600)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.user.is_active

    @classmethod
    def new_raw_key(cls) -> str:
        return KEY_PREFIX + secrets.token_urlsafe(30)


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an ``Idempotency-Key``, replayed on retries."""

    scope = models.CharField(max_length=64)  # hash of the credentials that sent it
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)  # null while the first request runs
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key")]


class WebhookEvent(models.TextChoices):
    REQUEST_CREATED = "request.created"
    REQUEST_STATUS_CHANGED = "request.status_changed"
    REQUEST_UPDATED = "request.updated"
    REQUEST_NOTE_ADDED = "request.note_added"
    CONVERSATION_CREATED = "conversation.created"
    CONVERSATION_ASSIGNED = "conversation.assigned"
    CONVERSATION_CLOSED = "conversation.closed"


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(24)


class WebhookEndpoint(models.Model):
    name = models.CharField(max_length=120)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=100, default=new_webhook_secret,
                              help_text="Shared secret for the signature; give it to the receiver.")
    events = models.JSONField(default=list, help_text="Event types to send, for example [\"request.created\"].")
    active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} → {self.url}"

    def wants(self, event_type: str) -> bool:
        return self.active and (event_type in self.events or "*" in self.events)


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"  # gave up after the last attempt

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4, db_index=True)
    event_type = models.CharField(max_length=60)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_latency_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → {self.endpoint.name}"
