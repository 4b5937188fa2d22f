"""Small geographic helpers: distances on the Earth's surface, points in GeoJSON polygons."""

import math

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box that contains the circle."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def in_ring(lat: float, long: float, ring: list) -> bool:
    """Ray casting (even-odd rule) on one ring of [long, lat] pairs."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and long < (xj - xi) * (lat - yi) / ((yj - yi) or 1e-18) + xi:
            inside = not inside
        j = i
    return inside


def in_polygons(lat: float, long: float, polygons: list) -> bool:
    """Whether the point is inside one of the polygons (each a list of rings of [long, lat]:
    the outer ring, then holes)."""
    return any(polygon and in_ring(lat, long, polygon[0])
               and not any(in_ring(lat, long, hole) for hole in polygon[1:])
               for polygon in polygons)


def geojson_polygons(doc: dict) -> list:
    """The polygons of a GeoJSON Polygon or MultiPolygon, bare or in a Feature or
    FeatureCollection (each polygon a list of rings of [long, lat])."""
    if doc.get("type") == "FeatureCollection":
        return [p for f in doc.get("features") or [] for p in geojson_polygons(f.get("geometry") or {})]
    if doc.get("type") == "Feature":
        return geojson_polygons(doc.get("geometry") or {})
    if doc.get("type") == "Polygon":
        return [doc["coordinates"]]
    if doc.get("type") == "MultiPolygon":
        return list(doc["coordinates"])
    return []


def bounds(polygons: list) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_long, max_long) of the polygons."""
    points = [pt for poly in polygons for ring in poly for pt in ring]
    if not points:
        return 0.0, 0.0, 0.0, 0.0
    return (min(p[1] for p in points), max(p[1] for p in points),
            min(p[0] for p in points), max(p[0] for p in points))
