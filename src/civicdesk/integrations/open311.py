"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), in JSON and XML.

Every endpoint of the specification, with its field names, W3C datetimes and error format
(a list of ``code``/``description`` pairs with the matching HTTP status). Submissions go
through ``cases.services.submit_request`` like the portal's. GET is public (rate-limited
per client address); POST needs an API key.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import UTC, timedelta
from types import SimpleNamespace
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from civicdesk.cases import services
from civicdesk.cases.models import OPEN_STATUSES, Channel, ServiceRequest
from civicdesk.cases.publication import public_only, shown
from civicdesk.catalog import snapshot
from civicdesk.core import languages
from civicdesk.core.translation import localized

from . import auth

MAX_RESULTS = 1000
DEFAULT_SPAN = timedelta(days=90)
LIST_KEYS = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
             "values": "value", "endpoints": "endpoint", "formats": "format"}


class Open311Error(Exception):
    def __init__(self, status: int, *errors: str):
        self.status = status
        self.errors = errors or (_("Bad request."),)


# --- rendering --------------------------------------------------------------------------

def _xml_value(parent: ET.Element, name: str, value) -> None:
    el = ET.SubElement(parent, name)
    if isinstance(value, list):
        child = LIST_KEYS.get(name, "item")
        for item in value:
            if isinstance(item, dict):
                _xml_dict(ET.SubElement(el, child), item)
            else:
                _xml_value(el, child, item)
    elif isinstance(value, dict):
        _xml_dict(el, value)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    elif value is not None:
        el.text = str(value)


def _xml_dict(el: ET.Element, data: dict) -> None:
    for k, v in data.items():
        _xml_value(el, k, v)


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    """``data`` is a list (rendered as <root><item>…) or a dict (rendered as <root>…)."""
    if fmt == "json":
        return HttpResponse(json.dumps(data), status=status, content_type="application/json; charset=utf-8")
    top = ET.Element(root)
    if isinstance(data, list):
        child = LIST_KEYS.get(root, "item")
        for item in data:
            _xml_dict(ET.SubElement(top, child), item)
    else:
        _xml_dict(top, data)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8", xml_declaration=False)
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def error_response(fmt: str, status: int, *messages: str) -> HttpResponse:
    return render(fmt, "errors", [{"code": status, "description": m} for m in messages], status=status)


def endpoint(methods: tuple[str, ...], *, public_rate: bool = True):
    """Wrap an Open311 view: method check, jurisdiction, rate limit, errors in the spec's format."""

    def decorator(view):
        @csrf_exempt
        def wrapper(request: HttpRequest, fmt: str, **kwargs):
            if request.method not in methods:
                response = error_response(fmt, 405, _("Method not allowed."))
                response["Allow"] = ", ".join(methods)
                return response
            try:
                texts = [*kwargs.values(), *(v for _k, vs in request.GET.lists() for v in vs)]
                if request.method == "POST":
                    texts += [v for _k, vs in request.POST.lists() for v in vs]
                if any("\x00" in t for t in texts):
                    raise Open311Error(400, _("Text may not contain NUL characters."))
                jurisdiction = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
                if jurisdiction and jurisdiction != settings.CIVICDESK_JURISDICTION_ID:
                    raise Open311Error(404, _("jurisdiction_id “%(j)s” not found; this server serves “%(ours)s”.")
                                       % {"j": jurisdiction[:100], "ours": settings.CIVICDESK_JURISDICTION_ID})
                if public_rate and request.method == "GET" and auth.rate_limited(
                        f"open311:{auth.client_ip(request)}", settings.CIVICDESK_PUBLIC_API_RATE_PER_MINUTE):
                    raise Open311Error(429, _("Too many requests; slow down and retry in a minute."))
                return view(request, fmt, **kwargs)
            except Open311Error as e:
                return error_response(fmt, e.status, *e.errors)

        return wrapper

    return decorator


# --- discovery and services ------------------------------------------------------------

