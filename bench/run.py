"""Intake and case-page benchmarks, on SQLite and on PostgreSQL. Prints a JSON report.

    make bench                       # both databases (PostgreSQL if reachable)
    python bench/run.py --db sqlite --seconds 10 --rows 1000000

For each database: a fresh database, the demo catalog, uvicorn in the production
configuration (CIVICDESK_ENV=production, 2 workers, no access log), and load from a
separate process (bench/loadgen.py, or wrk with --loadgen wrk) over loopback:
  * submit: POST of the portal request form (CSRF, idempotency key, validation, insert,
    timeline event, redirect), each with a new submission key;
  * bare:   a csrf-exempt view inserting one row, the ceiling of the web stack;
  * Open311: POST requests.json with an API key, then GET requests.json (the default
    90-day window, 1,000 requests per response) with --open311-rows stored;
  * case page: GET /requests/<id>/ for random IDs, with --rows requests stored, once with
    one connection (latency of a lone visitor) and once with 8 (the server saturated).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = 8911
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/civicdesk_bench")


def run(cmd, env, **kw):
    return subprocess.run(cmd, env=env, check=True, cwd=ROOT, **kw)


TOOL = ["--tool", "python"]  # main() sets it from --loadgen


def loadgen(url, env, *args):
    out = subprocess.run([PY, "bench/loadgen.py", url, *TOOL, *args], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def fill_requests(env, rows):
    """Store ``rows`` service requests with one SQL statement (faster than the ORM)."""
    code = f"""
import django; django.setup()
from django.db import connection
from civicdesk.catalog.models import Service
s = Service.objects.get(service_code='pothole')
with connection.cursor() as c:
    c.execute("SELECT COALESCE(MAX(id), 0) FROM cases_servicerequest")
    base = c.fetchone()[0]
    cols = ("public_id, service_id, department_id, description, answers, status, status_reason, priority, "
            "address, zipcode, contact_email, contact_name, contact_phone, language, channel, access_salt, "
            "submitted_at, updated_at, address_id, media_url, client_meta")
    vals = "'B-' || CAST({{base}} + i AS TEXT)"
    now = "CURRENT_TIMESTAMP"
    if connection.vendor == 'sqlite':
        src = "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {rows}) SELECT i FROM seq"
    else:
        src = "SELECT i FROM generate_series(1, {rows}) AS i"
    sql = (f"INSERT INTO cases_servicerequest ({{cols}}) SELECT {{vals}}, %s, %s, 'bench', '{{{{}}}}', 'submitted', '', "
           f"'normal', 'Main St', '', '', '', '', 'en', 'web', 'x', {{now}}, {{now}}, '', '', '{{{{}}}}' FROM ({{src}}) AS t")
    c.execute(sql.replace('{{base}}', str(base)), [s.pk, s.department_id])
    c.execute("ANALYZE")  # what autovacuum would do after a bulk load: fresh planner statistics
