"""Chat benchmark: open connections per process, memory per connection, delivery latency
and throughput, for CivicDesk (in-memory layer, one process; Redis layer, resident and
agent on two processes) beside three relays that store nothing, all in one run: a bare
`websockets` relay (bench/bare_relay.py), a raw ASGI relay under uvicorn
(bench/asgi_relay.py), and the same Channels stack as CivicDesk's chat with a consumer that
only relays (bench/channels_relay.py). Prints JSON.

    python bench/ws_bench.py                      # defaults below
    python bench/ws_bench.py --connections 2000 --seconds 5

Runs on PostgreSQL (BENCH_PG_URL, a database it drops and creates) and Redis (BENCH_REDIS_URL).
  idle:       --connections resident sockets, each on its own conversation, opened and
              greeted ("hello") against one server process; server RSS before and after;
              then closed, and the run waits until the server has handled the disconnects.
  latency:    --pairs resident/agent pairs; residents send --rate messages per second in
              all, for --seconds; latency = agent receive time - resident send time.
  throughput: the same pairs, each sending its next message as soon as the last arrived.
  --setups picks which servers to run (bare, asgi, channels, memory, redis); slowest_at_s_ms lists the slowest
  deliveries with when they arrived (seconds into the run), to tell one pause from a slow tail.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/civicdesk_wsbench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def rss_kb(pid: int) -> int:
    total = 0
    for p in [pid] + [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


SETUP = """
import django, hashlib, secrets, json, sys; django.setup()
from django.contrib.sessions.backends.db import SessionStore
from civicdesk.accounts.models import User
from civicdesk.conversations.models import Conversation, AgentPresence
n = int(sys.argv[1])
agent = User.objects.create(username="bench-agent", is_staff=True, role="agent", all_departments=True)
AgentPresence.objects.create(user=agent, status="offline")
tokens = [secrets.token_urlsafe(16) for _ in range(n)]
convs = [Conversation(public_id="C%012X" % i, state="assigned", assigned_to=agent,
                      browser_key_hash=hashlib.sha256(t.encode()).hexdigest()) for i, t in enumerate(tokens)]
