"""Importing the register and the boundary, and the register's own geocoding: matching typed
text, autocomplete, the nearest address to a pin, and "is this point ours?".

Matching tolerates case, punctuation, spelled-out or abbreviated street types and directions,
units, a missing or extra city and postal code, a missing street type or direction when only
one street fits, and a typo in the street name (rapidfuzz's edit-distance ratio over the
register's distinct street names, which are kept per process).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from civicdesk.core.geo import geojson_polygons, in_polygons

from .models import AddressPoint, Boundary, ImportRun
from .normalize import DIRECTIONS, STREET_TYPES, fold, parse, street_key

BATCH = 2000
MAX_REJECTS_KEPT = 500
NEAREST_M = 150  # a pin further than this from every address gets no address back
TYPO_CUTOFF = 82  # rapidfuzz ratio (0-100) for a street name with a typo


@dataclass(frozen=True)
class Candidate:
    ref: str
    label: str
    lat: float
    long: float
    postcode: str = ""


@dataclass
class Match:
    """``candidate`` when one address fits; else ``suggestions`` (did you mean…)."""

    candidate: Candidate | None = None
    corrected: bool = False  # matched, but not as typed (a typo, a missing street type)
    suggestions: list[Candidate] = field(default_factory=list)


def _candidate(p: AddressPoint) -> Candidate:
    return Candidate(ref=p.ref, label=p.label, lat=p.lat, long=p.long, postcode=p.postcode)


def city_words() -> tuple[str, ...]:
    return tuple(w for w in (settings.CIVICDESK_CITY_NAME,) if w)


# --- the register's streets, kept per process ----------------------------------------------

_streets_lock = threading.Lock()
_streets: dict = {"expires": 0.0, "keys": [], "count": 0}


def _street_keys() -> list[str]:
    now = time.monotonic()
    if _streets["expires"] <= now:
        with _streets_lock:
            if _streets["expires"] <= now:
                _streets["keys"] = list(AddressPoint.objects.order_by().values_list("street_key", flat=True)
                                        .distinct())
                _streets["count"] = AddressPoint.objects.exists()
                _streets["expires"] = now + 60
    return _streets["keys"]


def register_loaded() -> bool:
    _street_keys()
    return bool(_streets["count"])


def forget_cache() -> None:
    _streets["expires"] = 0.0
    _boundary["expires"] = 0.0


def _base(key: str) -> str:
    """A street key without its directions and type: "n elm st" -> "elm"."""
    tokens = key.split()
    abbreviations = set(STREET_TYPES.values()) | set(DIRECTIONS.values())
    core = [t for i, t in enumerate(tokens) if not (t in abbreviations and (i == 0 or i >= len(tokens) - 2))]
    return " ".join(core) or key


def _streets_like(key: str) -> tuple[list[str], bool]:
    """Register streets that the typed street may mean, and whether that needed a guess."""
    keys = _street_keys()
    if key in keys:
        return [key], False
    base = _base(key)
    same_base = [k for k in keys if _base(k) == base]
    if same_base:
        # "n elm" is North Elm St, not South Elm St: keep the streets with every typed word.
        typed = set(key.split())
        fuller = [k for k in same_base if typed <= set(k.split())]
        return fuller or same_base, True
    close = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=3)
    if not close:
        return [], True
    best = close[0][1]
    return [k for k, score, _i in close if score >= best - 0.5], True  # the closest, or a tie


def geocode(text: str) -> Match:
    """The register's address for typed text, or suggestions."""
    parsed = parse(text, city_words=city_words())
    if not parsed.street:
        return Match()
    streets, guessed = _streets_like(parsed.street)
    if not streets:
        return Match(suggestions=[_candidate(p) for p in suggest_points(text, whole_match=False)])
    if not parsed.number:
        return Match(suggestions=[_candidate(p) for p in
                                  AddressPoint.objects.filter(street_key__in=streets, unit="").order_by("number")[:5]])
    points = list(AddressPoint.objects.filter(street_key__in=streets, number=parsed.number))
    by_street: dict[str, list[AddressPoint]] = {}
    for p in points:
        by_street.setdefault(p.street_key, []).append(p)
    if len(by_street) == 1:
        [(_key, here)] = by_street.items()
        exact_unit = [p for p in here if p.unit.lower() == parsed.unit]
        chosen = (exact_unit or [p for p in here if not p.unit] or here)[0]
        return Match(candidate=_candidate(chosen), corrected=guessed or bool(parsed.unit and not exact_unit))
    if by_street:  # "100 Elm St" when there is a North and a South Elm St
        return Match(suggestions=[_candidate(ps[0]) for ps in by_street.values()][:5])
    # The street is right but the number is not in the register: the nearest numbers on it.
    nearby = AddressPoint.objects.filter(street_key__in=streets, unit="")
    try:
        wanted = int("".join(c for c in parsed.number if c.isdigit()) or 0)
    except ValueError:
        wanted = 0
    ranked = sorted(nearby[:2000], key=lambda p: abs(_num(p.number) - wanted))[:3]
    return Match(suggestions=[_candidate(p) for p in ranked])


