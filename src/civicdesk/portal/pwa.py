"""The portal as an installable app: the web app manifest, the service worker, the icon
browsers ask for at /favicon.ico, and the page shown when a page was never seen offline.
How it works offline: docs/offline.md."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from civicdesk.core.languages import agency_name

# What the service worker keeps from its first visit: the look of every page and the
# scripts a report needs, so a page seen once opens again without a connection.
PRECACHE_STATIC = [
    "vendor/uswds/css/styles.css", "civicdesk/css/civicdesk.css", "vendor/uswds/js/uswds-init.min.js",
    "vendor/uswds/js/uswds.min.js", "civicdesk/js/offline.js", "civicdesk/js/report-queue.js",
    "civicdesk/js/submit-once.js", "civicdesk/js/chat-widget.js", "civicdesk/icons/icon.svg", "civicdesk/icons/icon-192.png",
    "civicdesk/icons/favicon.ico", "vendor/uswds/img/usa-icons-bg/search--white.svg",
    "vendor/uswds/img/usa-icons/close.svg", "vendor/uswds/img/usa-icons/language.svg",
    "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "civicdesk/js/map-pick.js", "civicdesk/js/map-icons.js", "civicdesk/js/lazy-map.js", "civicdesk/js/maps.js",
    "vendor/leaflet/images/marker-icon.png", "vendor/leaflet/images/marker-icon-2x.png", "vendor/leaflet/images/marker-shadow.png",
    "vendor/autocomplete/accessible-autocomplete.min.js", "vendor/autocomplete/accessible-autocomplete.min.css",
    "civicdesk/js/address-autocomplete.js", "civicdesk/js/uswds-i18n.js",
]


@require_safe
@cache_control(max_age=86400)
def manifest(request: HttpRequest) -> HttpResponse:
    """In the reader's language: the name under the icon on their home screen is theirs."""
    data = {
        "name": f"{agency_name()} · 311",
        "short_name": "311",
        "description": _("Report a problem, follow it, get answers: any hour, any device."),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("portal:home") + "?source=app",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1a4480",
        "icons": [
            {"src": static("civicdesk/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("civicdesk/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("civicdesk/icons/maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
            {"src": static("civicdesk/icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
        "shortcuts": [
            {"name": _("Services"), "url": reverse("portal:catalog")},
            {"name": _("Open requests"), "url": reverse("portal:requests")},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Vary"] = "Cookie, Accept-Language"
    return response


def _precache() -> list[str]:
    return [static(path) for path in PRECACHE_STATIC] + [reverse("portal:offline")]


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the site's root so it may look after every page. Its version is a digest of
    the files it keeps (hashed names in production): a new release replaces the old caches."""
    assets = _precache()
    version = hashlib.sha256(json.dumps(assets).encode()).hexdigest()[:12]
    response = render(request, "portal/sw.js", {
        "version": version, "precache_json": json.dumps(assets), "offline_url": reverse("portal:offline"),
        "queue_script": static("civicdesk/js/report-queue.js"), "icon": static("civicdesk/icons/icon-192.png"),
        "private_prefixes": json.dumps(["/console/", "/admin/", "/api/", "/open311/", "/chat/", "/inbound/",
                                        "/account/", "/i18n/", "/addresses/", "/follow/"]),
    }, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # browsers check for a new worker on each visit
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page that was never opened with a connection."""
    return render(request, "portal/offline.html")


@require_safe
@cache_control(max_age=604800)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: the static file (long cached)."""
    return HttpResponsePermanentRedirect(static("civicdesk/icons/favicon.ico"))
