"""The daily retention run: a task that applies the rules and schedules its next run."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("civicdesk.privacy")


@task()
def daily_retention() -> dict:
    from .data_rights import apply_retention

    report = apply_retention()
    logger.info("retention applied", extra={"records": report})
    schedule_next()
    return report


def schedule_next() -> None:
    """Queue the next run for tomorrow unless one is already queued."""
    from django_tasks_db.models import DBTaskResult

    path = f"{daily_retention.func.__module__}.{daily_retention.func.__qualname__}"
    if not DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        daily_retention.using(run_after=timezone.now() + timedelta(days=1)).enqueue()
