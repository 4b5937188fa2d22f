"""Reliability drills on a real multi-process installation: nothing accepted is lost or doubled.

    python bench/drill.py                # every drill at full size (minutes)
    python bench/drill.py --quick        # every drill small: under five minutes
    python bench/drill.py --only app_kill,redis_away --json out.json

Starts, on this machine, what deploy/ describes: its own PostgreSQL cluster and Redis server
(so they can be stopped and restarted without touching anything else), nginx with
deploy/nginx/civicdesk.conf (ports and paths changed, nothing else) in front of three
uvicorn app processes, two task workers (`manage.py worker`), an SMTP server that counts what
it receives and a webhook receiver that counts event IDs. Then, per drill, it prints what was
sent, stored, lost and duplicated (one JSON object at the end):

  app_kill      reports through nginx (Open311 POST with an Idempotency-Key) by clients that
                retry on any failure, while one app process is killed (-9) every few seconds
                and started again: every report stored once, every confirmation email once.
  chat          conversations exchanging messages both ways over websockets through nginx,
                while app processes are killed and restarted; clients reconnect with their
                last sequence number: every message once, in order, on both sides.
  worker_kill   emails and webhooks queued by reports, while a task worker is killed (-9)
                mid-run and started again: one email per recipient, each webhook event ID
                delivered (receivers keep the first of any redelivery by ID).
  redis_away    Redis stopped for a while: the portal keeps serving and accepting reports,
                chat keeps every message and delivers it when Redis is back.
  postgres_restart  PostgreSQL restarted: requests meanwhile get a clear 503 "try again"
                (never a traceback), readiness fails, and everything recovers without
                restarting a process.
  backup_restore pg_dump and the media folder, restored into a fresh database and folder:
                a server on the restored copy serves the same case pages and photos.

Needs: nginx (Debian's), redis-server, PostgreSQL's server binaries (initdb, pg_ctl; found
under /usr/lib/postgresql/*/bin), run as root or as a user who may run them. Machine and
figures: docs/deployment.md.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import hashlib
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "civicdesk"
PY = sys.executable
SYNC_EVERY = 30.0  # seconds between a chat client's catch-up requests ("sync"), as the widget
DRILLS = ["app_kill", "chat", "worker_kill", "redis_away", "postgres_restart", "backup_restore"]
FULL = {"reports": 10_000, "conversations": 200, "messages": 10_000, "chat_seconds": 90, "worker_reports": 2000,
        "outage_s": 30, "kill_every_s": 4.0, "sample_pages": 50}
QUICK = {"reports": 1500, "conversations": 20, "messages": 400, "chat_seconds": 15, "worker_reports": 150,
         "outage_s": 8, "kill_every_s": 1.5, "sample_pages": 10}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(*args) -> None:
    print(time.strftime("%H:%M:%S"), *args, file=sys.stderr, flush=True)


def pg_bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise SystemExit(f"{name} not found: install PostgreSQL's server package")
    return found


def as_postgres(cmd: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


# --- peers that count: SMTP and webhooks ------------------------------------------------------

class Mailbox:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_rcpt: dict[str, list[str]] = {}
        self.ids: dict[str, int] = {}
        self.total = 0

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        text = envelope.content.decode("utf-8", "replace")
        mid = re.search(r"^Message-ID:\s*(\S+)", text, re.M | re.I)
        with self.lock:
            self.total += 1
            for r in envelope.rcpt_tos:
                self.by_rcpt.setdefault(r.lower(), []).append(mid.group(1) if mid else secrets.token_hex(8))
            if mid:
                self.ids[mid.group(1)] = self.ids.get(mid.group(1), 0) + 1
        return "250 OK"

    def count(self, prefix: str) -> tuple[int, int, int, int]:
        """For addresses starting with prefix: (recipients with mail, recipients who got two
        different messages, messages, recipients who got the same message twice: the same
        Message-ID, a resend after a worker died between the mail server's "accepted" and
        the commit, which mail clients show once)."""
        with self.lock:
            rows = [ids for r, ids in self.by_rcpt.items() if r.startswith(prefix)]
        return (len(rows), sum(1 for ids in rows if len(set(ids)) > 1), sum(len(ids) for ids in rows),
                sum(1 for ids in rows if len(ids) > len(set(ids))))


class Hooks:
    def __init__(self):
        self.lock = threading.Lock()
        self.ids: dict[str, int] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                event = self.headers.get("CivicDesk-Event-Id", "")
                with outer.lock:
                    outer.ids[event] = outer.ids.get(event, 0) + 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


# --- HTTP through nginx -------------------------------------------------------------------------

def fetch(method: str, port: int, path: str, body: bytes | None = None, headers: dict | None = None,
         timeout: float = 15.0) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


# --- the installation ---------------------------------------------------------------------------

class Installation:
    def __init__(self, work: Path, apps: int = 3, workers: int = 2, conversations: int = 10):
        self.work = work
        self.conversations = conversations
        self.var = work / "var"
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.pg_port, self.redis_port, self.nginx_port = free_port(), free_port(), free_port()
        self.app_ports = [free_port() for _ in range(apps)]
        self.worker_ids = [f"drill-{i + 1}" for i in range(workers)]
        self.procs: dict[str, subprocess.Popen] = {}
        self.mail = Mailbox()
        self.hooks = Hooks()
        from aiosmtpd.controller import Controller

        self.smtp_port = free_port()
        self.smtp = Controller(self.mail, hostname="127.0.0.1", port=self.smtp_port)
        self.smtp.start()
        self.database = "civicdesk"
        self.env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "civicdesk.settings", "PYTHONPATH": str(SRC.parent),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/{self.database}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0", "CIVICDESK_VAR_DIR": str(self.var),
            "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "CIVICDESK_REQUIRE_2FA": "0",
            "CIVICDESK_ASSISTANT": "0", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.smtp_port),
            "CIVICDESK_SITE_URL": f"http://127.0.0.1:{self.nginx_port}", "CIVICDESK_TRUSTED_PROXIES": "1",
            "CIVICDESK_RATE_FORMS_PER_MINUTE": "1000000", "CIVICDESK_RATE_CHAT_PER_MINUTE": "1000000",
            "CIVICDESK_PUBLIC_API_RATE_PER_MINUTE": "1000000", "CIVICDESK_RATE_SIGNIN_PER_MINUTE": "1000000",
            "PROMETHEUS_MULTIPROC_DIR": str(work / "metrics"), "CIVICDESK_TASK_ABANDONED_AFTER": "60",
            "CIVICDESK_WEBHOOK_RETRY_BASE_S": "1",
        }
        (work / "metrics").mkdir(exist_ok=True)

    # processes
    def start(self, name: str, cmd: list[str], env: dict | None = None, cwd: Path = SRC) -> None:
        out = open(self.logs / f"{name}.log", "ab")
        self.procs[name] = subprocess.Popen(cmd, cwd=cwd, env=env or self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        p = self.procs.get(name)
        if p and p.poll() is None:
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                pass
            p.wait(30)

    def manage(self, *args: str, input_text: str | None = None, env: dict | None = None) -> str:
        r = subprocess.run([PY, "-m", "civicdesk.manage", *args], cwd=SRC, env=env or self.env, input=input_text,
                           capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            raise RuntimeError(f"manage {' '.join(args)} failed:\n{r.stdout[-2000:]}\n{r.stderr[-4000:]}")
        return r.stdout

    def psql(self, sql: str, database: str | None = None) -> str:
        r = subprocess.run([pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "-d",
                            database or self.database, "-At", "-c", sql], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        return r.stdout.strip()

    # PostgreSQL and Redis of our own
    def start_postgres(self) -> None:
        data = self.work / "pgdata"
        self.work.chmod(0o755)
        data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(data, "postgres", "postgres")
        subprocess.run(as_postgres([pg_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync",
                                    "-E", "UTF8"]), check=True, capture_output=True)
        self.pg_ctl("start")
        self.psql(f"CREATE DATABASE {self.database}", database="postgres")

    def pg_ctl(self, action: str, *extra: str) -> None:
        opts = f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.work / 'pgdata'} " \
               "-c max_connections=200 -c fsync=on -c synchronous_commit=on"
        subprocess.run(as_postgres([pg_bin("pg_ctl"), "-D", str(self.work / "pgdata"), "-l",
                                    str(self.work / "pgdata" / "server.log"), "-o", opts, "-w", "-t", "60", *extra,
                                    action]), check=True, capture_output=True, timeout=120)

    def start_redis(self) -> None:
        self.start("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], cwd=self.work)
        wait_for(lambda: _connects(self.redis_port), 20, "redis")

    # the app
    def start_app(self, i: int, env: dict | None = None) -> None:
        port = self.app_ports[i]
        self.start(f"app{i}", [PY, "-m", "uvicorn", "civicdesk.asgi:application", "--host", "127.0.0.1", "--port",
                               str(port), "--no-access-log", "--ws-per-message-deflate", "false",
                               "--timeout-graceful-shutdown", "5"], env=env)

    def start_worker(self, i: int) -> None:
        self.start(f"worker{i}", [PY, "-m", "civicdesk.manage", "worker", "--worker-id", self.worker_ids[i]])

    def wait_app(self, i: int, timeout: float = 60) -> None:
        wait_for(lambda: _http_ok(self.app_ports[i], "/healthz"), timeout, f"app {i}")

    def start_nginx(self) -> None:
        site = render_site((ROOT / "deploy" / "nginx" / "civicdesk.conf").read_text(), listen=self.nginx_port,
                           upstreams=self.app_ports, static=self.var / "staticfiles", media=self.var / "media")
        conf = self.work / "nginx.conf"
        mime = "/etc/nginx/mime.types"
        conf.write_text(f"""worker_processes 1;
