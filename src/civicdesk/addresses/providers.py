"""Geocoding behind one interface, used everywhere a location enters (the portal form, the
assistant, Open311, the REST API, duplicate detection).

- ``RegisterGeocoder``: the agency's own address register (services.py). The default.
- ``NominatimGeocoder``: a Nominatim-compatible HTTP API (``/search`` and ``/reverse`` with
  ``format=jsonv2``; Pelias and most self-hosted geocoders offer the same), for an agency
  without a register. ``CIVICDESK_GEOCODER_URL`` is its base address.
- ``NullGeocoder``: nothing is matched; a typed address is kept as typed, without a point.

``available`` says whether the provider can place an address at all: when it can and a typed
address does not match, the resident is asked to correct it or to put a pin on the map.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from . import services
from .services import Candidate, Match


class Geocoder:
    available = False

    def geocode(self, text: str) -> Match:
        return Match()

    def suggest(self, text: str, limit: int = 8) -> list[Candidate]:
        return []

    def reverse(self, lat: float, long: float) -> Candidate | None:
        return None

    def by_ref(self, ref: str) -> Candidate | None:
        return None


class NullGeocoder(Geocoder):
    pass


class RegisterGeocoder(Geocoder):
    @property
    def available(self) -> bool:  # type: ignore[override]
        return services.register_loaded()

    def geocode(self, text: str) -> Match:
        return services.geocode(text)

    def suggest(self, text: str, limit: int = 8) -> list[Candidate]:
        return services.suggest(text, limit)

    def reverse(self, lat: float, long: float) -> Candidate | None:
        return services.nearest(lat, long)

    def by_ref(self, ref: str) -> Candidate | None:
        return services.by_ref(ref)


class GeocoderUnavailable(Exception):
    pass


class NominatimGeocoder(Geocoder):
    available = True
    timeout = 5

    def _get(self, path: str, params: dict) -> list | dict:
        base = settings.CIVICDESK_GEOCODER_URL.rstrip("/")
        url = f"{base}/{path}?{urllib.parse.urlencode({**params, 'format': 'jsonv2'})}"
        request = urllib.request.Request(url, headers={"User-Agent": "CivicDesk geocoder",
                                                       "Accept-Language": "en"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                return json.loads(resp.read() or b"[]")
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as e:
            raise GeocoderUnavailable(str(e)) from e

    @staticmethod
    def _candidate(row: dict) -> Candidate | None:
        try:
            lat, long = float(row["lat"]), float(row["lon"])
        except (KeyError, TypeError, ValueError):
            return None
        address = row.get("address") or {}
        label = " ".join(x for x in (address.get("house_number", ""), address.get("road", "")) if x) \
            or str(row.get("display_name", ""))[:120]
        return Candidate(ref=f"{row.get('osm_type', '')}{row.get('osm_id', row.get('place_id', ''))}"[:64],
                         label=label, lat=lat, long=long, postcode=str(address.get("postcode", ""))[:12])

    def _search(self, text: str, limit: int) -> list[Candidate]:
        params = {"q": f"{text}, {settings.CIVICDESK_CITY_NAME}" if settings.CIVICDESK_CITY_NAME else text,
                  "limit": limit, "addressdetails": 1}
        try:
            rows = self._get("search", params)
        except GeocoderUnavailable:
            return []
        return [c for c in (self._candidate(r) for r in rows if isinstance(r, dict)) if c]

    def geocode(self, text: str) -> Match:
        found = [c for c in self._search(text, 5) if services.inside(c.lat, c.long) is not False]
        if len(found) == 1 or (found and found[0].label.split()[:1] == text.split()[:1]):
            return Match(candidate=found[0])
        return Match(suggestions=found)

    def suggest(self, text: str, limit: int = 8) -> list[Candidate]:
        return self._search(text, limit) if len(text.strip()) >= 4 else []

    def reverse(self, lat: float, long: float) -> Candidate | None:
        try:
            row = self._get("reverse", {"lat": lat, "lon": long, "addressdetails": 1})
        except GeocoderUnavailable:
            return None
        return self._candidate(row) if isinstance(row, dict) and "lat" in row else None


def geocoder() -> Geocoder:
    kind = settings.CIVICDESK_GEOCODER
    if kind == "nominatim" and settings.CIVICDESK_GEOCODER_URL:
        return NominatimGeocoder()
    if kind == "none":
        return NullGeocoder()
    return RegisterGeocoder()