Conversation.objects.bulk_create(convs, batch_size=2000)
s = SessionStore(); s["_auth_user_id"] = str(agent.pk)
s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
s["_auth_user_hash"] = agent.get_session_auth_hash(); s.create()
print(json.dumps({"session": s.session_key, "conversations": [["C%012X" % i, t] for i, t in enumerate(tokens)]}))
"""


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p))], 2)


class Target:
    """How to talk to one server setup (CivicDesk or the bare relay)."""

    def __init__(self, resident_url, agent_url, cookie=None, origin=None):
        self.resident_url, self.agent_url, self.cookie, self.origin = resident_url, agent_url, cookie, origin

    async def resident(self, conv, token):
        from websockets.asyncio.client import connect

        ws = await connect(self.resident_url, max_queue=None, ping_interval=None, open_timeout=120)
        await ws.send(json.dumps({"type": "hello", "conversation": conv, "token": token, "last_seq": 10**9}))
        while json.loads(await ws.recv())["type"] != "welcome":
            pass
        return ws

    async def agent(self, conv):
        from websockets.asyncio.client import connect

        headers = {"Cookie": self.cookie, "Origin": self.origin} if self.cookie else {}
        ws = await connect(self.agent_url, additional_headers=headers, max_queue=None, ping_interval=None,
                           open_timeout=120)
        await ws.send(json.dumps({"type": "join", "conversation": conv, "last_seq": 10**9}))
        while json.loads(await ws.recv())["type"] != "welcome":
            pass
        return ws


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def settle(pid: int, limit: float = 120) -> float:
    """Wait until the server has finished the disconnects (under 10% of a core for a second),
    so the latency run measures messages, not the teardown of the idle sockets."""
    t0 = time.perf_counter()
    last = cpu_seconds(pid)
    while time.perf_counter() - t0 < limit:
        await asyncio.sleep(1)
        now = cpu_seconds(pid)
        if now - last < 0.1:
            break
        last = now
    return round(time.perf_counter() - t0, 1)


async def idle_run(target, convs, pid):
    before = rss_kb(pid)
    t0 = time.perf_counter()
    sockets, failed = [], 0
    sem = asyncio.Semaphore(200)

    async def one(conv, token):
        nonlocal failed
        async with sem:
            try:
                sockets.append(await target.resident(conv, token))
            except Exception:  # noqa: BLE001 - counted, reported
                failed += 1

    await asyncio.gather(*(one(c, t) for c, t in convs))
    connect_s = time.perf_counter() - t0
    await asyncio.sleep(2)
    after = rss_kb(pid)
    for ws in sockets:
        await ws.close()
    settle_s = await settle(pid)
    return {"settle_seconds": settle_s, "connections_open": len(sockets), "failed": failed, "connect_seconds": round(connect_s, 1),
            "server_rss_mb_before": round(before / 1024, 1), "server_rss_mb_after": round(after / 1024, 1),
            "kb_per_connection": round((after - before) / max(1, len(sockets)), 1)}


async def pairs_run(target, convs, *, rate, seconds, closed_loop):
    pairs = []
    for conv, token in convs:
        pairs.append((await target.resident(conv, token), await target.agent(conv), conv))
    latencies, delivered = [], 0
    start_at = time.perf_counter()
    stop = start_at + seconds
    arrivals = []  # (seconds since the start, latency ms): where the slowest ones fall

    async def reader(agent_ws, arrived):
        nonlocal delivered
        try:
            async for raw in agent_ws:
                m = json.loads(raw)
                if m.get("type") == "message" and m.get("sender") == "resident":
                    now = time.perf_counter()
                    latencies.append((now - float(m["body"])) * 1000)
                    arrivals.append((round(now - start_at, 2), round(latencies[-1], 1)))
                    delivered += 1
                    arrived.set()
        except Exception:  # noqa: BLE001 - socket closed at the end
            pass

    async def writer(res_ws, arrived, interval):
        n = 0
        while time.perf_counter() < stop:
            arrived.clear()
            n += 1
            await res_ws.send(json.dumps({"type": "message", "body": repr(time.perf_counter()),
                                          "client_id": secrets.token_hex(6)}))
            if closed_loop:
                try:
                    await asyncio.wait_for(arrived.wait(), 5)
                except TimeoutError:
                    pass
            else:
                await asyncio.sleep(interval)

    interval = len(pairs) / rate
    tasks = []
    for res_ws, agent_ws, _conv in pairs:
        arrived = asyncio.Event()
        tasks.append(asyncio.create_task(reader(agent_ws, arrived)))
        tasks.append(asyncio.create_task(writer(res_ws, arrived, interval)))
        await asyncio.sleep(interval / len(pairs))  # spread the writers evenly
    t0 = time.perf_counter()
    await asyncio.sleep(max(0, stop - time.perf_counter()) + 1)
    elapsed = time.perf_counter() - t0
    for res_ws, agent_ws, _c in pairs:
        await res_ws.close()
        await agent_ws.close()
    for t in tasks:
        t.cancel()
    return {"delivered": delivered, "delivered_per_s": round(delivered / max(elapsed, 1e-9), 1),
            "p50_ms": percentile(latencies, 0.5), "p99_ms": percentile(latencies, 0.99),
            "mean_ms": round(statistics.fmean(latencies), 2) if latencies else None,
            "slowest_at_s_ms": sorted(arrivals, key=lambda a: -a[1])[:12]}


def measure(target, pid, idle, latency, throughput, args) -> dict:
    """The three runs against one server setup: idle sockets, latency at a rate, closed loop."""
    return {
        "idle": asyncio.run(idle_run(target, idle, pid)),
        "latency": asyncio.run(pairs_run(target, latency, rate=args.rate, seconds=args.seconds, closed_loop=False)),
        "throughput": asyncio.run(pairs_run(target, throughput, rate=args.rate, seconds=args.seconds, closed_loop=True)),
    }


def start(cmd, env):
    return subprocess.Popen(cmd, env=env, cwd=ROOT, preexec_fn=raise_fd_limit)


def wait_http(url):
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)


def uvicorn_cmd(port):
    return [PY, "-m", "uvicorn", "civicdesk.asgi:application", "--host", "127.0.0.1", "--port", str(port),
            "--no-access-log", "--log-level", "warning", "--backlog", "8192", "--ws-ping-interval", "0",
            "--ws-per-message-deflate", "false"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--connections", type=int, default=10_000)
    p.add_argument("--pairs", type=int, default=100)
    p.add_argument("--rate", type=float, default=200)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--setups", default="bare,asgi,channels,memory,redis",
                   help="which of bare, asgi, channels, memory, redis to run (comma-separated)")
    args = p.parse_args()
    raise_fd_limit()
    var = Path(tempfile.mkdtemp(prefix="civicdesk-wsbench-"))
    env = {**os.environ, "DATABASE_URL": PG_URL, "CIVICDESK_VAR_DIR": str(var), "CIVICDESK_ENV": "production",
           "SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "0", "CIVICDESK_SECURE_COOKIES": "0",
           "ALLOWED_HOSTS": "127.0.0.1", "CIVICDESK_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "civicdesk.settings",
           "PYTHONPATH": str(ROOT / "src"), "CIVICDESK_REQUIRE_2FA": "0"}
    # The product's database pool (2 per process) unless CIVICDESK_DB_POOL_SIZE says otherwise.
    env.pop("REDIS_URL", None)
    import psycopg

    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS civicdesk_wsbench")
        conn.execute("CREATE DATABASE civicdesk_wsbench")
    subprocess.run([PY, "-m", "civicdesk.manage", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([PY, "-m", "civicdesk.manage", "collectstatic", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)
    setup = json.loads(subprocess.run([PY, "-c", SETUP, str(args.connections + args.pairs * 3)], env=env, cwd=ROOT,
                                      check=True, capture_output=True, text=True).stdout)
    convs = [tuple(c) for c in setup["conversations"]]
    idle_convs = convs[: args.connections]
    lat_convs = convs[args.connections: args.connections + args.pairs]
    thr_convs = convs[args.connections + args.pairs: args.connections + 2 * args.pairs]
    report = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
              "settings": vars(args), "results": {}}
    procs = []
    try:
        setups = set(args.setups.split(","))
        cookie = f"sessionid={setup['session']}"
        # The ceilings: relays that store nothing (same wire format, no sign-in).
        relays = [("bare", "bare_relay", 8931, [PY, "bench/bare_relay.py", "8931"]),
                  ("asgi", "asgi_relay", 8936,  # uvicorn with a raw ASGI relay: no Django, no Channels
                   [PY, "-m", "uvicorn", "--app-dir", "bench", "asgi_relay:application", *uvicorn_cmd(8936)[4:]]),
                  ("channels", "channels_relay", 8935,  # CivicDesk's chat stack, relaying and nothing else
                   [PY, "-m", "uvicorn", "--app-dir", "bench", "channels_relay:application", *uvicorn_cmd(8935)[4:]])]
        for setup_name, name, port, cmd in relays:
            if setup_name not in setups:
                continue
            proc = start(cmd, env)
            procs.append(proc)
            time.sleep(2)
            relay = Target(f"ws://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/")
            report["results"][name] = measure(relay, proc.pid, idle_convs, lat_convs, thr_convs, args)
            proc.terminate()
            proc.wait(10)
        if "memory" in setups:  # CivicDesk, one process, in-memory channel layer
            proc = start(uvicorn_cmd(8932), env)
            procs.append(proc)
            wait_http("http://127.0.0.1:8932/healthz")
            one = Target("ws://127.0.0.1:8932/ws/chat/", "ws://127.0.0.1:8932/ws/console/", cookie,
                         "http://127.0.0.1:8932")
            report["results"]["civicdesk_in_memory_1_process"] = measure(one, proc.pid, idle_convs, lat_convs,
                                                                         thr_convs, args)
            proc.terminate()
            proc.wait(10)
        if "redis" in setups:  # CivicDesk, two processes, Redis pub/sub layer: residents on A, agents on B
            renv = {**env, "REDIS_URL": REDIS_URL}
            a, b = start(uvicorn_cmd(8933), renv), start(uvicorn_cmd(8934), renv)
            procs += [a, b]
            wait_http("http://127.0.0.1:8933/healthz")
            wait_http("http://127.0.0.1:8934/healthz")
            two = Target("ws://127.0.0.1:8933/ws/chat/", "ws://127.0.0.1:8934/ws/console/", cookie,
                         "http://127.0.0.1:8934")
            report["results"]["civicdesk_redis_2_processes"] = measure(
                two, a.pid, idle_convs, convs[args.connections + 2 * args.pairs:], lat_convs, args)
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(var, ignore_errors=True)
    bare_thr = report["results"].get("bare_relay", {}).get("throughput", {}).get("delivered_per_s")
    channels_thr = report["results"].get("channels_relay", {}).get("throughput", {}).get("delivered_per_s")
    for name in ("asgi_relay", "channels_relay", "civicdesk_in_memory_1_process", "civicdesk_redis_2_processes"):
        r = report["results"].get(name)
        if r and bare_thr:
            r["throughput_vs_bare"] = round(r["throughput"]["delivered_per_s"] / bare_thr, 2)
        if r and channels_thr and name.startswith("civicdesk"):
            r["throughput_vs_channels_relay"] = round(r["throughput"]["delivered_per_s"] / channels_thr, 2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
