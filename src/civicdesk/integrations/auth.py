"""API keys from requests, and rate limits (fixed one-minute windows in the cache:
Redis when configured, so the limit holds across processes)."""

from __future__ import annotations

import time
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from .models import ApiKey, hash_key


def presented_key(request) -> str:
    """The key from ``Authorization: Bearer``, ``X-API-Key`` or an Open311 ``api_key`` field."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    if request.headers.get("X-API-Key"):
        return request.headers["X-API-Key"].strip()
    return (request.POST.get("api_key") or "").strip() if request.method == "POST" else ""


def authenticate(raw: str) -> ApiKey | None:
    if not raw or len(raw) > 200:
        return None
    key = ApiKey.objects.select_related("user").filter(key_hash=hash_key(raw), revoked_at__isnull=True).first()
    if key is None or not key.user.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def rate_limited(bucket: str, per_minute: int) -> bool:
    """Count one hit in ``bucket``; True when this minute's hits exceed ``per_minute``."""
    window = int(time.time() // 60)
    name = f"ratelimit:{bucket}:{window}"
    cache.add(name, 0, timeout=90)
    try:
        hits = cache.incr(name)
    except ValueError:  # evicted between add and incr
        cache.set(name, 1, timeout=90)
        hits = 1
    return hits > per_minute


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind CIVICDESK_TRUSTED_PROXIES reverse
    proxies, the address the outermost trusted proxy saw (from X-Forwarded-For)."""
    from django.conf import settings

    hops = settings.CIVICDESK_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [a.strip() for a in forwarded.split(",") if a.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR") or "unknown"


def client_ip_for_lockouts(request) -> str | None:
    """client_ip as django-axes stores it: a valid address or None. Its access log column
    is an address type on PostgreSQL, so "unknown" (a request built without REMOTE_ADDR,
    such as a programmatic sign-in) or a forged X-Forwarded-For entry must not reach it."""
    import ipaddress

    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
