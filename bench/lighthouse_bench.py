"""Lighthouse (mobile) over every resident page, in the production configuration. Prints a JSON
report and a table.

    python bench/lighthouse_bench.py                    # every page, English
    python bench/lighthouse_bench.py --pages / /requests/ --lang es
    python bench/lighthouse_bench.py --runs 3           # the median of three runs per page

A fresh SQLite database with the demo city (400 requests), static files collected with hashed,
compressed names (WhiteNoise), and one uvicorn process started as production starts it
(CIVICDESK_ENV=production, DEBUG off). Map tiles come from a tile server this script starts in
the tile provider's role (a plain 256 px PNG per tile), so the map pages load as they would
with a real one and nothing leaves the machine. Lighthouse is the npm package (package.json,
devDependencies) driving Debian's Chromium with its default mobile settings: a mid-range phone,
a slow 4G connection and a 4x slower CPU, simulated.

Targets (issue 21): accessibility 1.0, best practices 1.0, performance >= 0.95, cumulative
layout shift < 0.05, < 150 KB transferred on the first visit.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import zlib
from pathlib import Path

from first_reply_bench import wait_ready  # bench/ is on the path when a bench runs

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = 8942
PAGES = ["/", "/services/", "/services/pothole/", "/services/pothole/report/", "/requests/", "/requests/{public}/",
         "/help/", "/help/{article}/", "/search/?q=trash", "/online/", "/performance/", "/feedback/",
         "/account/signin/"]
TARGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "cls": 0.05, "kb": 150}


def _png_tile() -> bytes:
    """A 256x256 light-grey PNG, what a tile server sends for empty land."""
    raw = b"".join(b"\x00" + b"\xe6\xe6\xe6" * 256 for _ in range(256))

    def chunk(kind, data):
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    header = (256).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def tile_server() -> tuple[http.server.HTTPServer, str]:
    tile = _png_tile()

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Cache-Control", "public, max-age=86400")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"


def lighthouse(url: str, lang: str, out: Path) -> dict:
    flags = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
             f"--no-first-run --disable-sync --disable-quic --lang={lang}")
    for _attempt in range(3):  # Lighthouse now and then loses its trace (NO_NAVSTART): run it again
        done = subprocess.run(["npx", "--no-install", "lighthouse", url, "--chrome-path=/usr/bin/chromium",
                               f"--chrome-flags={flags}", "--only-categories=performance,accessibility,best-practices",
                               "--output=json", f"--output-path={out}", "--quiet", f"--locale={lang}"],
                              cwd=ROOT, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, timeout=240)
        if done.returncode == 0:
            break
    else:
        raise RuntimeError(f"lighthouse failed three times on {url}")
    report = json.loads(out.read_text())
    audits, cats = report["audits"], report["categories"]
    failing = {k: a["title"] for k, a in audits.items()
               if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"}
    return {
        "performance": cats["performance"]["score"], "accessibility": cats["accessibility"]["score"],
        "best-practices": cats["best-practices"]["score"],
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "kb": round(audits["total-byte-weight"]["numericValue"] / 1024, 1),
        "requests": len(audits["network-requests"]["details"]["items"]),
        "failing_audits": failing,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", nargs="*", default=PAGES)
    p.add_argument("--lang", default="en")
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--out", default="", help="also write the JSON report here")
    args = p.parse_args()
    var = Path(tempfile.mkdtemp(prefix="civicdesk-lighthouse-"))
    tiles, tile_url = tile_server()
    env = {**os.environ, "CIVICDESK_VAR_DIR": str(var), "CIVICDESK_ENV": "production", "DEBUG": "0",
           "SECRET_KEY": secrets.token_urlsafe(50), "CIVICDESK_SECURE_COOKIES": "0", "ALLOWED_HOSTS": "127.0.0.1",
           "CIVICDESK_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "civicdesk.settings",
           "PYTHONPATH": str(ROOT / "src"), "CIVICDESK_MAP_TILES": tile_url,
           "CIVICDESK_SITE_URL": f"http://127.0.0.1:{PORT}", "CIVICDESK_LANGUAGES": "en,es,fr,vi,zh-hans,ar"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    manage = [PY, "-m", "civicdesk.manage"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "seed_demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)
    probe = ("from civicdesk.cases.models import ServiceRequest as R; from civicdesk.knowledge.models import Article as A;"
             "print(R.objects.filter(service__service_code='pothole').exclude(status='closed').first().public_id);"
             "print(A.objects.filter(status='published').order_by('pk').first().slug)")
    public, article = subprocess.run([*manage, "shell", "-c", probe], env=env, cwd=ROOT, check=True,
                                     capture_output=True, text=True).stdout.split()[-2:]
    base = f"http://127.0.0.1:{PORT}"
    server = subprocess.Popen([str(Path(PY).parent / "uvicorn"), "civicdesk.asgi:application", "--port", str(PORT),
                               "--host", "127.0.0.1", "--no-access-log"], env=env, cwd=ROOT / "src")
    report = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
              "command": " ".join(sys.argv), "lang": args.lang, "targets": TARGETS, "pages": {}}
    try:
        wait_ready(base, server)
        for path in args.pages:
            path = path.format(public=public, article=article)
            runs = []
            for i in range(args.runs):
                runs.append(lighthouse(base + path, args.lang, var / f"lh-{len(report['pages'])}-{i}.json"))
            numbers = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "failing_audits"}
            numbers["failing_audits"] = runs[-1]["failing_audits"]
            numbers["meets_targets"] = (numbers["performance"] >= TARGETS["performance"]
                                        and numbers["accessibility"] >= TARGETS["accessibility"]
                                        and numbers["best-practices"] >= TARGETS["best-practices"]
                                        and numbers["cls"] < TARGETS["cls"] and numbers["kb"] < TARGETS["kb"])
            report["pages"][path] = numbers
            print(f"{path:32} perf {numbers['performance']:.2f} a11y {numbers['accessibility']:.2f} "
                  f"bp {numbers['best-practices']:.2f} cls {numbers['cls']:.3f} {numbers['kb']:6.1f} KB "
                  f"fcp {numbers['fcp_ms']} lcp {numbers['lcp_ms']} tbt {numbers['tbt_ms']} "
                  f"{'ok' if numbers['meets_targets'] else 'MISSES'} {list(numbers['failing_audits'])}",
                  file=sys.stderr, flush=True)
    finally:
        server.terminate()
        server.wait(10)
        tiles.shutdown()
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
