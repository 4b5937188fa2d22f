"""How requests look to the outside: Open311 fields, and webhook event bodies."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from civicdesk.cases.models import OPEN_STATUSES, ServiceRequest, TimelineEvent
from civicdesk.core.translation import localized


def w3c(dt) -> str | None:
    """W3C datetime with the agency's UTC offset, for example 2026-05-31T14:30:00-05:00."""
    if dt is None:
        return None
    return timezone.localtime(dt).isoformat(timespec="seconds")


def open311_status(req: ServiceRequest) -> str:
    return "closed" if req.status not in OPEN_STATUSES else "open"


def media_url(req: ServiceRequest) -> str:
    if req.media_url:
        return req.media_url
    photos = list(req.photos.all()[:1])
    if photos:
        return settings.SITE_URL.rstrip("/") + photos[0].image.url
    return ""


def open311_request(req: ServiceRequest, status_notes: str = "") -> dict:
    """One service request with exactly the GeoReport v2 field names."""
    return {
        "service_request_id": req.public_id,
        "status": open311_status(req),
        "status_notes": status_notes or req.status_reason or "",
        "service_name": localized(req.service, "name"),
        "service_code": req.service.service_code,
        "description": req.description,
        "agency_responsible": localized(req.department, "name"),
        "service_notice": "",
        "requested_datetime": w3c(req.submitted_at),
        "updated_datetime": w3c(req.updated_at),
        "expected_datetime": w3c(req.sla_due_at) if req.status in OPEN_STATUSES else None,
        "address": req.address,
        "address_id": req.address_id,
        "zipcode": req.zipcode,
        "lat": req.lat,
        "long": req.long,
        "media_url": media_url(req),
    }


def event_payload(event: TimelineEvent) -> dict:
    """The ``data`` of a webhook: the request (public fields) and what just happened."""
    req = event.request
    return {
        "request": {
            "public_id": req.public_id,
            "url": settings.SITE_URL.rstrip("/") + req.get_absolute_url(),
            "service_code": req.service.service_code,
            "department": req.department.slug,
            "status": req.status,
            "open311_status": open311_status(req),
            "priority": req.priority,
            "assigned_to": req.assigned_to.username if req.assigned_to_id else None,
            "channel": req.channel,
            "lat": req.lat,
            "long": req.long,
            "address": req.address,
            "requested_datetime": w3c(req.submitted_at),
            "updated_datetime": w3c(req.updated_at),
            "expected_datetime": w3c(req.sla_due_at),
        },
        "event": {
            "kind": event.kind,
            "public": event.public,
            "status_from": event.status_from or None,
            "status_to": event.status_to or None,
            "message": event.message if event.public else "",
            "actor": event.actor_label,
            "created_at": w3c(event.created_at),
        },
    }
