"""Address autocomplete, geocoding and nearest-address times with a large register, on
PostgreSQL. Prints a JSON report.

    python bench/geocode_bench.py --addresses 500000 --queries 1000

A fresh database `civicdesk_geobench` gets --addresses address points (plain SQL,
generate_series): 400 streets of a grid, each with house numbers from 100 up, both sides,
normalized as the importer does. Then, in process (the product's own functions, no HTTP):
- autocomplete: what a resident has typed after a few keystrokes ("1234 n el", "877 washington bo"),
- geocode: whole addresses as residents type them: spelled-out types and directions, a unit,
  the city and postal code, a typo in the street name, and numbers not in the register,
- nearest: the nearest address to a random pin;
- schedule pages: `/schedules/?address_id=…` (an address picked from the autocomplete) and
  `/schedules/?address=…` (typed whole) through Django's test client (the view, the lookup,
  the zones in memory, the template), over zones covering the grid: trash by quadrant weekly,
  recycling every other week, sweeping monthly by half, with a holiday shift.
Each is run --queries times after a warm-up; the report gives p50, p95 and the slowest in ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/civicdesk_geobench")
NAMES = ["Main", "Oak", "River", "Elm", "Maple", "Washington", "Lincoln", "Mill", "Church", "Park", "Lake", "Grant",
         "Cedar", "Jefferson", "Prairie", "Union", "Pine", "Walnut", "Chestnut", "Spring", "Hill", "Madison",
         "Franklin", "Adams", "Jackson", "Monroe", "Willow", "Sunset", "Highland", "Forest", "Ridge", "Meadow",
         "Locust", "Harrison", "Cherry", "Poplar", "Birch", "Hickory", "Sycamore", "Dogwood"]
TYPES = [("St", "street"), ("Ave", "avenue"), ("Rd", "road"), ("Blvd", "boulevard"), ("Dr", "drive")]
DIRS = [("N", "north"), ("S", "south")]


def streets() -> list[tuple[str, str]]:
    """400 (register name, as a resident might spell it out) pairs."""
    out = []
    for name in NAMES:
        for abbr, word in TYPES:
            for d, dword in DIRS:
                out.append((f"{d} {name} {abbr}", f"{dword} {name} {word}"))
    return out


def django_setup() -> None:
    os.environ["DATABASE_URL"] = PG_URL
    os.environ["CIVICDESK_VAR_DIR"] = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ["CIVICDESK_ASSISTANT"] = "0"
    import django

    django.setup()


def fill(n: int) -> None:
    from django.db import connection

    from civicdesk.addresses.normalize import street_key

    rows = streets()
    per_street = n // len(rows)
    with connection.cursor() as cur:
        cur.execute("TRUNCATE addresses_addresspoint")
        cur.execute("CREATE TEMP TABLE bench_streets (i int, street text, key text)")
        cur.executemany("INSERT INTO bench_streets VALUES (%s, %s, %s)",
                        [(i, s, street_key(s)) for i, (s, _spelled) in enumerate(rows)])
        cur.execute("""
            INSERT INTO addresses_addresspoint (ref, number, street, unit, postcode, city, lat, long, street_key, search)
            SELECT 'B-' || s.i || '-' || k, (100 + k)::text, s.street, '', '60601', 'Riverton',
                   41.80 + (s.i %% 20) * 0.005 + k * 0.00001, -89.55 + (s.i / 20) * 0.005 + (k %% 2) * 0.0001,
                   s.key, (100 + k)::text || ' ' || s.key
            FROM bench_streets s, generate_series(0, %s - 1) AS k""", [per_street])
        cur.execute("ANALYZE addresses_addresspoint")


def zones() -> None:
    """Schedules over the grid (41.80-41.90, -89.55-89.45), replaced on every run."""
    from datetime import date, timedelta

    from django.utils import timezone

    from civicdesk.core.translation import save_translations
    from civicdesk.schedules.models import CollectionService, ScheduleChange, Zone

    CollectionService.objects.all().delete()
    ScheduleChange.objects.all().delete()

    def box(s, w, n, e):
        return [[[w, s], [e, s], [e, n], [w, n], [w, s]]]

    mid_lat, mid_long = 41.85, -89.50
    quads = [box(mid_lat, -89.56, 41.91, mid_long), box(mid_lat, mid_long, 41.91, -89.44),
             box(41.79, -89.56, mid_lat, mid_long), box(41.79, mid_long, mid_lat, -89.44)]
    made = {}
    for code in ("trash", "recycling", "sweeping"):
        made[code] = CollectionService.objects.create(code=code, kind=code)
        save_translations(made[code], {"en": {"name": code.title(), "rules": "At the curb by 6 a.m."}})
    for day, area in enumerate(quads):
        Zone.objects.create(service=made["trash"], name=f"Q{day}", polygons=[area], weekday=day)
        Zone.objects.create(service=made["recycling"], name=f"Q{day}", polygons=[area], weekday=day,
                            frequency="biweekly", anchor=date(2026, 1, 5))
    for k, area in enumerate([box(41.79, -89.56, 41.91, mid_long), box(41.79, mid_long, 41.91, -89.44)]):
        Zone.objects.create(service=made["sweeping"], name=f"H{k}", polygons=[area], weekday=2 + k,
                            frequency="monthly", nth=2)
    soon = timezone.localdate() + timedelta(days=10)
    change = ScheduleChange.objects.create(start=soon, end=soon + timedelta(days=2), shift_days=1)
    save_translations(change, {"en": {"name": "Holiday"}})


def timed(fn, items) -> dict:
    fn(items[0])  # warm-up (the street list is loaded once per process)
    times = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"n": len(times), "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 2), "max_ms": round(times[-1], 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--addresses", type=int, default=500_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--keep", action="store_true", help="reuse the database as it is")
    a = ap.parse_args()
    import psycopg
    from django.db import connection

    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    name = PG_URL.rsplit("/", 1)[1]
    if not a.keep:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name}")
            c.execute(f"CREATE DATABASE {name}")
    django_setup()
    from django.core.management import call_command

    from civicdesk.addresses import services

    t0 = time.perf_counter()
    if not a.keep:
        call_command("migrate", verbosity=0)
        fill(a.addresses)
    filled_s = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM addresses_addresspoint")
        count = cur.fetchone()[0]
    rng = random.Random(7)
    rows = streets()
    per_street = count // len(rows)

    def typed_whole() -> str:
        street, spelled = rng.choice(rows)
        number = 100 + rng.randrange(per_street + 50)  # some numbers are not in the register
        style = rng.randrange(5)
        if style == 0:
            return f"{number} {spelled}"
        if style == 1:
            return f"{number} {street} Apt {rng.randint(1, 9)}, Riverton IL 60601"
        if style == 2:  # a typo: one letter of the name doubled
            parts = street.split()
            parts[1] = parts[1][:2] + parts[1][1] + parts[1][2:]
            return f"{number} {' '.join(parts)}"
        if style == 3:  # no direction
            return f"{number} {' '.join(street.split()[1:])}"
        return f"{number} {street.lower()}"

    def typed_prefix() -> str:
        street, spelled = rng.choice(rows)
        number = 100 + rng.randrange(per_street)
        text = f"{number} {spelled if rng.random() < 0.5 else street}"
        return text[:len(str(number)) + 1 + rng.randint(3, 8)]

    prefixes = [typed_prefix() for _ in range(a.queries)]
    wholes = [typed_whole() for _ in range(a.queries)]
    pins = [(41.80 + rng.random() * 0.1, -89.55 + rng.random() * 0.1) for _ in range(a.queries)]
    matched = sum(1 for w in wholes[:200] if services.geocode(w).candidate)
    zones()
    from django.test import Client

    from civicdesk.schedules import selectors as schedules

    browser = Client()
    refs = [f"B-{rng.randrange(len(rows))}-{rng.randrange(per_street)}" for _ in range(a.queries)]

    def page(query: dict) -> None:
        response = browser.get("/schedules/", query)
        assert response.status_code == 200, response.status_code

    def by_ref(ref: str) -> None:
        found = schedules.schedule_at(schedules.find_address(ref=ref).candidate)
        assert found.services, ref  # every grid address is in some zone
    report = {
        "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": "PostgreSQL", "addresses": count, "streets": len(rows), "fill_s": round(filled_s, 1),
        "autocomplete": timed(lambda q: services.suggest(q), prefixes),
        "geocode": timed(lambda q: services.geocode(q), wholes),
        "nearest": timed(lambda p: services.nearest(*p), pins),
        "schedule_lookup_by_ref": timed(by_ref, refs),
        "schedule_page_by_ref": timed(lambda r: page({"address_id": r}), refs),
        "schedule_page_typed": timed(lambda w: page({"address": w}), wholes),
        "geocode_matched_share_of_200": round(matched / 200, 2),
        "examples": {p: [c.label for c in services.suggest(p)][:3] for p in prefixes[:3]},
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
