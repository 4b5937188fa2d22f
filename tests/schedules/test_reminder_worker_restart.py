"""Exactly-once reminders across a worker killed mid-run (`kill -9`) and restarted.

A real worker process (`manage.py worker`) sends a run of 240 reminders to a real SMTP
server. When the 90th message arrives, the server kills the worker before answering, as a
power cut would: that message was never accepted, so it does not count. The worker is
started again with the same id: it finds its batch still marked running, queues it again,
and the batch skips everyone whose reminder is recorded. The server must end with every
subscriber's reminder exactly once.

Runs in the PostgreSQL pass (the worker process must share the test database).
"""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from civicdesk.schedules import reminders
from civicdesk.schedules.models import Reminder, Subscription
from tests.conftest import _free_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.multiprocess]
ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 240
KILL_AT = 90


class KillingInbox:
    """Counts accepted messages by recipient and Message-ID; kills the worker on message
    number `KILL_AT` before accepting it."""

    def __init__(self) -> None:
        self.accepted: list[tuple[str, str]] = []
        self.seen = 0
        self.worker: subprocess.Popen | None = None
        self.killed = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        import email

        with self.lock:
            self.seen += 1
            if self.seen == KILL_AT and self.worker is not None:
                os.kill(self.worker.pid, signal.SIGKILL)
                self.worker.wait()
                self.killed.set()
                return "451 Try again later"  # never reaches the dead worker anyway
            msg = email.message_from_bytes(envelope.content)
            self.accepted.append((envelope.rcpt_tos[0], msg["Message-ID"]))
        return "250 Message accepted"


def _worker(env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "civicdesk.manage", "worker", "--worker-id", "drill-1",
                             "--interval", "0.1", "--no-startup-delay"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(predicate, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_each_reminder_is_sent_once_though_the_worker_is_killed_mid_run(riverton, tmp_path):
    from aiosmtpd.controller import Controller
    from django_tasks_db.models import DBTaskResult

    if connection.vendor != "postgresql":
        pytest.fail("run this test in the PostgreSQL pass (make test-postgres)")
    now = timezone.now()
    Subscription.objects.bulk_create(Subscription(
        address_ref="A-1", address_label="1228 N Elm St", lat=41.85, long=-89.50, channel="email",
        contact=f"r{i}@example.org", token=f"t{i}", consent_wording="yes", confirmed_at=now)
        for i in range(SUBSCRIBERS))

    inbox = KillingInbox()
    port = _free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "SECRET_KEY": settings.SECRET_KEY, "CIVICDESK_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src"),
           "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "CIVICDESK_QUIET_HOURS": "",
           "CIVICDESK_LOG_LEVEL": "WARNING", "CIVICDESK_DB_POOL_SIZE": "0", "CIVICDESK_ASSISTANT": "0"}
    worker = None
    try:
        reminders.reminder_run.enqueue(date(2026, 12, 3).isoformat())
        worker = inbox.worker = _worker(env)
        assert inbox.killed.wait(60), "the worker never reached the 90th message"
        sent_before = len(inbox.accepted)
        assert sent_before == KILL_AT - 1
        assert DBTaskResult.objects.filter(status="RUNNING").count() == 1  # the batch, left running

        worker = inbox.worker = _worker(env)
        done = _wait(lambda: Reminder.objects.count() == SUBSCRIBERS
                     and not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists(), 90)
        assert done, f"only {Reminder.objects.count()} reminders recorded"
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        smtp.stop()

    recipients = [to for to, _ in inbox.accepted]
    assert len(recipients) == SUBSCRIBERS  # every one ...
    assert len(set(recipients)) == SUBSCRIBERS  # ... once
    assert len({mid for _, mid in inbox.accepted}) == SUBSCRIBERS
    assert set(recipients) == {f"r{i}@example.org" for i in range(SUBSCRIBERS)}