@endpoint(("GET",))
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:root"))
    data = {
        "changeset": w3c_now(),
        "contact": f"{settings.CIVICDESK_AGENCY_NAME} — {settings.SITE_URL}",
        "key_service": request.build_absolute_uri("/console/") + " (ask an administrator for an API key)",
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": base.rstrip("/"),
            "changeset": w3c_now(),
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }
    return render(fmt, "discovery", data)


def w3c_now() -> str:
    return timezone.localtime().isoformat(timespec="seconds")


def _service(s) -> dict:
    return {
        "service_code": s.service_code,
        "service_name": localized(s, "name"),
        "description": localized(s, "description"),
        "metadata": any(q.variable for q in s.questions.all()),
        "type": s.type,
        "keywords": s.keywords,
        "group": localized(s, "group"),
    }


@endpoint(("GET",))
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    items = sorted(snapshot.active_services().values(), key=lambda s: (s.group, s.name))
    return render(fmt, "services", [_service(s) for s in items])


@endpoint(("GET",))
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    service = snapshot.active_service(code)
    if service is None:
        raise Open311Error(404, _("service_code “%(code)s” not found.") % {"code": code[:64]})
    attributes = []
    for q in service.questions.all():
        attributes.append({
            "variable": q.variable,
            "code": q.code,
            "datatype": q.datatype,
            "required": q.required,
            "datatype_description": localized(q, "datatype_description"),
            "order": q.order,
            "description": localized(q, "description"),
            **({"values": [{"key": k, "name": n} for k, n in q.choices()]} if q.values else {}),
        })
    return render(fmt, "service_definition", {"service_code": service.service_code, "attributes": attributes})


# --- requests ---------------------------------------------------------------------------

def _parse_date(name: str, raw: str):
    try:  # a "+" in a query string arrives as a space
        parsed = parse_datetime(raw.strip().replace(" ", "+")[:40])
    except ValueError:  # well formed but impossible: month 13, hour 99, offset +99:00
        parsed = None
    if parsed is None:
        raise Open311Error(400, _("%(name)s must be a W3C datetime such as 2026-05-31T14:30:00-05:00.") % {"name": name})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed.astimezone(UTC)  # PostgreSQL refuses offsets beyond ±15:59


COLUMNS = ("id", "public_id", "status", "status_reason", "service_id", "department_id", "description",
           "submitted_at", "updated_at", "sla_due_at", "address", "address_id", "zipcode", "lat", "long", "media_url",
           "review", "public_description")


