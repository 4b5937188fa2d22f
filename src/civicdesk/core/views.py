"""Operational endpoints: liveness and readiness."""

from django.db import connection
from django.http import JsonResponse


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    from . import readiness

    preparing = readiness.pending()
    if preparing:  # the process is up, and still loading what its first visitor needs
        return JsonResponse({"status": "starting", "preparing": preparing}, status=503)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as e:  # readiness reports any database failure, whatever it is
        return JsonResponse({"status": "unavailable", "database": str(e)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
