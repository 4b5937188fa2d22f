"""Outgoing webhooks: events fanned out to registered endpoints, signed, retried.

Call ``emit()`` inside the transaction that made the change: it writes one
WebhookDelivery per interested endpoint and enqueues its delivery in the same
transaction, so an event exists exactly when its change committed.

Signature (documented in docs/api.md): header ``CivicDesk-Signature: t=<unix>,v1=<hex>``
where ``hex = HMAC-SHA256(secret, f"{t}.{raw body}")``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_tasks import task

from civicdesk.core.tasks import enqueue_on_commit

from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger("civicdesk.webhooks")
USER_AGENT = "CivicDesk-Webhooks/1"

_cache_lock = threading.Lock()
_cache: dict = {"expires": 0.0, "endpoints": []}


def active_endpoints() -> list[WebhookEndpoint]:
    now = time.monotonic()
    if _cache["expires"] <= now:
        with _cache_lock:
            if _cache["expires"] <= now:
                _cache["endpoints"] = list(WebhookEndpoint.objects.filter(active=True))
                _cache["expires"] = now + settings.CIVICDESK_CATALOG_TTL
    return _cache["endpoints"]


def clear_cache(**_kwargs) -> None:
    _cache["expires"] = 0.0


post_save.connect(clear_cache, sender=WebhookEndpoint, dispatch_uid="webhook-endpoints-save")
post_delete.connect(clear_cache, sender=WebhookEndpoint, dispatch_uid="webhook-endpoints-delete")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, *, tolerance_s: int = 300, now: float | None = None) -> bool:
    """What a receiver does (also used by our tests): check the MAC and the timestamp's age."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), f"t={timestamp},v1={parts.get('v1', '')}")


def emit(event_type: str, data: dict) -> list[WebhookDelivery]:
    """Queue ``event_type`` with ``data`` for every active endpoint that wants it."""
    created = []
    for endpoint in active_endpoints():
        if not endpoint.wants(event_type):
            continue
        delivery = WebhookDelivery(endpoint=endpoint, event_type=event_type, payload={})
        delivery.payload = {"id": str(delivery.event_id), "type": event_type,
                            "created_at": timezone.now().isoformat(timespec="seconds"), "data": data}
        delivery.payload = json.loads(json.dumps(delivery.payload, cls=DjangoJSONEncoder))
        delivery.save()
        enqueue_on_commit(deliver_webhook, delivery.pk)
        created.append(delivery)
    return created


def _attempt(delivery: WebhookDelivery) -> tuple[bool, int | None, str]:
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    timestamp = int(time.time())
    req = urllib.request.Request(delivery.endpoint.url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": USER_AGENT,
        "CivicDesk-Event-Id": str(delivery.event_id), "CivicDesk-Event-Type": delivery.event_type,
        "CivicDesk-Signature": sign(delivery.endpoint.secret, timestamp, body),
    })
    try:
        with urllib.request.urlopen(req, timeout=settings.CIVICDESK_WEBHOOK_TIMEOUT_S) as resp:
            return 200 <= resp.status < 300, resp.status, ""
    except urllib.error.HTTPError as e:
        return False, e.code, f"HTTP {e.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        return False, None, str(getattr(e, "reason", e))[:300]


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One delivery attempt; on failure, schedule the next with exponential backoff."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
        return "nothing to do"
    endpoint = delivery.endpoint
    if not endpoint.active:
        return "endpoint disabled"
    started = time.perf_counter()
    ok, status_code, error = _attempt(delivery)
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_latency_ms = int((time.perf_counter() - started) * 1000)
    delivery.last_error = error
    if ok:
        delivery.state = WebhookDelivery.State.SUCCEEDED
        delivery.delivered_at = timezone.now()
        delivery.save()
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return "delivered"
    if delivery.attempts < settings.CIVICDESK_WEBHOOK_MAX_ATTEMPTS:
        delay = settings.CIVICDESK_WEBHOOK_RETRY_BASE_S * 2 ** (delivery.attempts - 1)
        with transaction.atomic():
            delivery.save()
            deliver_webhook.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(delivery.pk)
        return f"retry in {delay}s"
    delivery.state = WebhookDelivery.State.FAILED
    delivery.save()
    _count_failure(endpoint)
    return "failed"


def _count_failure(endpoint: WebhookEndpoint) -> None:
    with transaction.atomic():
        ep = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        ep.consecutive_failures += 1
        if ep.active and ep.consecutive_failures >= settings.CIVICDESK_WEBHOOK_DISABLE_AFTER:
            ep.active = False
            ep.disabled_reason = (f"Disabled {timezone.now():%Y-%m-%d %H:%M} after {ep.consecutive_failures} "
                                  "deliveries failed in a row.")
            _notify_admins(ep)
        ep.save()


def _notify_admins(endpoint: WebhookEndpoint) -> None:
    from civicdesk.accounts.models import Role, User

    emails = list(User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).exclude(email="")
                  .values_list("email", flat=True))
    logger.warning("webhook endpoint disabled", extra={"endpoint": endpoint.pk, "url": endpoint.url})
    if emails:
        transaction.on_commit(lambda: send_mail(
            f"[CivicDesk] Webhook endpoint disabled: {endpoint.name}",
            f"{endpoint.disabled_reason}\n\nURL: {endpoint.url}\nRe-enable it in the admin once the receiver works.",
            None, emails, fail_silently=True))


def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (same event ID, so receivers can drop it if they had it)."""
    with transaction.atomic():
        delivery.state = WebhookDelivery.State.PENDING
        delivery.attempts = 0
        delivery.save(update_fields=["state", "attempts"])
        enqueue_on_commit(deliver_webhook, delivery.pk)
    return delivery
