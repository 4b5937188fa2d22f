"""A small HTTP/1.1 keep-alive load generator (asyncio, raw sockets), run as its own process.

    python bench/loadgen.py URL --method POST --connections 32 --seconds 10 --body-template ...

Prints one JSON object: requests, rate, status counts, latency p50/p95/p99 (ms).
``{n}`` in the body template is replaced with a unique number per request.

``--tool wrk`` sends the same load with wrk (C, Debian's `wrk` package) through a generated
Lua script: on a two-core machine the Python generator takes CPU the server would use.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import tempfile
import time
from urllib.parse import urlsplit

WRK_SCRIPT = r"""
local threads, next_id = {}, 1
function setup(thread)
  thread:set("id", next_id); next_id = next_id + 1
  table.insert(threads, thread)
end
function init(args)
  n, statuses, paths = 0, {}, {}
  for line in io.lines([==[PATHS_FILE]==]) do table.insert(paths, line) end
  for name, value in string.gmatch([==[HEADERS]==], "([^:\n]+): ([^\n]*)") do wrk.headers[name] = value end
  math.randomseed(os.time() + id)
end
function request()
  n = n + 1
  local body = nil
  local template = [==[BODY]==]
  if template ~= "" then
    local key = id .. "-" .. n .. "-" .. math.random(1, 1000000000)
    body = template:gsub("{n}", function() return key end)
  end
  return wrk.format([==[METHOD]==], paths[math.random(#paths)], nil, body)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local counts = {}
  for _, t in ipairs(threads) do
    for code, count in pairs(t:get("statuses")) do counts[code] = (counts[code] or 0) + count end
  end
  local parts = {}
  for code, count in pairs(counts) do table.insert(parts, string.format('"%d": %d', code, count)) end
  io.write(string.format('RESULT {"requests": %d, "seconds": %.2f, "status": {%s}, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, table.concat(parts, ", "), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def run_wrk(args) -> dict:
    url = urlsplit(args.url)
    with tempfile.TemporaryDirectory() as tmp:
        paths_file = args.paths_file
        if not paths_file:
            paths_file = f"{tmp}/paths.txt"
            with open(paths_file, "w") as f:
                f.write(url.path + (f"?{url.query}" if url.query else "") + "\n")
        script = (WRK_SCRIPT.replace("PATHS_FILE", paths_file).replace("HEADERS", "\n".join(args.header))
                  .replace("BODY", args.body_template).replace("METHOD", args.method))
        with open(f"{tmp}/load.lua", "w") as f:
            f.write(script)
        out = subprocess.run(["wrk", "-t", str(min(2, args.connections)), "-c", str(args.connections),
                              "-d", f"{max(1, round(args.seconds))}s", "--latency", "-s", f"{tmp}/load.lua",
                              f"{url.scheme}://{url.netloc}"], capture_output=True, text=True, check=True).stdout
    result = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
    result["rate_per_s"] = round(result["requests"] / result["seconds"], 1)
    result["connections"] = args.connections
    result["tool"] = "wrk"
    return result


async def worker(host, port, method, paths, headers, body_template, deadline, stats, counter, wid):
    reader, writer = await asyncio.open_connection(host, port)
    n = 0
    while time.perf_counter() < deadline:
        n += 1
        path = random.choice(paths)
        body = body_template.replace("{n}", f"{wid}-{n}-{random.getrandbits(40)}").encode() if body_template else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{headers}Content-Length: {len(body)}\r\n\r\n"
        start = time.perf_counter()
        writer.write(head.encode() + body)
        await writer.drain()
        status_line = await reader.readline()
        length = 0
        close = False
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            key, _, value = line.decode().partition(":")
            if key.lower() == "content-length":
                length = int(value)
            if key.lower() == "connection" and "close" in value.lower():
                close = True
        if length:
            await reader.readexactly(length)
        stats["lat"].append(time.perf_counter() - start)
        code = status_line.split(b" ")[1].decode() if status_line else "ERR"
        stats["status"][code] = stats["status"].get(code, 0) + 1
        if close:
            writer.close()
            reader, writer = await asyncio.open_connection(host, port)
    writer.close()


async def main_async(args):
    url = urlsplit(args.url)
    paths = [url.path + (f"?{url.query}" if url.query else "")]
    if args.paths_file:
        paths = [p.strip() for p in open(args.paths_file) if p.strip()]
    headers = "".join(f"{h}\r\n" for h in args.header)
    stats = {"lat": [], "status": {}}
    start = time.perf_counter()
    deadline = start + args.seconds
    await asyncio.gather(*[
        worker(url.hostname, url.port or 80, args.method, paths, headers, args.body_template, deadline, stats, None, i)
        for i in range(args.connections)])
    elapsed = time.perf_counter() - start
    lat = sorted(stats["lat"])

    def pct(p):
        return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 2) if lat else None

    return {"requests": len(lat), "seconds": round(elapsed, 2), "rate_per_s": round(len(lat) / elapsed, 1),
            "status": stats["status"], "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "connections": args.connections}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--method", default="GET")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--body-template", default="")
    p.add_argument("--paths-file")
    p.add_argument("--tool", choices=["python", "wrk"], default="python")
    args = p.parse_args()
    print(json.dumps(run_wrk(args) if args.tool == "wrk" else asyncio.run(main_async(args))))


if __name__ == "__main__":
    main()
