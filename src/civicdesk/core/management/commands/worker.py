"""`manage.py worker`: django-tasks' database worker, plus what it lacks after a crash.

A worker killed in the middle of a task (a `kill -9`, a power cut, the OOM killer) leaves
that task marked "running" for ever: django-tasks' database worker never looks at it again,
and whatever it was doing (a notification, a batch of reminders) would be lost. So before it
starts, this worker queues again:

- the tasks its own id was running: the worker of that id is the one starting now, so the
  earlier one is gone. Give each worker its own stable id (`--worker-id` or
  CIVICDESK_WORKER_ID, e.g. systemd's instance name); two workers sharing one id would
  queue again each other's running tasks. Without one the id is the host and process id;
- any task still "running" `CIVICDESK_TASK_ABANDONED_AFTER` seconds after it started (a
  worker on a machine that never came back).

Every CivicDesk task is safe to run again (each effect is recorded under a unique key in the
transaction that causes it), so a task queued again never acts twice.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorker

log = logging.getLogger("civicdesk.tasks")


def default_worker_id() -> str:
    """CIVICDESK_WORKER_ID when set (one per worker: a systemd unit's instance name); else
    one no other worker has (host and process id), which finds nothing of its own to queue
    again, so only the age rule applies."""
    return (os.environ.get("CIVICDESK_WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}")[:64]


RETRY_AFTER_S = 2.0  # seconds between attempts while the database is away


def requeue_abandoned(worker_id: str) -> int:
    """Put back in the queue what `worker_id` (now restarting) or a long-dead worker left
    running. Returns how many."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(seconds=settings.CIVICDESK_TASK_ABANDONED_AFTER)
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update().filter(status="RUNNING")
        ids = [t.pk for t in running
               if (t.worker_ids and t.worker_ids[-1] == worker_id)
               or (t.started_at is not None and t.started_at < cutoff)]
        if ids:
            DBTaskResult.objects.filter(pk__in=ids).update(status="READY", started_at=None)
    if ids:
        log.warning("queued again %d tasks a stopped worker left running", len(ids),
                    extra={"worker_id": worker_id})
    return len(ids)


class Command(DbWorker):
    help = ("Run the background task worker (django-tasks' database worker), first queueing "
            "again the tasks a crashed worker left running.")

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # no code reloading unless asked (`--reload`): the reloader runs the worker in a
        # child process, which a stop signal to the command's own process does not reach
        parser.set_defaults(worker_id=default_worker_id(), reload=False)

    def handle(self, *args, **options):
        """Runs until stopped. If the database goes away (PostgreSQL restarting), the worker
        does not exit: it waits, reconnects, queues again what it was running, and goes on."""
        from django.db import InterfaceError, OperationalError, connections

        while True:
            try:
                requeued = requeue_abandoned(options["worker_id"])
                if requeued:
                    self.stderr.write(f"Queued again {requeued} task(s) left running by a stopped worker.")
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as e:
                log.warning("database unavailable: the worker waits and tries again",
                            extra={"worker_id": options["worker_id"], "error": str(e)[:200]})
                for conn in connections.all(initialized_only=True):
                    conn.close()
                time.sleep(RETRY_AFTER_S)