print("ok")
"""
    run([PY, "-c", code], env, capture_output=True)


def count_requests(env) -> int:
    code = "import django; django.setup(); from civicdesk.cases.models import ServiceRequest as R; print(R.objects.count())"
    return int(run([PY, "-c", code], env, capture_output=True, text=True).stdout)


def bench_db(name, database_url, args):
    var = Path(tempfile.mkdtemp(prefix=f"civicdesk-bench-{name}-"))
    env = {**os.environ, "DATABASE_URL": database_url, "CIVICDESK_VAR_DIR": str(var), "CIVICDESK_BENCH": "1",
           "CIVICDESK_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "0",
           "CIVICDESK_SECURE_COOKIES": "0", "ALLOWED_HOSTS": "127.0.0.1", "CIVICDESK_LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "civicdesk.settings", "PYTHONPATH": str(ROOT / "src"),
           # one load generator on one address: the per-client limits would measure themselves
           "CIVICDESK_RATE_FORMS_PER_MINUTE": "100000000", "CIVICDESK_PUBLIC_API_RATE_PER_MINUTE": "100000000"}
    if name == "postgresql":
        admin = database_url.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS civicdesk_bench")
            conn.execute("CREATE DATABASE civicdesk_bench")
    run([PY, "-m", "civicdesk.manage", "migrate", "-v0"], env)
    run([PY, "-m", "civicdesk.manage", "seed_demo", "--requests", "0"], env, capture_output=True)
    run([PY, "-m", "civicdesk.manage", "collectstatic", "--no-input", "-v0"], env)
    if args.server == "asgi":
        cmd = [PY, "-m", "uvicorn", "civicdesk.asgi:application", "--host", "127.0.0.1", "--port", str(PORT),
               "--workers", str(args.workers), "--no-access-log", "--log-level", "warning",
               "--ws-per-message-deflate", "false"]
    else:
        cmd = [PY, "-m", "gunicorn", "civicdesk.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
               "--workers", str(args.workers), "--log-level", "warning"]
    server = subprocess.Popen(cmd, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(base + "/services/pothole/report/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        body = (f"csrfmiddlewaretoken={token}&submission_key=bench{{n}}xxxxxxxxxxxxxxxx&description=Deep+hole"
                "&q_size=large&q_hazard=no&address=100+Main+St&lat=&long=&email=")
        form_headers = ["--header", "Content-Type: application/x-www-form-urlencoded", "--header", f"Cookie: {cookie}"]
        common = ["--connections", str(args.connections), "--seconds", str(args.seconds)]
        loadgen(base + "/bench/insert", env, "--method", "POST", *common, "--seconds", "2")  # warm-up
        bare = loadgen(base + "/bench/insert", env, "--method", "POST", *common)
        submit = loadgen(base + "/services/pothole/report/", env, "--method", "POST", *common, *form_headers,
                         "--body-template", body)
        open311 = {}
        if not args.skip_open311:
            out = run([PY, "-m", "civicdesk.manage", "issue_api_key", "Bench", "--open311-only", "--rate", "100000000"],
                      env, capture_output=True, text=True).stdout
            api_key = out.strip().splitlines()[1]
            o_body = (f"api_key={api_key}&service_code=pothole&address_string=100+Main+St&description=Deep+hole"
                      "&attribute%5Bsize%5D=large&attribute%5Bhazard%5D=no")
            open311["post"] = loadgen(base + "/open311/v2/requests.json", env, "--method", "POST", *common,
                                      "--header", "Content-Type: application/x-www-form-urlencoded",
                                      "--body-template", o_body)
            have = count_requests(env)
            fill_requests(env, max(0, args.open311_rows - have))
            open311["get_requests_json"] = {**loadgen(base + "/open311/v2/requests.json", env, "--connections", "8",
                                                      "--seconds", str(args.seconds)),
                                            "requests_stored": count_requests(env),
                                            "rows_per_response": 1000}
        fill_requests(env, max(0, args.rows - count_requests(env)))
        ids_file = var / "ids.txt"
        code = ("import django, random; django.setup(); from civicdesk.cases.models import ServiceRequest as R; "
                "ids = list(R.objects.filter(pk__in=random.sample(range(1, R.objects.count()), 2000))"
                ".values_list('public_id', flat=True)); print('\\n'.join('/requests/%s/' % i for i in ids))")
        ids_file.write_text(run([PY, "-c", code], env, capture_output=True, text=True).stdout)
        stored = count_requests(env)
        loadgen(base + "/", env, "--paths-file", str(ids_file), "--connections", "8", "--seconds", "2")
        case = {}
        for conns in args.case_connections:
            case[f"{conns}_connections"] = loadgen(base + "/", env, "--paths-file", str(ids_file), "--connections",
                                                   str(conns), "--seconds", str(args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(var, ignore_errors=True)
    return {"submit": submit, "bare_insert": bare,
            "submit_vs_bare": round(submit["rate_per_s"] / bare["rate_per_s"], 2) if bare["rate_per_s"] else None,
            "case_page": {**case, "requests_stored": stored}, "open311": open311}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--server", choices=["asgi", "wsgi"], default="asgi",
                   help="asgi: uvicorn (what make demo runs); wsgi: gunicorn sync workers for plain HTTP")
    p.add_argument("--loadgen", choices=["python", "wrk"], default="python",
                   help="wrk (Debian's package) takes less of the machine's CPU than the Python generator")
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--open311-rows", type=int, default=100_000, help="requests stored for the Open311 GET run")
    p.add_argument("--skip-open311", action="store_true")
    p.add_argument("--case-connections", type=lambda v: [int(x) for x in v.split(",")], default=[1, 8],
                   help="concurrent connections for the case-page runs (latency unloaded and saturated)")
    args = p.parse_args()
    TOOL[1] = args.loadgen
    report = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
              "settings": vars(args), "results": {}}
    if args.db in ("sqlite", "both"):
        report["results"]["sqlite"] = bench_db("sqlite", "", args)
    if args.db in ("postgresql", "both"):
        report["results"]["postgresql"] = bench_db("postgresql", PG_URL, args)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
