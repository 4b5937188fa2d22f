"""What the public sees of a request: one rule for the case page, the open-requests list and
map, the duplicate warning, Open311 GET and the assistant's status answer.

A service's ``visibility`` says how much of its requests is public (catalog.Visibility):
everything; the place and the status only; or nothing at all. A ``block_only`` service (a
missed pickup is reported at the resident's own home) shows the block ("1200 block of Elm
St") and a point rounded to about 100 m, never the house number, and none of the report's
words or photos (they are of someone's home). The filer, and whoever
opens the request's private link, always see the whole request.

Moderation: on a ``moderated`` service the resident's words (description and answers), their
photos and the information they add later wait for staff (``Review.PENDING``) and appear
once published; staff may hide any of them, or publish an edited description, at any time
(``services.moderate``). The filer sees everything they sent, marked "waiting for review" or
"not shown to the public".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from civicdesk.catalog.models import Service, Visibility

from .models import Review

# "1234 N Elm St Apt 5, Riverton 60601" -> number 1234, street "N Elm St"
_HOUSE = re.compile(r"^\s*(\d+)[A-Za-z]?(?:-\d+)?\s+(.+?)\s*$")
_UNIT = re.compile(r"\s*(?:,|\b(?:apt|apartment|unit|suite|ste|fl|floor|rm|room|piso|depto)\b\.?|#).*$", re.I)
BLOCK_DECIMALS = 3  # 0.001 degree: about 110 m north-south, 80 m east-west here


def block_of(address: str) -> str:
    """The block of an address, never its house number; "" when the address has no
    recognisable number and street (showing it could reveal more than a block)."""
    match = _HOUSE.match(address or "")
    if not match:
        return ""
    street = _UNIT.sub("", match.group(2)).strip()
    if not street:
        return ""
    block = int(match.group(1)) // 100 * 100
    return _("%(block)s block of %(street)s") % {"block": block, "street": street}


def blur(value: float | None) -> float | None:
    return None if value is None else round(value, BLOCK_DECIMALS)


@dataclass(frozen=True)
class Shown:
    """What one viewer may see of one request."""

    details: bool  # description, answers, photos, the words of public updates
    address: str
    lat: float | None
    long: float | None
    exact_place: bool


def shown(req, service: Service, *, owner: bool = False) -> Shown:
    """``owner``: the filer's browser or the private link's holder."""
    if owner:
        return Shown(True, req.address, req.lat, req.long, True)
    if service.visibility == Visibility.PRIVATE:
        return Shown(False, "", None, None, False)
    if service.block_only:
        # Its description, answers and photos are of someone's home (and often name the
        # house number): the block and the status only.
        return Shown(False, block_of(req.address), blur(req.lat), blur(req.long), False)
    return Shown(service.visibility == Visibility.PUBLIC, req.address, req.lat, req.long, True)


def held_for_review(service: Service) -> bool:
    """Whether what residents send for this service waits for staff before it is public
    (only where the public would see it at all)."""
    return service.moderated and service.visibility == Visibility.PUBLIC and not service.block_only


def public_text(req) -> str:
    """The description the public sees: staff's edit or the resident's words, once published."""
    if req.review != Review.PUBLISHED:
        return ""
    return req.public_description or req.description


def public_photos(req):
    return req.photos.filter(review=Review.PUBLISHED)


def is_public(service: Service) -> bool:
    return service.visibility != Visibility.PRIVATE


def public_only(qs: QuerySet) -> QuerySet:
    """Requests that may appear on public pages and feeds at all."""
    return qs.exclude(service__in=Service.objects.filter(visibility=Visibility.PRIVATE).values("pk"))
