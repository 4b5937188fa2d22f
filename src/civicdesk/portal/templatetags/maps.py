"""``{% map_assets "many" %}``: the files a map needs, for static/civicdesk/js/lazy-map.js."""

import json

from django import template
from django.templatetags.static import static

register = template.Library()

_LEAFLET_CSS = ["vendor/leaflet/leaflet.css"]
_LEAFLET_JS = ["vendor/leaflet/leaflet.js", "civicdesk/js/map-icons.js"]
KINDS = {
    "pick": (_LEAFLET_CSS, [*_LEAFLET_JS, "civicdesk/js/map-pick.js"]),
    "one": (_LEAFLET_CSS, [*_LEAFLET_JS, "civicdesk/js/maps.js"]),
    "zones": (_LEAFLET_CSS, [*_LEAFLET_JS, "civicdesk/js/zones-map.js"]),
    "many": ([*_LEAFLET_CSS, "vendor/leaflet/MarkerCluster.css", "vendor/leaflet/MarkerCluster.Default.css"],
             [*_LEAFLET_JS, "vendor/leaflet/leaflet.markercluster.js", "civicdesk/js/maps.js"]),
}


@register.simple_tag
def map_assets(kind: str) -> str:
    css, js = KINDS[kind]
    return json.dumps({"css": [static(p) for p in css], "js": [static(p) for p in js],
                       "icons": {"iconUrl": static("vendor/leaflet/images/marker-icon.png"),
                                 "iconRetinaUrl": static("vendor/leaflet/images/marker-icon-2x.png")}})