def _num(number: str) -> int:
    digits = "".join(c for c in number if c.isdigit())
    return int(digits) if digits else 0


def by_ref(ref: str) -> Candidate | None:
    p = AddressPoint.objects.filter(ref=ref).first()
    return _candidate(p) if p else None


def suggest_points(text: str, limit: int = 8, *, whole_match: bool = True) -> list[AddressPoint]:
    """Autocomplete: addresses whose normalized form starts like the typed text. The last
    word may be unfinished ("1234 n el", "1234 elm stre")."""
    folded = fold(text).strip()
    if not folded or not folded[0].isdigit():
        return []
    tokens = [t for t in folded.replace(",", " ").replace("#", " ").split() if t]
    complete, last = tokens[:-1], tokens[-1]
    if len(tokens) == 1:
        return list(AddressPoint.objects.filter(search__startswith=f"{last}").order_by("search")[:limit]) \
            if len(last) >= 2 else []
    head = " ".join([complete[0], street_key(" ".join(complete[1:]))]).strip() if len(complete) > 1 else complete[0]
    # The unfinished word may be the start of a spelled-out type or direction: "stre" -> "st".
    options = {last} | {abbr for word, abbr in {**STREET_TYPES, **DIRECTIONS}.items() if word.startswith(last)}
    rows = AddressPoint.objects.filter(search__startswith=f"{head} ").order_by("search")[:400]
    out = []
    for p in rows:
        rest = p.search[len(head) + 1:].split()
        if rest and any(rest[0].startswith(o) for o in options) or any(w.startswith(last) for w in rest[:3]):
            out.append(p)
            if len(out) >= limit:
                break
    if not out and whole_match and len(complete) >= 2:  # a typo in the street: match it whole
        match = geocode(" ".join(tokens))
        hits = [match.candidate] if match.candidate else match.suggestions
        refs = [c.ref for c in hits]
        out = list(AddressPoint.objects.filter(ref__in=refs))
    return out


def suggest(text: str, limit: int = 8) -> list[Candidate]:
    return [_candidate(p) for p in suggest_points(text, limit)]


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def nearest(lat: float, long: float, max_m: float = NEAREST_M) -> Candidate | None:
    """The register's address nearest a pin, within ``max_m`` metres."""
    for radius in (40, max_m):
        dlat = radius / 111_320
        dlon = radius / (111_320 * max(math.cos(math.radians(lat)), 0.01))
        rows = AddressPoint.objects.filter(lat__range=(lat - dlat, lat + dlat), long__range=(long - dlon, long + dlon),
                                           unit="")[:500]
        scored = sorted(((_distance_m(lat, long, p.lat, p.long), p) for p in rows), key=lambda x: x[0])
        if scored and scored[0][0] <= radius:
            return _candidate(scored[0][1])
    return None


# --- the boundary ------------------------------------------------------------------------------

_boundary: dict = {"expires": 0.0, "rows": []}


def _boundaries() -> list[Boundary]:
    now = time.monotonic()
    if _boundary["expires"] <= now:
        _boundary["rows"] = list(Boundary.objects.all())
        _boundary["expires"] = now + 60
    return _boundary["rows"]


