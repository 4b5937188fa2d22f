"""A small HTTP/1.1 keep-alive load generator (asyncio, raw sockets), run as its own process.

    python bench/loadgen.py URL --method POST --connections 32 --seconds 10 --body-template ...

Prints one JSON object: requests, rate, status counts, latency p50/p95/p99 (ms).
``{n}`` in the body template is replaced with a unique number per request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from urllib.parse import urlsplit


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
    print(json.dumps(asyncio.run(main_async(p.parse_args()))))


if __name__ == "__main__":
    main()
