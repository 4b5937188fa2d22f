"""A collection reminder run for many subscribers, on PostgreSQL, with a real SMTP server
counting what it receives. Prints a JSON report.

    python bench/reminders_bench.py --subscribers 100000 --workers 2

A fresh database `civicdesk_remindersbench` with the demo city (its addresses and zones),
plus one service whose zone covers the whole city on the run's day, so that every
subscriber has a reminder due. --subscribers confirmed email subscriptions at the demo
addresses (plain SQL). Then the evening run is queued and --workers worker processes
(`manage.py worker`, as in production) send it, while an SMTP server (aiosmtpd) in this
process counts each message by recipient and Message-ID. The report gives the wall time
from queueing to the last message, the rate, and how many subscribers got none, one or
more than one message.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/civicdesk_remindersbench")
MESSAGE_ID = re.compile(rb"^Message-ID: *(\S+)", re.I | re.M)

FILL = """
WITH a AS (SELECT array_agg(ref ORDER BY id) AS refs, array_agg(lat ORDER BY id) AS lats,
                  array_agg(long ORDER BY id) AS longs, count(*) AS n FROM addresses_addresspoint)
INSERT INTO schedules_subscription (address_ref, address_label, lat, long, channel, contact, language,
    token, consent_wording, consented_at, confirmed_at, created_at)
SELECT a.refs[1 + i %% a.n], 'bench address', a.lats[1 + i %% a.n], a.longs[1 + i %% a.n], 'email',
    'r' || i || '@example.org', (ARRAY['en', 'es'])[1 + i %% 2], md5(i::text), 'bench', now(), now(), now()
FROM generate_series(1, %s) AS i, a
"""


class Counting:
    def __init__(self) -> None:
        self.recipients: Counter = Counter()
        self.ids: Counter = Counter()
        self.last = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.content)
        with self.lock:
            for to in envelope.rcpt_tos:
                self.recipients[to] += 1
            self.ids[found.group(1) if found else b""] += 1
            self.last = time.perf_counter()
        return "250 OK"


def setup(subscribers: int) -> None:
    import psycopg

    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = PG_URL
    os.environ["CIVICDESK_VAR_DIR"] = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("seed_demo", requests=0, verbosity=0, stdout=io.StringIO())
    with connection.cursor() as c:
        c.execute(FILL, [subscribers])
        c.execute("ANALYZE")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--subscribers", type=int, default=100_000)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    setup(args.subscribers)

    from aiosmtpd.controller import Controller
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from civicdesk.addresses.models import AddressPoint
    from civicdesk.core.translation import save_translations
    from civicdesk.schedules import reminders
    from civicdesk.schedules.models import CollectionService, Reminder, Subscription, Zone

    day = timezone.localdate() + timedelta(days=1)
    every = CollectionService.objects.create(code="bench", kind="other", order=99)
    save_translations(every, {"en": {"name": "Bench collection"}, "es": {"name": "Recogida de prueba"}})
    lats = AddressPoint.objects.values_list("lat", flat=True)
    longs = AddressPoint.objects.values_list("long", flat=True)
    s, n, w, e = min(lats) - 0.01, max(lats) + 0.01, min(longs) - 0.01, max(longs) + 0.01
    Zone.objects.create(service=every, name="Whole city", weekday=day.weekday(),
                        polygons=[[[[w, s], [e, s], [e, n], [w, n], [w, s]]]])
    connection.close()

    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's lines per message
    inbox = Counting()
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port),
           "CIVICDESK_QUIET_HOURS": "", "CIVICDESK_LOG_LEVEL": "WARNING", "CIVICDESK_ASSISTANT": "0",
           "CIVICDESK_SITE_URL": "https://riverton.example"}
    started = time.perf_counter()
    reminders.reminder_run.enqueue(day.isoformat())
    workers = [subprocess.Popen([sys.executable, "-m", "civicdesk.manage", "worker", "--worker-id", f"bench-{i}",
                                 "--interval", "0.2", "--no-startup-delay"], env=env, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(args.workers)]
    try:
        while True:
            time.sleep(1)
            with inbox.lock:
                received = sum(inbox.recipients.values())
            if received >= args.subscribers and not DBTaskResult.objects.filter(
                    status__in=["READY", "RUNNING"], task_path__contains="reminder_batch").exists():
                break
            if time.perf_counter() - started > 3600:
                break
    finally:
        for w_ in workers:
            w_.terminate()
        for w_ in workers:
            w_.wait(30)
        smtp.stop()
    elapsed = inbox.last - started
    counts = Counter(inbox.recipients.values())
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "command": " ".join(["python", "bench/reminders_bench.py", *sys.argv[1:]]),
        "subscribers": Subscription.objects.count(), "workers": args.workers,
        "seconds": round(elapsed, 1), "messages_per_second": round(sum(inbox.recipients.values()) / elapsed, 1),
        "smtp_messages": sum(inbox.recipients.values()),
        "subscribers_with_one": counts.get(1, 0),
        "subscribers_with_none": args.subscribers - len(inbox.recipients),
        "subscribers_with_more_than_one": sum(v for k, v in counts.items() if k > 1),
        "distinct_message_ids": len(inbox.ids), "reminder_rows": Reminder.objects.count(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
