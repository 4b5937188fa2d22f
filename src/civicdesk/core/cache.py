"""Django's Redis cache, made to degrade instead of fail when Redis is away.

The cache holds what can be rebuilt (figures, snapshots) and counters (rate limits, "sent
already" windows). If Redis is unreachable, pages must keep working: every call answers as
if the cache were empty (a miss; `add` says it added; `incr` says the key is gone, so a
rate limit counts one hit and lets the request through), the failure is logged, and Redis
is not asked again for `BREAKER_SECONDS`, so a page does not wait for a timeout on every
call. Timeouts are short (OPTIONS in settings.py). When Redis is back, the next call after
the pause uses it again.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger("civicdesk.cache")
BREAKER_SECONDS = 5.0

_lock = threading.Lock()
_down_until = 0.0


def _is_down() -> bool:
    return time.monotonic() < _down_until


def _failed(e: Exception) -> None:
    global _down_until
    with _lock:
        first = not _is_down()
        _down_until = time.monotonic() + BREAKER_SECONDS
    if first:
        log.warning("redis unreachable: the cache answers empty for now", extra={"error": str(e)[:200]})


def available() -> bool:
    return not _is_down()


def _safe(name: str, fallback):
    def method(self, *args, **kwargs):
        import redis

        if _is_down():
            return fallback(*args, **kwargs)
        try:
            return getattr(super(SafeRedisCacheClient, self), name)(*args, **kwargs)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError) as e:
            _failed(e)
            return fallback(*args, **kwargs)

    method.__name__ = name
    return method


def _gone(*args, **kwargs):
    raise ValueError("Key not found (the cache is unavailable)")


class SafeRedisCacheClient(RedisCacheClient):
    get = _safe("get", lambda key, default=None: default)
    set = _safe("set", lambda *a, **k: None)
    add = _safe("add", lambda *a, **k: True)
    touch = _safe("touch", lambda *a, **k: False)
    delete = _safe("delete", lambda *a, **k: False)
    get_many = _safe("get_many", lambda *a, **k: {})
    has_key = _safe("has_key", lambda *a, **k: False)
    incr = _safe("incr", _gone)
    set_many = _safe("set_many", lambda *a, **k: [])
    delete_many = _safe("delete_many", lambda *a, **k: None)
    clear = _safe("clear", lambda *a, **k: False)


class SafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SafeRedisCacheClient