pid {self.work}/nginx.pid;
error_log {self.logs}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  {'include ' + mime + ';' if Path(mime).exists() else ''}
  access_log off;
  client_body_temp_path {self.work}/nginx-body;
  proxy_temp_path {self.work}/nginx-proxy;
  fastcgi_temp_path {self.work}/nginx-fastcgi;
  uwsgi_temp_path {self.work}/nginx-uwsgi;
  scgi_temp_path {self.work}/nginx-scgi;
{site}
}}
""")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise SystemExit("nginx not found: apt-get install nginx")
        self.start("nginx", [nginx, "-c", str(conf), "-p", str(self.work), "-g", "daemon off;"], cwd=self.work)
        wait_for(lambda: _http_ok(self.nginx_port, "/healthz"), 30, "nginx")

    def up(self) -> dict:
        log("PostgreSQL, Redis")
        self.start_postgres()
        self.start_redis()
        log("migrate, collectstatic")
        self.manage("migrate", "--no-input", "-v0")
        self.manage("collectstatic", "--no-input", "-v0")
        setup = SETUP.replace("@@HOOK@@", self.hooks.url).replace("@@CONVERSATIONS@@", str(self.conversations))
        world = json.loads(self.manage("shell", "-c", setup).strip().splitlines()[-1])
        log("app processes, workers, nginx")
        for i in range(len(self.app_ports)):
            self.start_app(i)
        for i in range(len(self.app_ports)):
            self.wait_app(i)
        for i in range(len(self.worker_ids)):
            self.start_worker(i)
        self.start_nginx()
        return world

    def down(self) -> None:
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM if name in ("nginx", "redis") else signal.SIGKILL)
        try:
            self.pg_ctl("stop", "-m", "fast")
        except Exception:  # noqa: BLE001 - already stopped
            pass
        self.smtp.stop()
        self.hooks.server.shutdown()

    def queue_drained(self, timeout: float = 900) -> bool:
        """Nothing waiting or running (a retry scheduled a little later counts as waiting; a
        task to run at once has django-tasks' far-future date as its run_after)."""
        def empty():
            return self.psql("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN "
                             "('READY','RUNNING') AND (run_after > '9000-01-01' OR run_after < now() + interval '5 min')") == "0"
        return wait_for(empty, timeout, "the task queue", raise_=False)

    def tasks(self) -> dict:
        rows = self.psql("SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status")
        return {k.lower(): int(v) for k, v in (line.split("|") for line in rows.splitlines() if line)}


def render_site(text: str, *, listen: int, upstreams: list[int], static: Path, media: Path) -> str:
    """deploy/nginx/civicdesk.conf with the drill's ports and paths: only the lines marked
    "drill:" change (plain HTTP on a local port instead of TLS on 443)."""
    out = []
    in_group = False
    for line in text.splitlines():
        if "# drill: redirect" in line or "# drill: tls" in line:
            continue
        if "# drill: upstreams" in line:  # each block of server lines: one per drill port, same options
            if not in_group:
                template = line.split("#")[0].rstrip()
                out.extend(re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{p}", template) for p in upstreams)
            in_group = True
            continue
        in_group = False
        if "# drill: listen" in line:
            out.append(f"    listen 127.0.0.1:{listen};")
            continue
        if "# drill: static" in line:
            out.append(f"        alias {static}/;")
            continue
        if "# drill: media" in line:
            out.append(f"        alias {media}/;")
            continue
        out.append(line)
    return "\n".join(out)


def _connects(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _http_ok(port: int, path: str) -> bool:
    try:
        return fetch("GET", port, path, timeout=2)[0] == 200
    except OSError:
        return False


def wait_for(check, timeout: float, what: str, raise_: bool = True) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except Exception:  # noqa: BLE001 - not yet
            pass
        time.sleep(0.2)
    if raise_:
        raise RuntimeError(f"{what} did not come up in {timeout} s")
    return False


SETUP = r"""
import json, secrets
from django.contrib.sessions.backends.db import SessionStore
from civicdesk.accounts.models import User
from civicdesk.catalog.models import Department, Service
from civicdesk.conversations.models import AgentPresence
from civicdesk.core.translation import save_translations
from civicdesk.integrations.models import WebhookEndpoint
from civicdesk.integrations.services import issue_key
dept = Department.objects.create(slug="streets", email="streets@example.org")
save_translations(dept, {"en": {"name": "Streets"}})
svc = Service.objects.create(department=dept, service_code="pothole", keywords="pothole")
save_translations(svc, {"en": {"name": "Pothole", "description": "A hole in the road."}})
agent = User.objects.create_user(username="drill-agent", password="drill-pass-12345", is_staff=True, role="agent",
                                 all_departments=True)
AgentPresence.objects.create(user=agent, status="offline")
s = SessionStore(); s["_auth_user_id"] = str(agent.pk)
s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
s["_auth_user_hash"] = agent.get_session_auth_hash(); s.create()
_key, raw = issue_key(name="drill", all_departments=True, rate_per_minute=10**6)
WebhookEndpoint.objects.create(name="drill", url="@@HOOK@@", events=["request.created"])
import hashlib
from civicdesk.conversations.models import Conversation
tokens = [secrets.token_urlsafe(16) for _ in range(@@CONVERSATIONS@@)]
Conversation.objects.bulk_create([Conversation(public_id="D%012X" % i, state="assigned", assigned_to=agent,
                                               department=dept, browser_key_hash=hashlib.sha256(t.encode()).hexdigest())
                                  for i, t in enumerate(tokens)])
print(json.dumps({"api_key": raw, "session": s.session_key, "department": dept.pk,
                  "conversations": [{"conversation": "D%012X" % i, "token": t} for i, t in enumerate(tokens)]}))
"""


# --- clients ------------------------------------------------------------------------------------

def submit_report(port: int, api_key: str, n: int, prefix: str, stop_at: float) -> dict:
    """One report, retried with the same Idempotency-Key until it is accepted."""
    body = urllib.parse.urlencode({"api_key": api_key, "service_code": "pothole", "lat": "41.85", "long": "-89.48",
                                   "description": f"{prefix} report {n}", "email": f"{prefix}{n}@drill.example"}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": f"{prefix}-{n}"}
    tries, statuses = 0, {}
    while time.monotonic() < stop_at:
        tries += 1
        try:
            status, _h, data = fetch("POST", port, "/open311/v2/requests.json", body, headers, timeout=20)
        except OSError as e:
            statuses[type(e).__name__] = statuses.get(type(e).__name__, 0) + 1
            time.sleep(0.2)
            continue
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if status in (200, 201):
            return {"ok": True, "tries": tries, "statuses": statuses, "id": json.loads(data)[0]["service_request_id"]}
        time.sleep(0.2 if status >= 500 or status == 409 else 1.0)
    return {"ok": False, "tries": tries, "statuses": statuses}


def send_reports(inst: Installation, api_key: str, count: int, prefix: str, concurrency: int = 12) -> dict:
    stop_at = time.monotonic() + 1800
    statuses: dict[str, int] = {}
    accepted, retried = 0, 0
    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for r in pool.map(lambda n: submit_report(inst.nginx_port, api_key, n, prefix, stop_at), range(count)):
            accepted += r["ok"]
            retried += r["tries"] > 1
            for k, v in r["statuses"].items():
                statuses[k] = statuses.get(k, 0) + v
    return {"accepted": accepted, "clients_that_retried": retried, "responses": statuses,
            "seconds": round(time.perf_counter() - t0, 1)}


def stored_reports(inst: Installation, prefix: str) -> tuple[int, int]:
    row = inst.psql(f"SELECT count(*), count(DISTINCT contact_email) FROM cases_servicerequest "
                    f"WHERE contact_email LIKE '{prefix}%'")
    total, distinct = (int(x) for x in row.split("|"))
    return total, distinct


class Killer:
    """Kills one app process (-9) every `every` seconds and starts it again."""

    def __init__(self, inst: Installation, every: float):
        self.inst, self.every, self.kills = inst, every, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.wait(self.every):
            i = random.randrange(len(self.inst.app_ports))
            self.inst.kill(f"app{i}")
            self.kills += 1
            time.sleep(0.5)
            self.inst.start_app(i)
            self.inst.wait_app(i, 60)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(120)


# --- drills -------------------------------------------------------------------------------------

def drill_app_kill(inst: Installation, world: dict, size: dict) -> dict:
    n = size["reports"]
    with Killer(inst, size["kill_every_s"]) as killer:
        sent = send_reports(inst, world["api_key"], n, "appkill")
    inst.queue_drained()
    total, distinct = stored_reports(inst, "appkill")
    with_mail, doubled, messages, resent = inst.mail.count("appkill")
    return {"sent": n, **sent, "app_kills": killer.kills, "tasks": inst.tasks(), "stored": total, "lost": n - distinct,
            "duplicated": total - distinct, "confirmation_emails": {
                "recipients": with_mail, "missing": n - with_mail, "sent_twice": doubled, "messages": messages,
                "same_message_resent": resent}}


def drill_worker_kill(inst: Installation, world: dict, size: dict) -> dict:
    n = size["worker_reports"]
    hooks_before = set(inst.hooks.ids)
    for i in range(len(inst.worker_ids)):  # the queue fills while no worker runs
        inst.kill(f"worker{i}")
    sent = send_reports(inst, world["api_key"], n, "workerkill")
    kills = 0
    for i in range(len(inst.worker_ids)):
        inst.start_worker(i)
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        time.sleep(1.5)
        busy = inst.psql("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY','RUNNING')")
        if busy == "0":
            break
        i = random.randrange(len(inst.worker_ids))
        inst.kill(f"worker{i}")  # mid-run: it holds tasks marked running
        kills += 1
        inst.start_worker(i)  # the same id: it requeues what it left running
    inst.queue_drained()
    with_mail, doubled, messages, resent = inst.mail.count("workerkill")
    events = int(inst.psql("SELECT count(*) FROM integrations_webhookdelivery d JOIN cases_servicerequest r "
                           "ON d.payload->'data'->'request'->>'public_id' = r.public_id WHERE r.contact_email LIKE 'workerkill%'") or 0)
    with inst.hooks.lock:
        new = {k: v for k, v in inst.hooks.ids.items() if k not in hooks_before}
    return {"sent": n, "accepted": sent["accepted"], "worker_kills": kills,
            "emails": {"recipients": with_mail, "missing": n - with_mail, "sent_twice": doubled, "messages": messages,
                       "same_message_resent": resent},
            "webhooks": {"events": events, "event_ids_received": len(new), "lost": max(0, events - len(new)),
                         "redelivered_same_id": sum(v - 1 for v in new.values()),
                         "duplicated_after_dedupe_by_id": 0}}


def drill_redis_away(inst: Installation, world: dict, size: dict) -> dict:
    outage = size["outage_s"]
    pages = {"ok": 0, "failed": 0}
    reports = {"accepted": 0, "failed": 0}
    ready = []
    chat = asyncio.run(_redis_chat_probe(inst, world, outage, pages, reports, ready))
    total, distinct = stored_reports(inst, "redisaway")
    return {"outage_s": outage, "pages_during": pages, "reports_during": reports, "stored": total,
            "lost": reports["accepted"] - distinct, "duplicated": total - distinct,
            "readiness_during": sorted(set(ready)), "ready_after": _http_ok(inst.app_ports[0], "/readyz"),
            "chat": chat}


async def _redis_chat_probe(inst, world, outage, pages, reports, ready):
    conv = world["conversations"][-1]
    resident = ChatClient(inst, conv, "resident", world)
    agent = ChatClient(inst, conv, "agent", world)
    await resident.connect()
    await agent.connect()
    await resident.say("before")
    inst.kill("redis", signal.SIGTERM)
    t_end = time.monotonic() + outage
    n = 0
    loop = asyncio.get_running_loop()
    while time.monotonic() < t_end:
        n += 1
        for path in ("/", "/services/", "/requests/"):
            status = (await loop.run_in_executor(None, _status, inst.nginx_port, path))
            pages["ok" if status == 200 else "failed"] += 1
        r = await loop.run_in_executor(None, submit_report, inst.nginx_port, world["api_key"], n, "redisaway",
                                       time.monotonic() + 20)
        reports["accepted" if r["ok"] else "failed"] += 1
        ready.append(await loop.run_in_executor(None, _status, inst.app_ports[0], "/readyz"))
        await resident.say(f"during {n}")
        await asyncio.sleep(0.5)
    inst.start_redis()
    await resident.say("after")
    await asyncio.sleep(3)
    ok = await _settle(agent, resident.sent_bodies, 150)  # the clients catch up every 30 s (sync)
    saw_reconnecting = resident.disconnects + agent.disconnects
    await resident.close()
    await agent.close()
    stored = int(inst.psql("SELECT count(*) FROM conversations_message m JOIN conversations_conversation c "
                           f"ON m.conversation_id = c.id WHERE c.public_id = '{conv['conversation']}' "
                           "AND m.sender = 'resident'"))
    return {"messages_sent": len(resident.sent_bodies), "stored": stored, "delivered_to_agent_once_in_order": ok,
            "agent_received": len(agent.bodies_from("resident")), "socket_drops_seen": saw_reconnecting}


def _status(port: int, path: str, timeout: float = 10) -> int:
    try:
        return fetch("GET", port, path, timeout=timeout)[0]
    except OSError:
        return 0


def drill_postgres_restart(inst: Installation, world: dict, size: dict) -> dict:
    seen: dict[str, int] = {}
    traces = 0
    stop = threading.Event()

    def probe():
        nonlocal traces
        while not stop.is_set():
            for path in ("/requests/", "/open311/v2/requests.json?status=open"):
                try:
                    status, headers, body = fetch("GET", inst.nginx_port, path, timeout=30)
                except OSError:
                    status, headers, body = 0, {}, b""
                kind = f"{status} {headers.get('content-type', '').split(';')[0]}"
                seen[kind] = seen.get(kind, 0) + 1
                if b"Traceback" in body or (status == 500):
                    traces += 1
            time.sleep(0.05)

    t = threading.Thread(target=probe, daemon=True)
    t.start()
    time.sleep(1)
    ready_during = []
    inst.pg_ctl("stop", "-m", "fast")
    for _ in range(3):  # each waits for the pool's timeout (10 s) before it answers
        ready_during.append(_status(inst.app_ports[0], "/readyz", timeout=30))
    down_page = fetch("GET", inst.nginx_port, "/requests/")[2].decode("utf-8", "replace")
    inst.pg_ctl("start")
    t0 = time.monotonic()
    # every process, asked directly (through nginx a process still failing is skipped for
    # fail_timeout, so six good answers there would not prove all three are back)
    recovered = wait_for(lambda: all(_status(port, "/requests/") == 200 and _status(port, "/readyz") == 200
                                     for port in inst.app_ports), 60, "recovery", raise_=False)
    recovery_s = round(time.monotonic() - t0, 1)
    stop.set()
    t.join(30)
    # the task workers waited out the restart too: a report filed now gets its email
    workers_alive = all(inst.procs[f"worker{i}"].poll() is None for i in range(len(inst.worker_ids)))
    after = submit_report(inst.nginx_port, world["api_key"], 0, "afterpg", time.monotonic() + 60)
    inst.queue_drained(120)
    emailed = inst.mail.count("afterpg")[0] == 1
    return {"responses_seen": seen, "workers_alive_after": workers_alive,
            "report_after_filed_and_emailed": bool(after["ok"] and emailed), "tracebacks_or_500": traces, "readiness_during": sorted(set(ready_during)),
            "try_again_page": "Try again in a minute" in down_page, "recovered": recovered,
            "recovery_s": recovery_s, "pages_and_ready_on_every_process": recovered,
            "processes_restarted": 0}


def drill_backup_restore(inst: Installation, world: dict, size: dict) -> dict:
    sample = size["sample_pages"]
    ids = json.loads(inst.manage("shell", "-c", PHOTOS.replace("@@N@@", str(sample))).strip().splitlines()[-1])
    dump = inst.work / "backup.dump"
    subprocess.run([pg_bin("pg_dump"), "-h", "127.0.0.1", "-p", str(inst.pg_port), "-U", "postgres", "-Fc", "-f",
                    str(dump), inst.database], check=True)
    media_tar = inst.work / "media.tar.gz"
    with tarfile.open(media_tar, "w:gz") as tar:
        tar.add(inst.var / "media", arcname="media")
    # restore: a fresh database and a fresh folder
    inst.psql("CREATE DATABASE restored", database="postgres")
    subprocess.run([pg_bin("pg_restore"), "-h", "127.0.0.1", "-p", str(inst.pg_port), "-U", "postgres", "-d", "restored",
                    "--no-owner", str(dump)], check=True)
    restored_var = inst.work / "restored-var"
    restored_var.mkdir()
    with tarfile.open(media_tar) as tar:
        tar.extractall(restored_var, filter="data")
    port = free_port()
    env = {**inst.env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{inst.pg_port}/restored",
           "CIVICDESK_VAR_DIR": str(restored_var), "CIVICDESK_STATIC_ROOT": str(inst.var / "staticfiles"),
           "PROMETHEUS_MULTIPROC_DIR": str(inst.work / "metrics-restored")}
    (inst.work / "metrics-restored").mkdir()
    inst.start("restored", [PY, "-m", "uvicorn", "civicdesk.asgi:application", "--host", "127.0.0.1", "--port",
                            str(port), "--no-access-log"], env=env)
    wait_for(lambda: _http_ok(port, "/healthz"), 60, "the restored server")
    same_pages, same_photos, photos = 0, 0, 0
    differences = []
    for public_id in ids:
        a = _normalise(fetch("GET", inst.app_ports[0], f"/requests/{public_id}/")[2])
        b = _normalise(fetch("GET", port, f"/requests/{public_id}/")[2])
        if a == b:
            same_pages += 1
        elif len(differences) < 3:
            differences.append(public_id)
    for name in inst.psql("SELECT image FROM cases_requestphoto WHERE image <> ''").splitlines():
        photos += 1
        original = (inst.var / "media" / name).read_bytes()
        status, _h, served = fetch("GET", port, f"/media/{name}")
        same_photos += status == 200 and hashlib.sha256(original).digest() == hashlib.sha256(served).digest()
    inst.kill("restored")
    return {"pages_compared": len(ids), "identical_pages": same_pages, "photos_compared": photos,
            "identical_photos": same_photos, "different": differences,
            "dump_mb": round(dump.stat().st_size / 1e6, 1), "media_mb": round(media_tar.stat().st_size / 1e6, 1)}


def _normalise(html: bytes) -> bytes:
    """The parts of a page that differ per response (CSRF token, nonces), taken out."""
    return re.sub(rb'(csrfmiddlewaretoken" value=|nonce=)"[^"]*"', rb"\1\"\"", html)


PHOTOS = r"""
import io, json
from PIL import Image
from civicdesk.cases import services
from civicdesk.catalog.models import Service
svc = Service.objects.get(service_code="pothole")
ids = []
for i in range(@@N@@):
    buf = io.BytesIO(); Image.new("RGB", (640, 480), ((i * 37) % 255, 90, 160)).save(buf, "JPEG")
    services.stage_photo(upload_key=f"backup-{i}", name=f"p{i}.jpg", raw=buf.getvalue())
    loc = services.clean_location(lat="41.85", long="-89.48", address="")
    r = services.submit_request(service=svc, description=f"backup drill {i}", location=loc,
                                contact=services.clean_contact(email=f"backup{i}@drill.example"),
                                upload_key=f"backup-{i}", submission_key=f"backup-{i}")
    ids.append(r.request.public_id)
print(json.dumps(ids))
"""


# --- chat ---------------------------------------------------------------------------------------

def _conversations(world: dict, start: int, count: int) -> list[dict]:
    """Conversations made at setup (assigned to the drill's agent), each with its resident token."""
    return world["conversations"][start:start + count]


class ChatClient:
    """One side of one conversation: sends with client ids, reconnects with its last
    sequence number, keeps what it received by sequence number (a repeat is counted)."""

    def __init__(self, inst: Installation, conv: dict, side: str, world: dict):
        self.inst, self.conv, self.side, self.world = inst, conv, side, world
        self.ws = None
        self.received: dict[int, dict] = {}
        self.repeats = 0
        self.order_breaks = 0
        self.last_seq = 0
        self.sent_bodies: list[str] = []
        self.disconnects = 0
        self.reader = None
        self.syncer = None
        self.errors: dict[str, int] = {}
        self.pending: list[dict] = []

    async def connect(self):
        from websockets.asyncio.client import connect

        url = f"ws://127.0.0.1:{self.inst.nginx_port}/ws/{'chat' if self.side == 'resident' else 'console'}/"
        headers = {} if self.side == "resident" else {
            "Cookie": f"sessionid={self.world['session']}", "Origin": f"http://127.0.0.1:{self.inst.nginx_port}"}
        attempts = 0
        while True:
            try:
                self.ws = await connect(url, additional_headers=headers, open_timeout=10, ping_interval=None,
                                        max_queue=None)
                hello = ({"type": "hello", "conversation": self.conv["conversation"], "token": self.conv["token"],
                          "last_seq": self.last_seq} if self.side == "resident" else
                         {"type": "join", "conversation": self.conv["conversation"], "last_seq": self.last_seq})
                await self.ws.send(json.dumps(hello))
                while True:
                    m = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
                    if m.get("type") == "welcome":
                        break
                    self._take(m)
                break
            except Exception:  # noqa: BLE001 - the process behind nginx is restarting: try again
                # as the widget does: 0.5 s, 1 s, 2 s ... up to 8 s, with jitter, so that
                # hundreds of clients dropped at once do not all knock at the same moment
                attempts += 1
                await asyncio.sleep(min(8.0, 0.5 * 2 ** (attempts - 1)) * random.uniform(0.5, 1.5))
        self.reader = asyncio.create_task(self._read())
        if self.syncer is None:
            self.syncer = asyncio.create_task(self._sync())
        for m in self.pending:  # sent while disconnected: sent again with the same client id
            await self._send(m)

    async def _sync(self):
        """What the widget does every 30 s (SYNC_EVERY):
        ask for everything after the last message received, and send again what has not come
        back yet (the same client ids: stored once)."""
        while True:
            await asyncio.sleep(SYNC_EVERY)
            payload = {"type": "sync", "last_seq": self.last_seq}
            if self.side == "agent":
                payload["conversation"] = self.conv["conversation"]
            await self._send(payload)
            for m in list(self.pending):
                await self._send(m)

    async def _read(self):
        try:
            async for raw in self.ws:
                self._take(json.loads(raw))
        except Exception:  # noqa: BLE001
            pass
        self.disconnects += 1
        await asyncio.sleep(0.2)
        await self.connect()

    def _take(self, m: dict) -> None:
        if m.get("type") == "error":
            self.errors[m.get("error", "?")[:40]] = self.errors.get(m.get("error", "?")[:40], 0) + 1
        if m.get("type") == "synced":  # as the widget: everything up to `upto` has been sent
            self.last_seq = max(self.last_seq, int(m["upto"]))
            self._advance()
            return
        if m.get("type") != "message":
            return
        seq = int(m["seq"])
        if seq in self.received:
            self.repeats += 1
            return
        if self.received and seq < max(self.received):
            self.order_breaks += 1
        self.received[seq] = m
        self._advance()
        self.pending = [p for p in self.pending if p["client_id"] != m.get("client_id")]

    def _advance(self) -> None:
        """last_seq: every message up to it has arrived (a gap is one missed while the relay
        was away: the next catch-up asks from below it)."""
        while self.last_seq + 1 in self.received:
            self.last_seq += 1

    async def _send(self, payload: dict) -> None:
        try:
            await self.ws.send(json.dumps(payload))
        except Exception:  # noqa: BLE001 - resent after the reconnect
            pass

    async def say(self, body: str) -> None:
        payload = {"type": "message", "body": body, "client_id": secrets.token_hex(8)}
        if self.side == "agent":
            payload["conversation"] = self.conv["conversation"]
        self.sent_bodies.append(body)
        self.pending.append(payload)
        await self._send(payload)

    def bodies_from(self, sender: str) -> list[str]:
        return [self.received[s]["body"] for s in sorted(self.received) if self.received[s].get("sender") == sender]

    async def close(self):
        if self.syncer:
            self.syncer.cancel()
        if self.reader:
            self.reader.cancel()
        if self.ws:
            await self.ws.close()


def _merged(counts: list[dict]) -> dict:
    out: dict[str, int] = {}
    for c in counts:
        for k, v in c.items():
            out[k] = out.get(k, 0) + v
    return out


async def _settle(receiver: ChatClient, expected: list[str], timeout: float) -> bool:
    """Every message the other side sent has arrived, once. (Their order is the server's
    sequence, the same on both sides: a message resent after a reconnect may take a later
    number than one sent after it; `_same_order` checks both sides agree.)"""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sorted(receiver.bodies_from("resident" if receiver.side == "agent" else "agent")) == sorted(expected):
            return True
        await asyncio.sleep(0.5)
    return False


def _same_order(a: ChatClient, b: ChatClient) -> bool:
    return [(s, m["body"]) for s, m in sorted(a.received.items())] == [(s, m["body"]) for s, m in
                                                                      sorted(b.received.items())]


def drill_chat(inst: Installation, world: dict, size: dict) -> dict:
    return asyncio.run(_chat(inst, world, size))


async def _chat(inst, world, size):
    convs = _conversations(world, 0, size["conversations"])
    pairs = []
    for c in convs:
        r, a = ChatClient(inst, c, "resident", world), ChatClient(inst, c, "agent", world)
        await r.connect()
        await a.connect()
        pairs.append((r, a))
    per_side = size["messages"] // (2 * len(pairs))
    killer = Killer(inst, size["kill_every_s"])
    t0 = time.perf_counter()
    with killer:
        pause = size["chat_seconds"] / max(per_side, 1)  # spread over the kills
        for k in range(per_side):
            for r, a in pairs:
                await r.say(f"r{k}")
                await a.say(f"a{k}")
            await asyncio.sleep(pause)
        await asyncio.sleep(2)
    ok_agents = await asyncio.gather(*[_settle(a, r.sent_bodies, 300) for r, a in pairs])
    ok_residents = await asyncio.gather(*[_settle(r, a.sent_bodies, 60) for r, a in pairs])
    elapsed = round(time.perf_counter() - t0, 1)
    stored = int(inst.psql("SELECT count(*) FROM conversations_message WHERE sender IN ('resident','agent')"))
    distinct = int(inst.psql("SELECT count(DISTINCT (conversation_id, client_id)) FROM conversations_message "
                             "WHERE sender IN ('resident','agent')"))
    sent = sum(len(r.sent_bodies) + len(a.sent_bodies) for r, a in pairs)
    result = {
        "conversations": len(pairs), "sent": sent, "stored": stored, "duplicated_in_store": stored - distinct,
        "conversations_complete_in_order_both_sides": sum(
            1 for x, y, (r, a) in zip(ok_agents, ok_residents, pairs, strict=True) if x and y and _same_order(r, a)),
        "lost": sum(len(r.sent_bodies) - len(a.bodies_from("resident")) + len(a.sent_bodies) - len(r.bodies_from("agent"))
                    for r, a in pairs),
        "repeats_dropped_by_sequence": sum(r.repeats + a.repeats for r, a in pairs),
        # arrived after a later one (a backlog after a reconnect): shown in sequence order, as
        # the widget and the console insert by sequence number
        "arrived_early_or_late_placed_by_sequence": sum(r.order_breaks + a.order_breaks for r, a in pairs),
        "reconnects": sum(r.disconnects + a.disconnects for r, a in pairs), "app_kills": killer.kills,
        "errors_from_server": _merged([c.errors for pair in pairs for c in pair]),
        "seconds": elapsed}
    for r, a in pairs:
        await r.close()
        await a.close()
    return result


# --- the verdict --------------------------------------------------------------------------------

def problems(report: dict) -> list[str]:
    """What broke the promise, drill by drill (an empty list: nothing lost, nothing doubled)."""
    out = []
    d = report["drills"]
    if "app_kill" in d:
        r = d["app_kill"]
        mail = r["confirmation_emails"]
        out += [f"app_kill: {k} {r[k]}" for k in ("lost", "duplicated") if r[k]]
        out += [f"app_kill: emails {k} {mail[k]}" for k in ("missing", "sent_twice") if mail[k]]
        if r["accepted"] != r["sent"]:
            out.append(f"app_kill: only {r['accepted']} of {r['sent']} accepted")
    if "chat" in d:
        r = d["chat"]
        out += [f"chat: {k} {r[k]}" for k in ("lost", "duplicated_in_store") if r[k]]
        if r["conversations_complete_in_order_both_sides"] != r["conversations"]:
            out.append(f"chat: {r['conversations'] - r['conversations_complete_in_order_both_sides']} conversations incomplete")
    if "worker_kill" in d:
        r = d["worker_kill"]
        out += [f"worker_kill: emails {k} {r['emails'][k]}" for k in ("missing", "sent_twice") if r["emails"][k]]
        if r["webhooks"]["lost"]:
            out.append(f"worker_kill: webhook events lost {r['webhooks']['lost']}")
    if "redis_away" in d:
        r = d["redis_away"]
        out += [f"redis_away: {k} {r[k]}" for k in ("lost", "duplicated") if r[k]]
        if r["pages_during"]["failed"] or r["reports_during"]["failed"]:
            out.append(f"redis_away: failures during the outage {r['pages_during']} {r['reports_during']}")
        if not r["chat"]["delivered_to_agent_once_in_order"]:
            out.append("redis_away: chat messages not all delivered after Redis came back")
        if not r["ready_after"] or r["readiness_during"] != [503]:
            out.append(f"redis_away: readiness {r['readiness_during']} then {r['ready_after']}")
    if "postgres_restart" in d:
        r = d["postgres_restart"]
        if (r["tracebacks_or_500"] or not r["recovered"] or not r["try_again_page"]
                or not r["pages_and_ready_on_every_process"] or not r["workers_alive_after"]
                or not r["report_after_filed_and_emailed"]):
            out.append(f"postgres_restart: {r}")
    if "backup_restore" in d:
        r = d["backup_restore"]
        if r["identical_pages"] != r["pages_compared"] or r["identical_photos"] != r["photos_compared"]:
            out.append(f"backup_restore: {r}")
    return out


# --- main ---------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="every drill at a small size (under five minutes)")
    parser.add_argument("--only", default="", help=f"comma-separated, of {','.join(DRILLS)}")
    parser.add_argument("--json", default="", help="also write the report to this file")
    parser.add_argument("--keep", action="store_true", help="keep the working folder (logs) afterwards")
    parser.add_argument("--strict", action="store_true", help="exit 1 if anything was lost or doubled (CI)")
    args = parser.parse_args()
    size = QUICK if args.quick else FULL
    chosen = [d for d in (args.only.split(",") if args.only else DRILLS) if d]
    unknown = set(chosen) - set(DRILLS)
    if unknown:
        raise SystemExit(f"unknown drills: {', '.join(sorted(unknown))}")
    work = Path(tempfile.mkdtemp(prefix="civicdesk-drill-"))
    inst = Installation(work, conversations=size["conversations"] + 1)
    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
              "size": "quick" if args.quick else "full", "drills": {}}
    t0 = time.perf_counter()
    try:
        world = inst.up()
        order = [d for d in DRILLS if d in chosen]
        for name in order:
            log("drill", name)
            started = time.perf_counter()
            report["drills"][name] = globals()[f"drill_{name}"](inst, world, size)
            report["drills"][name]["drill_seconds"] = round(time.perf_counter() - started, 1)
            log(name, json.dumps(report["drills"][name]))
    finally:
        inst.down()
        report["seconds"] = round(time.perf_counter() - t0, 1)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            report["work"] = str(work)
    report["problems"] = problems(report)
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    if args.strict and (report["problems"] or set(report["drills"]) != set(chosen)):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
