"""Page times with a million requests stored, on PostgreSQL. Prints a JSON report.

    python bench/pages_bench.py --rows 1000000 --runs 5

A fresh database `civicdesk_pagesbench` with the demo catalog, then (plain SQL,
generate_series) --rows service requests over the last 1,000 days across all services and
their departments: 70% resolved or closed, the rest open (submitted, acknowledged, in
progress), SLA due three days after submission. Each page is then rendered --runs times in
process (Django's test client: the view, the queries and the template, no HTTP server),
as a resident and as an administrator, and the report gives the median and the slowest
run in milliseconds, and the number of queries. "home, counting" clears the cache first:
what the first visitor after the popular-services cache expires waits. The audit log holds
as many entries as there are requests.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/civicdesk_pagesbench")

FILL = """
WITH svc AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(department_id ORDER BY id) AS deps
             FROM catalog_service)
INSERT INTO cases_servicerequest (public_id, service_id, department_id, description, answers, status,
    status_reason, priority, address, zipcode, contact_email, contact_name, contact_phone, language,
    channel, access_salt, submitted_at, updated_at, sla_due_at, address_id, media_url, client_meta,
    review, review_reason, public_description, needs_review)
SELECT 'P-' || i, svc.ids[1 + i %% array_length(svc.ids, 1)], svc.deps[1 + i %% array_length(svc.ids, 1)],
    'pothole near the school ' || md5(i::text), '{}',
    (ARRAY['closed', 'closed', 'closed', 'resolved', 'resolved', 'closed', 'closed', 'submitted',
           'in_progress', 'acknowledged'])[1 + i * 7 %% 10],
    '', 'normal', (i %% 900) || ' Main St', '', '', '', '', 'en', 'web', 'x',
    now() - (i %% 1000) * interval '1 day' - (i %% 86400) * interval '1 second',
    now() - (i %% 1000) * interval '1 day', now() - (i %% 1000) * interval '1 day' + interval '3 days',
    '', '', '{}', 'published', '', '', false
FROM generate_series(1, %s) AS i, svc
"""


AUDIT_FILL = """
INSERT INTO privacy_auditentry (at, actor_label, action, object_type, object_id, ip, detail, prev_hash, hash)
SELECT now() - (i %% 1000) * interval '1 day' - (i %% 86400) * interval '1 second',
    'agent' || (i %% 40), (ARRAY['view', 'view_conversation', 'change_status', 'sign_in'])[1 + i %% 4],
    'service_request', 'P-' || i, '10.0.0.1', '', '', md5(i::text)
FROM generate_series(1, %s) AS i
"""


def django_setup() -> None:
    os.environ["DATABASE_URL"] = PG_URL
    os.environ["CIVICDESK_VAR_DIR"] = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
    os.environ["CIVICDESK_REQUIRE_2FA"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def setup(rows: int) -> None:
    import psycopg

    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("seed_demo", requests=0, verbosity=0, stdout=io.StringIO())  # the report owns stdout
    with connection.cursor() as c:
        c.execute(FILL, [rows])
        c.execute(AUDIT_FILL, [rows])  # as many audit entries: a year or two of a busy console
        c.execute("ANALYZE")


def timed(client, url: str, runs: int, before=None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    if before:
        before()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
            "queries": len(ctx.captured_queries)}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    setup(args.rows)

    from datetime import timedelta

    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from civicdesk.accounts.models import User
    from civicdesk.cases.models import ServiceRequest
    from civicdesk.conversations.models import Conversation

    case = ServiceRequest.objects.order_by("-id").values_list("public_id", flat=True).first()
    conversation = Conversation.objects.order_by("-id").values_list("public_id", flat=True).first()
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    resident, staff = Client(), Client()
    staff.force_login(User.objects.filter(is_superuser=True).first())
    pages = {
        "home": (resident, "/", None),
        "home, counting": (resident, "/", cache.clear),
        "catalog": (resident, "/services/", None),
        "open requests (map and list)": (resident, "/requests/", None),
        "case page": (resident, f"/requests/{case}/", None),
        "console: open requests": (staff, "/console/", None),
        "console: all statuses": (staff, "/console/?status=", None),
        "console: one department": (staff, "/console/?department=public-works", None),
        "console: overdue": (staff, "/console/?overdue=1", None),
        "console: closed, far page": (staff, "/console/?status=closed&page=5000", None),
        "console: text search": (staff, "/console/?q=school", None),
        "console: text search, a word found nowhere": (staff, "/console/?q=zebra", None),
        "console: a request ID": (staff, f"/console/?q={case}", None),
        "console: a request": (staff, f"/console/requests/{case}/", None),
        "console: assigned to me": (staff, "/console/?assigned=me", None),
        "console: unassigned": (staff, "/console/?assigned=none", None),
        "console: inbox": (staff, "/console/inbox/", None),
        "console: a conversation": (staff, f"/console/conversations/{conversation}/", None),
        "console: wall": (staff, "/console/wall/", None),
        "console: audit log": (staff, "/console/privacy/audit/", None),
        "console: audit log, one person and action": (staff, "/console/privacy/audit/?person=agent7&action=view", None),
        "console: audit log, a week": (staff, f"/console/privacy/audit/?start={week_ago}", None),
    }
    report = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                          "python": platform.python_version()},
              "settings": {"rows": ServiceRequest.objects.count(), "runs": args.runs},
              "pages": {name: {"url": url, **timed(client, url, args.runs, before)}
                        for name, (client, url, before) in pages.items()}}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
