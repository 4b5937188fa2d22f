"""Operators' metrics, in Prometheus' text format at /metrics (prometheus-client).

- `civicdesk_http_requests_total{method,route,status}` and `civicdesk_http_request_seconds`
  (a histogram by route: the URL pattern's name, never the path with its ids);
- `civicdesk_websockets_open{kind}`: chat, console and live-meeting sockets open now;
- `civicdesk_tasks{state}`: the task queue by state (ready = waiting, running, failed),
  `civicdesk_task_oldest_ready_seconds`: how long the oldest waiting task has waited;
- `civicdesk_webhook_deliveries{state}`: webhook deliveries, failed ones included.

With several server processes (uvicorn --workers, or several units behind nginx) set
PROMETHEUS_MULTIPROC_DIR to a folder they share (emptied at each start, docs/deployment.md):
each process writes its counters there and /metrics adds them up, so one scrape of any
process gives the whole machine. The queue and webhook figures are read from the database
at scrape time. /metrics answers only this machine (127.0.0.1, ::1) or a request with
`Authorization: Bearer $CIVICDESK_METRICS_TOKEN`.
"""

from __future__ import annotations

import hmac
import os
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

REQUESTS = Counter("civicdesk_http_requests_total", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram("civicdesk_http_request_seconds", "Time to answer an HTTP request", ["route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
SOCKETS = Gauge("civicdesk_websockets_open", "Websockets open", ["kind"],
                multiprocess_mode="livesum")


def socket_opened(kind: str) -> None:
    SOCKETS.labels(kind).inc()


def socket_closed(kind: str) -> None:
    SOCKETS.labels(kind).dec()


class QueueCollector:
    """Read at scrape time from the database: the same figures whichever process answers."""

    def collect(self):
        from django.db.models import Count, Min
        from django_tasks_db.models import DBTaskResult

        from civicdesk.integrations.models import WebhookDelivery

        tasks = GaugeMetricFamily("civicdesk_tasks", "Background tasks by state", labels=["state"])
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")))
        for state in ("READY", "RUNNING", "FAILED", "SUCCESSFUL"):
            tasks.add_metric([state.lower()], counts.get(state, 0))
        yield tasks
        oldest = DBTaskResult.objects.filter(status="READY").aggregate(t=Min("enqueued_at"))["t"]
        wait = GaugeMetricFamily("civicdesk_task_oldest_ready_seconds", "How long the oldest waiting task has waited")
        wait.add_metric([], max(0.0, time.time() - oldest.timestamp()) if oldest else 0.0)
        yield wait
        hooks = GaugeMetricFamily("civicdesk_webhook_deliveries", "Webhook deliveries by state", labels=["state"])
        for state, n in WebhookDelivery.objects.values_list("state").annotate(n=Count("id")):
            hooks.add_metric([state], n)
        yield hooks


def exposition() -> bytes:
    """The counters of every process (or this one), then the figures read from the database."""
    if MULTIPROCESS:
        from prometheus_client import multiprocess

        counters = CollectorRegistry()
        multiprocess.MultiProcessCollector(counters)
    else:
        from prometheus_client import REGISTRY as counters  # noqa: N811
    database = CollectorRegistry()
    database.register(QueueCollector())
    return generate_latest(counters) + generate_latest(database)


def _allowed(request: HttpRequest) -> bool:
    token = settings.CIVICDESK_METRICS_TOKEN
    presented = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and presented and hmac.compare_digest(presented, token):
        return True
    # The address the socket came from (not X-Forwarded-For): the proxy never forwards /metrics.
    return request.META.get("REMOTE_ADDR") in ("127.0.0.1", "::1") and not request.headers.get("X-Forwarded-For")


def view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse("Not found\n", status=404, content_type="text/plain")
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """Counts and times every HTTP request, by the name of the route it matched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.view_name if match else "unmatched")[:60]
        REQUESTS.labels(request.method if request.method in ("GET", "POST", "HEAD", "PUT", "PATCH", "DELETE",
                                                             "OPTIONS") else "other",
                        route, str(response.status_code)).inc()
        LATENCY.labels(route).observe(time.perf_counter() - start)
        return response
