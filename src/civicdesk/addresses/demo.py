"""The demo city's address register and boundary, generated (deterministically) and loaded
through the same import as an agency's files.

Riverton's streets are a grid around the map's centre: the first half of the street names
run east-west, the second half north-south, with house numbers rising from 100 away from
the centre lines, even on one side and odd on the other, and some apartment units. The
boundary is an irregular polygon around the grid.
"""

from __future__ import annotations

import csv
import io
import json

from django.conf import settings

from . import services
from .models import AddressPoint, ImportRun

SPAN_LAT, SPAN_LONG = 0.030, 0.042  # half the grid's height and width, in degrees
NUMBERS = range(100, 3000, 24)  # 121 numbers per side of a street


def register_rows(streets: list[str]) -> list[dict]:
    lat0, long0 = settings.CIVICDESK_MAP_CENTER
    half = len(streets) // 2
    rows = []
    for i, street in enumerate(streets):
        along_lat = i >= half  # a north-south street: numbers run along the latitude
        k = (i if not along_lat else i - half)
        offset = (k - (half - 1) / 2) / half * 2  # -1 .. 1 across the grid
        for n in NUMBERS:
            for side in (0, 1):
                number = n + side  # even on one side, odd on the other
                t = (n - 100) / (NUMBERS.stop - 100) * 2 - 1  # -1 .. 1 along the street
                side_shift = (0.00012 if side else -0.00012)
                if along_lat:
                    lat, long = lat0 + t * SPAN_LAT, long0 + offset * SPAN_LONG + side_shift
                else:
                    lat, long = lat0 + offset * SPAN_LAT + side_shift, long0 + t * SPAN_LONG
                ref = f"RVT-{i:02d}-{number:05d}"
                rows.append({"LON": f"{long:.6f}", "LAT": f"{lat:.6f}", "NUMBER": str(number), "STREET": street,
                             "UNIT": "", "CITY": "Riverton", "POSTCODE": "60601" if lat >= lat0 else "60602",
                             "ID": ref})
                if n % 240 == 100 and side:  # now and then an apartment building
                    for unit in ("1", "2", "3"):
                        rows.append({**rows[-1], "UNIT": unit, "ID": f"{ref}-{unit}"})
    return rows


def boundary_geojson() -> dict:
    lat0, long0 = settings.CIVICDESK_MAP_CENTER
    m_lat, m_long = SPAN_LAT * 1.15, SPAN_LONG * 1.15
    # Irregular, but every edge stays outside the grid (which reaches 1/1.15 of the margin).
    ring = [(-1.0, -1.0), (-0.2, -1.1), (1.0, -1.0), (1.05, -0.3), (1.0, 0.3), (1.1, 1.0), (0.1, 1.05),
            (-1.0, 1.0), (-1.05, 0.2), (-1.0, -1.0)]
    coords = [[round(long0 + x * m_long, 6), round(lat0 + y * m_lat, 6)] for x, y in ring]
    return {"type": "Feature", "properties": {"name": "City of Riverton"},
            "geometry": {"type": "Polygon", "coordinates": [coords]}}


def wards() -> int:
    """Four wards, the quadrants of the city's box (idempotent)."""
    from django.conf import settings

    from .models import Ward

    if Ward.objects.exists():
        return 0
    lat0, long0 = settings.CIVICDESK_MAP_CENTER
    s, n, w, e = lat0 - 0.05, lat0 + 0.05, long0 - 0.07, long0 + 0.07

    def box(south, west, north, east):
        return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]

    for name, area in [("Ward 1 (Northwest)", box(lat0, w, n, long0)), ("Ward 2 (Northeast)", box(lat0, long0, n, e)),
                       ("Ward 3 (Southwest)", box(s, w, lat0, long0)), ("Ward 4 (Southeast)", box(s, long0, lat0, e))]:
        Ward.objects.create(name=name, polygons=[area])
    return 4


def load(streets: list[str]) -> int:
    """Load the boundary, the wards, then the register (idempotent: skipped when addresses
    exist)."""
    wards()
    if AddressPoint.objects.exists():
        return 0
    run = ImportRun.objects.create(kind=ImportRun.Kind.BOUNDARY, file_name="riverton-boundary.geojson",
                                   by="demo seed")
    services.import_boundary(run, json.dumps(boundary_geojson()).encode())
    rows = register_rows(streets)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    run = ImportRun.objects.create(kind=ImportRun.Kind.ADDRESSES, file_name="riverton-addresses.csv",
                                   by="demo seed")
    return services.import_addresses(run, out.getvalue().encode()).imported