def _represent(qs) -> list[dict]:
    """GeoReport v2 dicts for the requests in ``qs``, built from plain rows (a response
    holds up to 1,000 of them, so no model instances): three queries in all."""
    from civicdesk.cases.models import RequestPhoto, Review, TimelineEvent

    rows = list(qs.values_list(*COLUMNS))
    ids = [r[0] for r in rows]
    notes: dict[int, str] = {}
    for request_id, message in (TimelineEvent.objects.filter(request__in=ids, public=True, review=Review.PUBLISHED)
                                .exclude(message="").exclude(kind=TimelineEvent.Kind.PRIORITY)
                                .order_by("request_id", "-created_at", "-id").values_list("request_id", "message")):
        notes.setdefault(request_id, message)
    photos: dict[int, str] = {}
    media_root = settings.SITE_URL.rstrip("/") + settings.MEDIA_URL
    for request_id, image in (RequestPhoto.objects.filter(request__in=ids, review=Review.PUBLISHED)
                              .order_by("request_id", "id")
                              .values_list("request_id", "image")):
        photos.setdefault(request_id, media_root + image)
    tz = timezone.get_current_timezone()
    services_by_id = {s.pk: s for s in snapshot.active_services().values()}
    missing = {r[4] for r in rows} - services_by_id.keys()
    if missing:  # requests of services no longer active
        from civicdesk.catalog.models import Service

        services_by_id.update({s.pk: s for s in Service.objects.filter(pk__in=missing).select_related("department")})
    departments: dict[int, str] = {}

    def dept_name(dept_id: int, service) -> str:
        if dept_id not in departments:
            from civicdesk.catalog.models import Department

            dept = service.department if service.department_id == dept_id else Department.objects.get(pk=dept_id)
            departments[dept_id] = localized(dept, "name")
        return departments[dept_id]

    def w3c(dt):
        return dt.astimezone(tz).isoformat(timespec="seconds") if dt else None

    names = {pk: (localized(s, "name"), s.service_code) for pk, s in services_by_id.items()}
    out = []
    for (pk, public_id, status, reason, service_id, dept_id, description, submitted, updated, due, address,
         address_id, zipcode, lat, long, media, review, public_description) in rows:
        is_open = status in OPEN_STATUSES
        name, code = names[service_id]
        # What the public may see of it (cases/publication.py): no details for "place and
        # status only"; the block and a rounded point for reports at a resident's home.
        where = shown(SimpleNamespace(address=address, lat=lat, long=long), services_by_id[service_id])
        if review != Review.PUBLISHED:  # waiting for staff, or hidden (cases/publication.py)
            description, media = "", ""
        elif public_description:
            description = public_description
        if not where.details:
            description, media, notes_text = "", "", ""
        else:
            notes_text = notes.get(pk) or ""
        if not where.exact_place:
            address, lat, long, address_id = where.address, where.lat, where.long, ""
        out.append({
            "service_request_id": public_id,
            "status": "open" if is_open else "closed",
            "status_notes": notes_text or reason or "",
            "service_name": name,
            "service_code": code,
            "description": description,
            "agency_responsible": dept_name(dept_id, services_by_id[service_id]),
            "service_notice": "",
            "requested_datetime": w3c(submitted),
            "updated_datetime": w3c(updated),
            "expected_datetime": w3c(due) if is_open else None,
            "address": address,
            "address_id": address_id,
            "zipcode": zipcode,
            "lat": lat,
            "long": long,
            "media_url": media or (photos.get(pk, "") if where.details else ""),
        })
    return out


def _query(request: HttpRequest):
    qs = public_only(ServiceRequest.objects.exclude(public_id=None))  # never a private service's
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:  # "overrides all other arguments" (spec)
        return qs.filter(public_id__in=ids[:MAX_RESULTS]).order_by("-submitted_at")
    codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(service__service_code__in=codes)
    start_raw, end_raw = request.GET.get("start_date", ""), request.GET.get("end_date", "")
    end = _parse_date("end_date", end_raw) if end_raw else None
    start = _parse_date("start_date", start_raw) if start_raw else None
    try:
        if start is None and end is None:
            end = timezone.now()
            start = end - DEFAULT_SPAN
        elif start is None:
            start = end - DEFAULT_SPAN
        elif end is None:
            end = start + DEFAULT_SPAN
    except OverflowError:  # 90 days before year 1 or after year 9999
        raise Open311Error(400, _("start_date and end_date must be between the years 1 and 9999.")) from None
    if end < start:
        raise Open311Error(400, _("end_date must be after start_date."))
    if end - start > DEFAULT_SPAN:
        raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    qs = qs.filter(submitted_at__gte=start, submitted_at__lte=end)
    statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
    unknown = statuses - {"open", "closed"}
    if unknown:
        raise Open311Error(400, _("status must be open, closed or both (comma-separated), not “%(s)s”.")
                           % {"s": sorted(unknown)[0][:30]})
    if statuses == {"open"}:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        qs = qs.exclude(status__in=OPEN_STATUSES)
    return qs.order_by("-submitted_at")[:MAX_RESULTS]


@endpoint(("GET", "POST"))
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    return render(fmt, "service_requests", _represent(_query(request)))


@endpoint(("GET",))
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    found = _represent(public_only(ServiceRequest.objects.filter(public_id=request_id)))
    if not found:
        raise Open311Error(404, _("service_request_id “%(id)s” not found.") % {"id": request_id[:40]})
    return render(fmt, "service_requests", found)


@endpoint(("GET",))
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    req = ServiceRequest.objects.filter(submission_key=f"open311:{token}").only("public_id").first()
    if req is None:
        raise Open311Error(404, _("token “%(t)s” not found.") % {"t": token[:60]})
    return render(fmt, "service_requests", [{"service_request_id": req.public_id, "token": token}])


ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


