"""Public lookups for the request form: address autocomplete and the nearest address to a pin.
Both answer from the agency's geocoder (the register by default) and hold no personal data."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civicdesk.core.languages import agency_name
from civicdesk.integrations.auth import client_ip, rate_limited

from .providers import geocoder
from .services import inside


def _out(c) -> dict:
    return {"id": c.ref, "label": c.label, "lat": c.lat, "long": c.long, "postcode": c.postcode}


def _limited(request) -> JsonResponse | None:
    if rate_limited(f"address:{client_ip(request)}", settings.CIVICDESK_ADDRESS_LOOKUPS_PER_MINUTE):
        response = JsonResponse({"error": _("Too many lookups; wait a minute.")}, status=429)
        response["Retry-After"] = "60"
        return response
    return None


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    limited = _limited(request)
    if limited:
        return limited
    q = request.GET.get("q", "").replace("\x00", "").strip()[:120]
    results = geocoder().suggest(q, limit=8) if len(q) >= 2 else []
    return JsonResponse({"results": [_out(c) for c in results]})


@require_GET
def reverse(request: HttpRequest) -> JsonResponse:
    limited = _limited(request)
    if limited:
        return limited
    try:
        lat, long = float(request.GET.get("lat", "")), float(request.GET.get("long", ""))
    except ValueError:
        return JsonResponse({"error": _("lat and long must be numbers.")}, status=400)
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        return JsonResponse({"error": _("That point is not on the map.")}, status=400)
    if inside(lat, long) is False:
        return JsonResponse({"inside": False, "message": _("That place is outside %(agency)s.")
                             % {"agency": agency_name()}})
    found = geocoder().reverse(lat, long)
    return JsonResponse({"inside": True, "result": _out(found) if found else None})