def inside(lat: float, long: float) -> bool | None:
    """Whether a point is in the agency's area; None when no boundary is loaded."""
    rows = _boundaries()
    if not rows:
        return None
    for b in rows:
        if not (b.min_lat <= lat <= b.max_lat and b.min_long <= long <= b.max_long):
            continue
        if in_polygons(lat, long, b.polygons):
            return True
    return False


# --- imports -------------------------------------------------------------------------------

# Column names accepted (lower-cased); the OpenAddresses layout first.
COLUMNS = {
    "number": ("number", "house_number", "housenumber", "addr:housenumber", "address_number"),
    "street": ("street", "street_name", "addr:street", "streetname"),
    "unit": ("unit", "apt", "addr:unit", "suite"),
    "postcode": ("postcode", "zip", "zipcode", "postal_code", "addr:postcode"),
    "city": ("city", "addr:city", "place"),
    "lat": ("lat", "latitude", "y"),
    "long": ("lon", "long", "lng", "longitude", "x"),
    "ref": ("id", "ref", "address_id", "hash"),
}


class ImportError_(Exception):
    """The file as a whole cannot be read (not one row's problem)."""


def _pick(row: dict, name: str) -> str:
    for key in COLUMNS[name]:
        value = row.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _rows_from_csv(data: bytes) -> Iterator[dict]:
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ImportError_(_("The file is empty."))
    fields = {f.strip().lower() for f in reader.fieldnames if f}
    missing = [n for n in ("number", "street", "lat", "long") if not fields & set(COLUMNS[n])]
    if missing:
        raise ImportError_(_("The file has no column for: %(names)s. OpenAddresses' layout (LON, LAT, NUMBER, "
                             "STREET, UNIT, CITY, POSTCODE, ID) works.") % {"names": ", ".join(missing)})
    for row in reader:
        yield {(k or "").strip().lower(): v for k, v in row.items()}


def _rows_from_geojson(data: bytes) -> Iterator[dict]:
    try:
        doc = json.loads(data)
    except ValueError as e:
        raise ImportError_(_("The file is not valid GeoJSON: %(e)s") % {"e": str(e)[:120]}) from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise ImportError_(_("A GeoJSON FeatureCollection of points is needed."))
    for f in features:
        props = {str(k).lower(): v for k, v in ((f or {}).get("properties") or {}).items()}
        geom = (f or {}).get("geometry") or {}
        if geom.get("type") == "Point" and isinstance(geom.get("coordinates"), list | tuple) \
                and len(geom["coordinates"]) >= 2:
            props["lon"], props["lat"] = geom["coordinates"][0], geom["coordinates"][1]
        if (f or {}).get("id") is not None and "id" not in props:
            props["id"] = f["id"]
        yield props


def _count(data: bytes, geojson: bool) -> int:
    if geojson:
        try:
            return len(json.loads(data).get("features") or [])
        except (ValueError, AttributeError):
            return 0
    return max(data.count(b"\n") - 1 + (0 if data.endswith(b"\n") else 1), 0)


def _clean_row(row: dict) -> tuple[AddressPoint | None, str]:
    number, street = _pick(row, "number"), _pick(row, "street")
    if not number or not any(c.isdigit() for c in number):
        return None, _("no house number")
    if not street:
        return None, _("no street")
    try:
        lat, long = float(_pick(row, "lat")), float(_pick(row, "long"))
    except ValueError:
        return None, _("latitude or longitude is not a number")
    if not (-90 <= lat <= 90 and -180 <= long <= 180) or (lat == 0 and long == 0):
        return None, _("the point is not on the map")
    if inside(lat, long) is False:
        return None, _("the point is outside the boundary")
    unit = _pick(row, "unit")[:20]
    postcode = _pick(row, "postcode")[:12]
    ref = _pick(row, "ref")[:64] or hashlib.sha1(
        f"{number}|{street}|{unit}|{postcode}".lower().encode()).hexdigest()[:20]
    key = street_key(street)
    search = " ".join(x for x in (fold(number), key, fold(unit)) if x)
    return AddressPoint(ref=ref, number=number[:16], street=street[:120], unit=unit, postcode=postcode,
                        city=_pick(row, "city")[:80], lat=lat, long=long, street_key=key[:120],
                        search=search[:160]), ""


