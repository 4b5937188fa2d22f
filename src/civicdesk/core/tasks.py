"""Background jobs: named tasks that take IDs and retry with backoff.

Built on django-tasks with its database backend. ``enqueue_on_commit`` is how domain
services schedule side effects: with the database backend the task row is written in
the same transaction as the change that caused it (a transactional outbox), so it
becomes visible to the worker exactly at commit and a crash right after commit loses
nothing; with any other backend it is enqueued from ``transaction.on_commit``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("civicdesk.tasks")


class RetryLater(Exception):
    """Raise from a task body for a temporary failure that should be retried."""


def retrying_task(*, base_delay_seconds: int = 30, max_attempts: int | None = None):
    """Declare a task whose failures are retried with exponential backoff.

    The task function takes plain IDs. On an exception the same task is enqueued again
    with ``run_after`` = now + base * 2**(attempt-1), up to ``max_attempts`` (default
    ``CIVICDESK_TASK_MAX_ATTEMPTS``); the last failure is raised so the worker records it.
    """

    def decorator(func: Callable[..., Any]):
        @functools.wraps(func)
        def runner(*args: Any, _attempt: int = 1, **kwargs: Any) -> Any:
            limit = max_attempts or settings.CIVICDESK_TASK_MAX_ATTEMPTS
            try:
                return func(*args, **kwargs)
            except Exception:
                if _attempt >= limit:
                    logger.exception(
                        "task failed for good", extra={"task": func.__name__, "attempt": _attempt}
                    )
                    raise
                delay = timedelta(seconds=base_delay_seconds * 2 ** (_attempt - 1))
                logger.warning(
                    "task failed, retrying in %ss", int(delay.total_seconds()),
                    exc_info=True, extra={"task": func.__name__, "attempt": _attempt},
                )
                the_task.using(run_after=timezone.now() + delay).enqueue(
                    *args, _attempt=_attempt + 1, **kwargs
                )
                return {"retry_scheduled": _attempt + 1}

        the_task = task()(runner)
        return the_task

    return decorator


def enqueue_on_commit(the_task, *args: Any, **kwargs: Any) -> None:
    """Schedule ``the_task`` so that it runs only if the current transaction commits."""
    backend = the_task.get_backend()
    if type(backend).__module__.startswith("django_tasks_db") and transaction.get_connection().in_atomic_block:
        the_task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: the_task.enqueue(*args, **kwargs))


def bump_on_commit(key: str) -> None:
    """Increase a shared version number in the cache once the transaction commits (other
    processes compare it with the version they built their in-memory state from)."""
    from django.core.cache import cache

    def bump():
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, None)
    transaction.on_commit(bump)
