"""CX dashboard and public performance page at scale, on PostgreSQL. Prints a JSON report.

    python bench/cx_bench.py --requests 1000000 --responses 500000

A fresh database `civicdesk_bench` with the demo catalog, then (plain SQL, generate_series)
--requests service requests over the last 365 days across all services (80% resolved, a
resolution time of 2 hours to 20 days, SLA due 1 to 10 days after submission) and
--responses survey responses over the same year tied to departments, services and
channels, with A-11 answers, and --conversations conversations with their messages.
--reuse times the data of the previous run again (after migrating and rebuilding the rollups). Each view is then timed --runs times for random 90-day
periods and filters, cold (the figures cache cleared before each run, except the open-now
snapshot that the worker keeps like the rollups: what the first visitor of a new filter
combination waits) and warm (served from the cache); then the default
views precomputed by the worker's refresh (what every visitor gets on those views).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/civicdesk_bench")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def django_setup() -> None:
    import tempfile

    os.environ["DATABASE_URL"] = PG_URL
    os.environ["CIVICDESK_VAR_DIR"] = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
    os.environ["CIVICDESK_REQUIRE_2FA"] = "0"  # the bench signs in with a password only
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def setup(requests: int, responses: int, conversations: int) -> dict:
    import psycopg

    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS civicdesk_bench")
        conn.execute("CREATE DATABASE civicdesk_bench")
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("seed_demo", requests=0, verbosity=0)
    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute("SELECT id, department_id FROM catalog_service ORDER BY id")
        services = c.fetchall()
        svc = "ARRAY[" + ",".join(str(s) for s, _d in services) + "]"
        dep = "ARRAY[" + ",".join(str(d) for _s, d in services) + "]"
        n = len(services)
        c.execute(f"""
            INSERT INTO cases_servicerequest (public_id, service_id, department_id, description, answers,
              status, status_reason, priority, address, zipcode, address_id, media_url, client_meta,
              contact_email, contact_name, contact_phone, language, channel, access_salt,
              submitted_at, updated_at, sla_due_at, resolved_at, closed_at)
            SELECT 'B' || i, ({svc})[1 + i % {n}], ({dep})[1 + i % {n}], 'bench', '{{}}',
              CASE WHEN r < 0.8 THEN 'resolved' ELSE 'in_progress' END, '', 'normal', 'Main St', '', '', '',
              '{{}}', '', '', '', 'en', (ARRAY['web','web','phone','api','chat'])[1 + i % 5], 'x',
              sub, sub, sub + (1 + (i % 10)) * interval '1 day',
              CASE WHEN r < 0.8 THEN sub + (2 + (i::bigint * 7919) % 478) * interval '1 hour' END, NULL
            FROM (SELECT i, random() AS r,
                         now() - (random() * 365) * interval '1 day' AS sub
                  FROM generate_series(1, {requests}) AS i) AS t""")
        c.execute("SELECT id FROM surveys_survey WHERE slug = 'a11-cx'")
        survey = c.fetchone()[0]
        score = "LEAST(5, GREATEST(1, (floor(random() * 5) + 1 + (i % 3 = 0)::int)))::smallint"
        c.execute(f"""
            INSERT INTO surveys_response (survey_id, service_id, department_id, channel, language, complete,
              created_at, updated_at, satisfaction, trust, effectiveness, ease, efficiency, transparency,
              helpfulness, equity, comment)
            SELECT {survey}, ({svc})[1 + i % {n}], ({dep})[1 + i % {n}],
              (ARRAY['web','email','chat','sms'])[1 + i % 4], 'en', true, at, at,
              {score}, {score}, {score}, {score}, {score}, {score}, {score}, {score},
              CASE WHEN i % 20 = 0 THEN (ARRAY['Took too long to fix','Friendly crew, fast',
                'Nobody told me what was happening','Easy to report online'])[1 + i % 4] ELSE '' END
            FROM (SELECT i, now() - (random() * 365) * interval '1 day' AS at
                  FROM generate_series(1, {responses}) AS i) AS t""")
        # Conversations over the same year: 60% chat (the assistant answers first), 90% closed
        # 5 to 60 minutes after they start; an agent answered 60% of them 1 to 20 minutes in.
        c.execute("SELECT id FROM catalog_department ORDER BY id")
        depts = "ARRAY[" + ",".join(str(d) for (d,) in c.fetchall()) + "]"
        c.execute(f"""
            INSERT INTO conversations_conversation (public_id, channel, state, department_id, subject,
              language, contact_name, contact_email, contact_phone, browser_key_hash, email_thread_id,
              last_seq, resident_read_seq, agent_read_seq, resolution_code, assistant_state,
              created_at, updated_at, closed_at)
            SELECT 'B' || i, (ARRAY['chat','chat','chat','email','sms'])[1 + i % 5],
              CASE WHEN i % 10 = 0 THEN 'waiting' ELSE 'closed' END,
              ({depts})[1 + i % array_length({depts}, 1)], '', 'en', '', '', '', '', '', 3, 0, 0,
              CASE WHEN i % 10 = 0 THEN '' ELSE (ARRAY['answered','request_filed','referred','no_reply'])[1 + i % 4] END,
              '{{}}', at, at,
              CASE WHEN i % 10 = 0 THEN NULL ELSE at + (5 + i % 56) * interval '1 minute' END
            FROM (SELECT i, now() - (random() * 365) * interval '1 day' AS at
                  FROM generate_series(1, {conversations}) AS i) AS t""")
        for seq, sender, delay, where in [
                (1, "resident", "interval '0 seconds'", "true"),
                (2, "assistant", "2 * interval '1 second'", "channel = 'chat'"),
                (3, "agent", "(1 + id % 20) * interval '1 minute'", "id % 5 < 3")]:
            c.execute(f"""
                INSERT INTO conversations_message (conversation_id, seq, sender, author_label, body,
                  attachment, file, file_name, client_id, created_at)
                SELECT id, {seq}, '{sender}', '', 'bench', '', '', '', '', created_at + {delay}
                FROM conversations_conversation WHERE public_id LIKE 'B%' AND {where}""")
        c.execute("ANALYZE")
    return {"load_s": round(time.perf_counter() - started, 1), "services": n}


def build_rollups() -> dict:
    """Migrate (a reused database may be older than the code) and backfill a year of rollups."""
    import django.utils.timezone
    from django.core.management import call_command

    from civicdesk.surveys.rollups import rebuild

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    today = django.utils.timezone.localdate()
    rows = rebuild(today - timedelta(days=365), today)
    return {"rollup_rows": rows, "rollup_rebuild_365_days_s": round(time.perf_counter() - t, 1)}


def bench(runs: int) -> dict:
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from civicdesk.accounts.models import User
    from civicdesk.catalog.models import Department
    from civicdesk.surveys import figures

    rng = random.Random(5)
    depts = list(Department.objects.values_list("pk", flat=True))
    today = timezone.localdate()

    def filters():
        end = today - timedelta(days=rng.randint(0, 200))
        kw = {}
        if rng.random() < 0.5:
            kw["department"] = rng.choice(depts)
        if rng.random() < 0.3:
            kw["channel"] = rng.choice(["web", "chat", "email"])
        return figures.Filters(start=end - timedelta(days=89), end=end, **kw)

    views = {
        "experience": lambda f: figures.experience(f),
        "operations": lambda f: figures.operations(f),
        "departments": lambda f: figures.departments(f),
        "comments": lambda f: figures.comments(f),
    }
    report = {}
    for name, fn in views.items():
        cold, warm = [], []
        for _ in range(runs):
            f = filters()
            cache.clear()
            figures._open_now_rows(refresh=True)  # kept by the worker's refresh, like the rollups
            t = time.perf_counter()
            fn(f)
            cold.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            fn(f)
            warm.append((time.perf_counter() - t) * 1000)
        report[name] = {"cold_p50_ms": round(pct(cold, 50), 1), "cold_p95_ms": round(pct(cold, 95), 1),
                        "warm_p50_ms": round(pct(warm, 50), 2), "warm_p95_ms": round(pct(warm, 95), 2)}
    # Whole pages through Django (template rendering included).
    client = Client()
    lead = User.objects.get(username="supervisor")
    client.force_login(lead)
    for name, path in [("dashboard_page", "/console/cx/"), ("public_page", "/performance/")]:
        cold, warm = [], []
        for _ in range(max(3, runs // 2)):
            cache.clear()
            figures._open_now_rows(refresh=True)
            client.force_login(lead)
            t = time.perf_counter()
            status = client.get(path).status_code
            assert status == 200, (path, status)
            cold.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            client.get(path)
            warm.append((time.perf_counter() - t) * 1000)
        report[name] = {"cold_p50_ms": round(pct(cold, 50), 1), "cold_p95_ms": round(pct(cold, 95), 1),
                        "warm_p50_ms": round(pct(warm, 50), 2), "warm_p95_ms": round(pct(warm, 95), 2)}
    # What visitors get between two runs of the worker's refresh (refresh_figures).
    cache.clear()
    t = time.perf_counter()
    figures.refresh_defaults()
    report["refresh_defaults_s"] = round(time.perf_counter() - t, 1)
    for name, path in [("dashboard_page_precomputed", "/console/cx/"), ("public_page_precomputed", "/performance/")]:
        lat = []
        for _ in range(max(3, runs)):
            t = time.perf_counter()
            client.get(path)
            lat.append((time.perf_counter() - t) * 1000)
        report[name] = {"p50_ms": round(pct(lat, 50), 1), "p95_ms": round(pct(lat, 95), 1)}
    # The whole page for filter combinations nobody has opened (the default views stay
    # precomputed, as the worker keeps them): what the first visitor of each waits.
    lat = []
    for _ in range(max(3, runs)):
        f = filters()
        query = f"?start={f.start}&end={f.end}&department={f.department or ''}&channel={f.channel}"
        t = time.perf_counter()
        assert client.get("/console/cx/" + query).status_code == 200
        lat.append((time.perf_counter() - t) * 1000)
    report["dashboard_page_new_filter"] = {"p50_ms": round(pct(lat, 50), 1), "p95_ms": round(pct(lat, 95), 1)}
    return report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=1_000_000)
    ap.add_argument("--responses", type=int, default=500_000)
    ap.add_argument("--conversations", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--reuse", action="store_true", help="keep the data of the last run (no reload)")
    args = ap.parse_args()
    report = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "platform": platform.platform()},
              "requests": args.requests, "responses": args.responses, "conversations": args.conversations}
    if args.reuse:
        django_setup()
    else:
        report.update(setup(args.requests, args.responses, args.conversations))
    report.update(build_rollups())
    report["views"] = bench(args.runs)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