def _attributes(post) -> dict:
    answers: dict = {}
    for name in post:
        m = ATTRIBUTE.match(name)
        if not m:
            continue
        values = post.getlist(name)
        code = m.group(1)
        if m.group(2) or len(values) > 1:
            answers.setdefault(code, [])
            answers[code] = (answers[code] if isinstance(answers[code], list) else [answers[code]]) + values
        else:
            answers[code] = values[0]
    return answers


FIELD_NAMES = {"location": "lat/long, address_string or address_id", "address": "address_string"}


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    key = auth.authenticate(auth.presented_key(request))
    if key is None:
        raise Open311Error(403, _("api_key is missing, wrong or revoked."))
    if auth.rate_limited(f"key:{key.pk}", key.rate_per_minute):
        raise Open311Error(429, _("Too many requests for this api_key; slow down and retry in a minute."))
    post = request.POST
    code = post.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    service = snapshot.active_service(code)
    if service is None:
        raise Open311Error(404, _("service_code “%(code)s” not found.") % {"code": code[:64]})
    errors: list[str] = []
    cleaned = {}
    for name, fn in (
        ("answers", lambda: services.clean_answers(service=service, raw=_attributes(post))),
        ("location", lambda: services.clean_location(lat=post.get("lat"), long=post.get("long"),
                                                     address=post.get("address_string", ""),
                                                     address_id=post.get("address_id", ""))),
        ("contact", lambda: services.clean_contact(email=post.get("email", ""), first_name=post.get("first_name", ""),
                                                   last_name=post.get("last_name", ""), phone=post.get("phone", ""))),
    ):
        try:
            cleaned[name] = fn()
        except ValidationError as e:
            for field, msgs in e.message_dict.items():
                label = FIELD_NAMES.get(field, field if name != "answers" else f"attribute[{field}]")
                errors.extend(f"{label}: {m}" for m in msgs)
            if getattr(e, "suggestions", None):  # an address the register does not know
                errors.append(_("address_string: did you mean %(list)s? (address_id: %(ids)s)") % {
                    "list": "; ".join(c.label for c in e.suggestions), "ids": ", ".join(c.ref for c in e.suggestions)})
    media = post.get("media_url", "").strip()
    if media:
        try:
            URLValidator(schemes=["http", "https"])(media)
        except ValidationError:
            errors.append(_("media_url: must be an http or https URL."))
        if len(media) > 500:
            errors.append(_("media_url: keep it under 500 characters."))
    description = post.get("description", "")
    if len(description) > services.MAX_DESCRIPTION:
        errors.append(_("description: keep it under %(limit)s characters.") % {"limit": services.MAX_DESCRIPTION})
    if errors:
        raise Open311Error(400, *errors)
    # With an Idempotency-Key the token (and so the submission key) is derived from it, so
    # a retry files nothing new even if the first response was lost mid-way.
    idem = request.headers.get("Idempotency-Key", "").strip()
    token = (hashlib.sha256(f"{key.pk}:{idem}".encode()).hexdigest()[:24] if idem else secrets.token_hex(12))
    meta = {k: post.get(k, "")[:100] for k in ("device_id", "account_id") if post.get(k)}
    meta["api_key"] = key.name
    try:
        result = services.submit_request(
            service=service, description=description, answers=cleaned["answers"], location=cleaned["location"],
            contact=cleaned["contact"], language=languages.normalize(request.LANGUAGE_CODE), channel=Channel.OPEN311,
            submission_key=f"open311:{token}", media_url=media, client_meta=meta)
    except ValidationError as e:
        raise Open311Error(400, *[f"{f}: {m}" for f, msgs in e.message_dict.items() for m in msgs]) from e
    req = result.request
    return render(fmt, "service_requests", [{
        "service_request_id": req.public_id, "token": token,
        "service_notice": _("Thank you. Your %(service)s request is %(id)s.")
        % {"service": localized(service, "name"), "id": req.public_id},
        "account_id": post.get("account_id") or None,
    }])