def import_addresses(run: ImportRun, data: bytes) -> ImportRun:
    """Load address points (CSV or GeoJSON). Each bad row is rejected with its reason and
    the rest go in; a row whose register ID exists already is updated."""
    geojson = run.file_name.lower().endswith((".geojson", ".json"))
    run.state, run.total = ImportRun.State.RUNNING, _count(data, geojson)
    run.save(update_fields=["state", "total"])
    rejects, batch = [], []

    def flush():
        if batch:
            AddressPoint.objects.bulk_create(
                batch, update_conflicts=True, unique_fields=["ref"],
                update_fields=["number", "street", "unit", "postcode", "city", "lat", "long", "street_key", "search"])
            run.imported += len(batch)
            batch.clear()
        run.rejects = rejects[:MAX_REJECTS_KEPT]
        run.save(update_fields=["done", "imported", "rejected", "rejects"])

    try:
        rows = _rows_from_geojson(data) if geojson else _rows_from_csv(data)
        with transaction.atomic():
            if run.replace:
                AddressPoint.objects.all().delete()
            seen: set[str] = set()
            for n, row in enumerate(rows, start=2 if not geojson else 1):
                point, reason = _clean_row(row)
                if point is not None and point.ref in seen:
                    point, reason = None, _("the same register ID as an earlier row")
                run.done += 1
                if point is None:
                    run.rejected += 1
                    if len(rejects) < MAX_REJECTS_KEPT:
                        rejects.append({"row": n, "reason": reason,
                                        "data": ", ".join(f"{k}={v}" for k, v in row.items() if v)[:200]})
                else:
                    seen.add(point.ref)
                    batch.append(point)
                if len(batch) >= BATCH:
                    flush()
            flush()
    except ImportError_ as e:
        run.state, run.error = ImportRun.State.FAILED, str(e)[:500]
    else:
        run.state = ImportRun.State.DONE
    run.finished_at = timezone.now()
    run.save()
    forget_cache()
    return run


def import_boundary(run: ImportRun, data: bytes, name: str = "") -> ImportRun:
    """Load the agency's boundary from GeoJSON (a Polygon or MultiPolygon, bare or in a
    Feature or FeatureCollection). It replaces the boundary loaded before."""
    run.state = ImportRun.State.RUNNING
    run.save(update_fields=["state"])
    try:
        polygons = geojson_polygons(json.loads(data))
        points = [pt for poly in polygons for ring in poly for pt in ring]
        if not points or any(len(pt) < 2 or not all(isinstance(c, int | float) for c in pt[:2]) for pt in points):
            raise ImportError_(_("No polygon found: the boundary must be a GeoJSON Polygon or MultiPolygon."))
    except (ValueError, AttributeError, TypeError) as e:
        run.state, run.error = ImportRun.State.FAILED, _("The file is not valid GeoJSON: %(e)s") % {"e": str(e)[:120]}
    except ImportError_ as e:
        run.state, run.error = ImportRun.State.FAILED, str(e)
    else:
        with transaction.atomic():
            Boundary.objects.all().delete()
            Boundary.objects.create(
                name=name or settings.CIVICDESK_AGENCY_NAME, polygons=polygons,
                min_lat=min(p[1] for p in points), max_lat=max(p[1] for p in points),
                min_long=min(p[0] for p in points), max_long=max(p[0] for p in points))
        run.state, run.total, run.done, run.imported = ImportRun.State.DONE, len(polygons), len(polygons), len(polygons)
    run.finished_at = timezone.now()
    run.save()
    forget_cache()
    return run


def start_import(*, kind: str, file_name: str, data: bytes, replace: bool = False, by: str = "") -> ImportRun:
    """Keep the upload and queue its import for the worker (the upload page shows progress)."""
    from pathlib import Path

    from civicdesk.core.tasks import enqueue_on_commit

    from .tasks import run_import

    folder = Path(settings.CIVICDESK_PRIVATE_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        run = ImportRun.objects.create(kind=kind, file_name=file_name[:200], replace=replace, by=by[:150])
        path = folder / f"{run.pk}-{hashlib.sha1(file_name.encode()).hexdigest()[:8]}"
        path.write_bytes(data)
        run.path = str(path)
        run.save(update_fields=["path"])
        enqueue_on_commit(run_import, run.pk)
    return run
