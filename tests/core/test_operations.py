"""What an operations team relies on: /metrics (Prometheus), /readyz failing while the
database or Redis is away, a clear "try again" (503) instead of a stack trace when the
database cannot be reached, and the cache degrading to empty, not failing, without Redis."""

import socket

import pytest
from django.core.cache import caches
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def test_metrics_count_requests_by_route_for_this_machine_only(client, settings):
    client.get("/help/")
    client.get("/no-such-page/")
    body = client.get("/metrics").content.decode()
    assert 'civicdesk_http_requests_total{method="GET",route="knowledge:index",status="200"}' in body
    assert 'route="unmatched",status="404"' in body
    assert "civicdesk_http_request_seconds_bucket" in body and 'civicdesk_tasks{state="ready"}' in body
    assert "civicdesk_websockets_open" in body or "civicdesk_http_requests_total" in body
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404  # through the proxy
    settings.CIVICDESK_METRICS_TOKEN = "scrape-token-123"
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9",
                      HTTP_AUTHORIZATION="Bearer scrape-token-123").status_code == 200


def test_readiness_fails_while_redis_is_away_and_says_which(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["redis"].startswith("unreachable")


def test_without_redis_the_cache_answers_empty_and_forms_still_work(client, settings):
    from civicdesk.core import cache as safe

    settings.CACHES = {**settings.CACHES, "away": {
        "BACKEND": "civicdesk.core.cache.SafeRedisCache", "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    away = caches["away"]
    try:
        assert away.get("x", "fallback") == "fallback" and away.add("k", 1) is True
        with pytest.raises(ValueError):
            away.incr("k")
        assert not safe.available()  # the breaker is open: no timeout waited on the next calls
    finally:
        safe._down_until = 0.0


def test_with_the_database_away_pages_say_try_again_not_a_stack_trace(settings):
    settings.ROOT_URLCONF = "tests.core.boom_urls"
    client = Client(raise_request_exception=False, headers={"Accept-Language": "es"})
    page = client.get("/database-away/")
    assert page.status_code == 503 and page["Retry-After"] == "30"
    text = page.content.decode()
    assert "Vuelva a intentarlo en un minuto" in text and "Traceback" not in text and "5432" not in text
    api = client.get("/api/v1/database-away")
    assert api.status_code == 503 and api["Content-Type"] == "application/problem+json"
    assert "Vuelva a intentarlo" in api.json()["detail"]
    other = client.get("/boom/")  # any other failure: the plain 500 page, no detail
    assert other.status_code == 500 and "hunter2" not in other.content.decode()
