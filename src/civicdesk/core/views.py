"""Operational endpoints (liveness and readiness), and the pages behind opt-in links."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    from . import readiness

    preparing = readiness.pending()
    if preparing:  # the process is up, and still loading what its first visitor needs
        return JsonResponse({"status": "starting", "preparing": preparing}, status=503)
    status = {"status": "ok", "database": connection.vendor}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as e:  # readiness reports any database failure, whatever it is
        status.update(status="unavailable", database=f"unreachable: {str(e)[:200]}")
    if settings.REDIS_URL:
        import redis

        try:  # asked directly, not through the cache (which answers empty while Redis is away)
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=1.0).ping()
            status["redis"] = "ok"
        except (redis.exceptions.RedisError, OSError) as e:
            status.update(status="unavailable", redis=f"unreachable: {str(e)[:200]}")
    return JsonResponse(status, status=200 if status["status"] == "ok" else 503)


# --- opt-in links (collection reminders, area alerts: core.models.OptIn) --------------------
def opt_in_confirm_page(request: HttpRequest, queryset, token: str, template: str, name: str) -> HttpResponse:
    """The link sent to confirm: a page with a button (a mail scanner that opens links
    confirms nothing); the button's POST turns it on."""
    item = get_object_or_404(queryset, token=token)
    if request.method == "POST":
        item.confirm()
        return render(request, template, {name: item, "state": "on"})
    return render(request, template, {name: item, "state": "confirm"})


def opt_in_stop_page(request: HttpRequest, queryset, token: str, template: str, name: str) -> HttpResponse:
    """The stop link in every message: a page with one button, and the one-click POST a mail
    client sends from the List-Unsubscribe header (the caller is CSRF-exempt for it). Only
    the unguessable token is needed; stopping twice is harmless."""
    item = get_object_or_404(queryset, token=token)
    if request.method == "POST":
        item.stop()
        return render(request, template, {name: item, "state": "stopped"})
    return render(request, template, {name: item, "state": "stopped" if item.stopped_at else "stop"})
