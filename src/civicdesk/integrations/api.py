"""The REST API, /api/v1 (django-ninja; OpenAPI 3 at /api/v1/openapi.json, docs at /api/v1/docs).

Every call authenticates with an API key (``Authorization: Bearer cdk_…`` or
``X-API-Key``). The key acts as its integration account, so each request is checked with
the same per-object rules as the staff pages (``cases.selectors``); reading a request's
or a resident's personal fields writes an audit entry. Errors are
``application/problem+json`` with a field-level list. Every POST accepts an
``Idempotency-Key`` (``idempotency.py``).
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from datetime import date as date_type
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import Status as Reply
from ninja.security import APIKeyHeader, HttpBearer
from pydantic import AfterValidator

from civicdesk.accounts.models import Resident, User
from civicdesk.cases import selectors, services
from civicdesk.cases.models import ServiceRequest, Status
from civicdesk.catalog.models import Department, Service
from civicdesk.core import languages
from civicdesk.core.translation import localized
from civicdesk.privacy.services import client_ip as audit_ip
from civicdesk.privacy.services import record_access

from . import auth
from .problems import field_errors, problem


class RateLimited(Exception):
    pass


def _check(request: HttpRequest, raw: str):
    key = auth.authenticate(raw)
    if key is None or key.open311_only or not key.user.is_staff:
        return None
    if auth.rate_limited(f"key:{key.pk}", key.rate_per_minute):
        raise RateLimited
    request.user = key.user
    return key


class BearerKey(HttpBearer):
    def authenticate(self, request, token):
        return _check(request, token)


class HeaderKey(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return _check(request, key or "")


api = NinjaAPI(
    title="CivicDesk API", version="1", urls_namespace="api-v1",
    description="Staff operations for integrators. See docs/api.md for keys, idempotency and webhooks.",
    auth=[BearerKey(), HeaderKey()],
)


@api.exception_handler(NinjaValidationError)
def _validation(request, exc):
    errors = []
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.append({"field": ".".join(loc) or "body", "message": e.get("msg", "invalid")})
    return problem(422, "Invalid input", "One or more fields are invalid.", errors=errors)


@api.exception_handler(DjangoValidationError)
def _domain_validation(request, exc):
    errors = field_errors(exc.message_dict) if hasattr(exc, "error_dict") else [
        {"field": "__all__", "message": m} for m in exc.messages]
    return problem(422, "Not allowed", "The change was refused; see errors.", errors=errors)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem(404, "Not found", "No such object, or this key may not see it.")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return problem(403, "Forbidden", str(exc) or "This key may not do that.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = problem(401, "Unauthorized", "Send a valid API key: Authorization: Bearer <key> or X-API-Key.")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    response = problem(429, "Too many requests", "This key's rate limit is exceeded; retry in a minute.")
    response["Retry-After"] = "60"
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return problem(exc.status_code, "Error", str(exc))


# --- schemas ------------------------------------------------------------------------------

def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]  # every text a client sends us


def _shipped_language(value: str) -> str:
    if not languages.is_shipped(value):
        raise ValueError("Not one of the agency's languages: " + ", ".join(languages.codes()))
    return value


LanguageCode = Annotated[str, AfterValidator(_shipped_language)]

StatusName = Literal[tuple(Status.values)]  # type: ignore[valid-type]


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[dict] | None = None


ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 429: Problem}


class Contact(Schema):
    name: str
    email: str
    phone: str


class RequestOut(Schema):
    public_id: str
    status: str
    status_reason: str
    priority: str
    service_code: str
    department: str
    description: str
    answers: dict
    lat: float | None
    long: float | None
    address: str
    zipcode: str
    channel: str
    assigned_to: str | None
    duplicate_of: str | None
    submitted_at: datetime
    updated_at: datetime
    sla_due_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None


class EventOut(Schema):
    id: int
    kind: str
    public: bool
    actor: str
    status_from: str
    status_to: str
    message: str
    created_at: datetime


class RequestDetail(RequestOut):
    contact: Contact
    events: list[EventOut]


class RequestPage(Schema):
    items: list[RequestOut]
    next_cursor: str | None


class StatusIn(Schema):
    status: StatusName
    message: Text = Field("", max_length=4000, description="Public update shown and emailed to the resident.")
    reason: Text = Field("", max_length=500)
    duplicate_of: Text | None = Field(None, max_length=20, description="Public ID, when status is duplicate.")


class NoteIn(Schema):
    message: Text = Field(..., min_length=1, max_length=4000)
    public: bool = Field(False, description="True: a public update (emailed); false: an internal note.")


class AssignIn(Schema):
    username: Text | None = Field(None, max_length=150, description="Staff username; null to unassign.")


class MergeIn(Schema):
    into: Text = Field(..., max_length=20, description="Public ID of the original request.")
    message: Text = Field("", max_length=4000)


class ServiceOut(Schema):
    service_code: str
    name: str = Field(..., description="In the agency's default language.")
    description: str
    group: str
    translations: dict[str, dict[str, str]] = Field(
        ..., description="Each language the service is written in: name, description, group, emergency_notice.")
    keywords: str
    department: str
    sla_hours: int | None
    active: bool


class DepartmentOut(Schema):
    slug: str
    name: str = Field(..., description="In the agency's default language.")
    names: dict[str, str] = Field(..., description="The name in each language it is written in.")
    email: str
    phone: str
    timezone: str


class ResidentIn(Schema):
    email: Text = Field(..., min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    first_name: Text = Field("", max_length=80)
    last_name: Text = Field("", max_length=80)
    phone: Text = Field("", max_length=40)
    preferred_language: LanguageCode = Field("en", max_length=8, description="One of the agency's languages "
                                             "(CIVICDESK_LANGUAGES), for example en or es.")


class ResidentOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    phone: str
    preferred_language: str


# --- helpers --------------------------------------------------------------------------------

def _request_out(r: ServiceRequest) -> dict:
    return {
        "public_id": r.public_id, "status": r.status, "status_reason": r.status_reason, "priority": r.priority,
        "service_code": r.service.service_code, "department": r.department.slug, "description": r.description,
        "answers": r.answers, "lat": r.lat, "long": r.long, "address": r.address, "zipcode": r.zipcode,
        "channel": r.channel, "assigned_to": r.assigned_to.username if r.assigned_to_id else None,
        "duplicate_of": r.duplicate_of.public_id if r.duplicate_of_id else None,
        "submitted_at": r.submitted_at, "updated_at": r.updated_at, "sla_due_at": r.sla_due_at,
        "resolved_at": r.resolved_at, "closed_at": r.closed_at,
    }


def _detail(request, r: ServiceRequest) -> dict:
    record_access(actor=request.user, action="api.view_request", object_type="request", object_id=r.public_id,
                  ip=audit_ip(request), detail=f"API key {request.auth.name}")
    events = [{"id": e.pk, "kind": e.kind, "public": e.public, "actor": e.actor_label, "status_from": e.status_from,
               "status_to": e.status_to, "message": e.message, "created_at": e.created_at}
              for e in r.events.order_by("created_at", "id")]
    return {**_request_out(r), "contact": {"name": r.contact_name, "email": r.contact_email,
                                           "phone": r.contact_phone}, "events": events}


def _encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"id:{pk}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value = raw.split(":", 1)
        if kind != "id":
            raise ValueError
        return int(value)
    except (ValueError, UnicodeDecodeError) as e:
        raise NinjaValidationError([{"loc": ["query", "cursor"], "msg": "Not a cursor this API gave out."}]) from e


def _get(request, public_id: str) -> ServiceRequest:
    if "\x00" in public_id:
        raise Http404
    return selectors.access_request_for_staff(request.user, public_id)


# --- requests -------------------------------------------------------------------------------

class RequestFilters(Schema):
    status: Text | None = Field(None, description="A status, or 'open' for every open status.")
    service_code: Text | None = None
    department: Text | None = Field(None, description="Department slug.")
    updated_since: datetime | None = None
    q: Text | None = Field(None, max_length=100, description="Search public ID, description, address.")
    limit: int = Field(50, ge=1, le=200)
    cursor: Text | None = Field(None, max_length=100, description="next_cursor of the previous page.")


@api.get("/requests", response={200: RequestPage, **ERRORS}, tags=["requests"])
def list_requests(request, filters: Query[RequestFilters]):
    """Requests this key may see, newest first, a page at a time (personal fields only in the detail)."""
    if filters.status and filters.status != "open" and filters.status not in Status.values:
        raise NinjaValidationError([{"loc": ["query", "status"], "msg": f"Use 'open' or one of {', '.join(Status.values)}."}])
    qs = selectors.staff_request_list(request.user, department=filters.department or "",
                                      service=filters.service_code or "", status=filters.status or "",
                                      q=filters.q or "").select_related("duplicate_of").order_by("-id")
    if filters.updated_since:
        since = filters.updated_since
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        # In UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 text may carry.
        qs = qs.filter(updated_at__gte=since.astimezone(UTC))
    if filters.cursor:
        qs = qs.filter(id__lt=_decode_cursor(filters.cursor))
    rows = list(qs[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {"items": [_request_out(r) for r in rows],
            "next_cursor": _encode_cursor(rows[-1].pk) if more and rows else None}


@api.get("/requests/{public_id}", response={200: RequestDetail, **ERRORS}, tags=["requests"])
def get_request(request, public_id: str):
    """One request with its whole timeline (internal notes included) and contact details (audited)."""
    return _detail(request, _get(request, public_id))


@api.post("/requests/{public_id}/status", response={200: RequestDetail, **ERRORS},
          tags=["requests"])
def change_status(request, public_id: str, payload: StatusIn):
    """Move the request along the workflow with a public update; the resident is told like any other change."""
    req = _get(request, public_id)
    duplicate_of = _get(request, payload.duplicate_of) if payload.duplicate_of else None
    services.change_status(request=req, actor=request.user, status=payload.status, message=payload.message,
                           reason=payload.reason, duplicate_of=duplicate_of)
    return _detail(request, _get(request, public_id))


@api.post("/requests/{public_id}/notes", response={200: RequestDetail, **ERRORS},
          tags=["requests"])
def add_note(request, public_id: str, payload: NoteIn):
    req = _get(request, public_id)
    services.add_note(request=req, actor=request.user, message=payload.message, public=payload.public)
    return _detail(request, _get(request, public_id))


@api.post("/requests/{public_id}/assign", response={200: RequestDetail, **ERRORS},
          tags=["requests"])
def assign(request, public_id: str, payload: AssignIn):
    req = _get(request, public_id)
    assignee = None
    if payload.username:
        assignee = User.objects.filter(username=payload.username, is_active=True, is_staff=True).first()
        if assignee is None:
            raise NinjaValidationError([{"loc": ["body", "username"], "msg": "No active staff member has this username."}])
    services.assign(request=req, actor=request.user, assignee=assignee)
    return _detail(request, _get(request, public_id))


@api.post("/requests/{public_id}/merge", response={200: RequestDetail, **ERRORS},
          tags=["requests"])
def merge(request, public_id: str, payload: MergeIn):
    """Mark this request a duplicate of ``into``; its followers are told where to look."""
    req = _get(request, public_id)
    original = _get(request, payload.into)
    services.change_status(request=req, actor=request.user, status=Status.DUPLICATE, message=payload.message,
                           duplicate_of=original)
    return _detail(request, _get(request, public_id))


# --- catalog --------------------------------------------------------------------------------

def _service_out(s: Service) -> dict:
    default = settings.LANGUAGE_CODE
    return {"service_code": s.service_code, "name": localized(s, "name", default),
            "description": localized(s, "description", default), "group": localized(s, "group", default),
            "translations": {t.language_code: {"name": t.name, "description": t.description, "group": t.group,
                                               "emergency_notice": t.emergency_notice}
                             for t in s.translations.all()},
            "keywords": s.keywords, "department": s.department.slug, "sla_hours": s.sla_hours,
            "active": s.active}


@api.get("/services", response={200: list[ServiceOut], **ERRORS}, tags=["catalog"])
def list_services(request):
    return [_service_out(s) for s in Service.objects.select_related("department").prefetch_related("translations")
            .order_by("service_code")]


@api.get("/services/{code}", response={200: ServiceOut, **ERRORS}, tags=["catalog"])
def get_service(request, code: str):
    s = None if "\x00" in code else (Service.objects.select_related("department").prefetch_related("translations")
                                     .filter(service_code=code).first())
    if s is None:
        raise Http404
    return _service_out(s)


@api.get("/departments", response={200: list[DepartmentOut], **ERRORS}, tags=["catalog"])
def list_departments(request):
    return [{"slug": d.slug, "name": localized(d, "name", settings.LANGUAGE_CODE),
             "names": {t.language_code: t.name for t in d.translations.all()},
             "email": d.email, "phone": d.phone, "timezone": d.timezone}
            for d in Department.objects.order_by("slug").prefetch_related("translations")]


# --- residents ------------------------------------------------------------------------------

def _resident_out(r: Resident) -> dict:
    return {"id": r.pk, "email": r.email, "first_name": r.first_name, "last_name": r.last_name, "phone": r.phone,
            "preferred_language": r.preferred_language}


@api.post("/residents", response={200: ResidentOut, 201: ResidentOut, **ERRORS}, tags=["residents"])
def create_resident(request, payload: ResidentIn):
    """Create a resident's contact profile, or return the existing one with this email (200)
    when this key may see it (through a request or conversation of its departments); a
    profile it may not see is a 409 that shows nothing of it."""
    resident, created = Resident.objects.get_or_create(
        email=payload.email.strip().lower(),
        defaults={"first_name": payload.first_name, "last_name": payload.last_name, "phone": payload.phone,
                  "preferred_language": payload.preferred_language})
    if not created and not selectors.can_see_resident(request.user, resident):
        return problem(409, "Resident exists", "A resident with this email already has a profile, and this key "
                       "may not see it. File the request with the email as its contact instead.")
    record_access(actor=request.user, action="api.create_resident" if created else "api.view_resident",
                  object_type="resident", object_id=resident.pk, ip=audit_ip(request))
    return Reply(201 if created else 200, _resident_out(resident))


@api.get("/residents/{resident_id}", response={200: ResidentOut, **ERRORS}, tags=["residents"])
def get_resident(request, resident_id: int):
    """A resident's profile, if this key may see it (as on the staff pages); else 404."""
    resident = selectors.resident_for_staff(request.user, resident_id)
    record_access(actor=request.user, action="api.view_resident", object_type="resident", object_id=resident.pk,
                  ip=audit_ip(request))
    return _resident_out(resident)


@api.get("/residents/{resident_id}/requests", response={200: list[RequestOut], **ERRORS},
         tags=["residents"])
def resident_requests(request, resident_id: int):
    """The resident's requests that this key may see (404 for a resident it may not see)."""
    selectors.resident_for_staff(request.user, resident_id)
    record_access(actor=request.user, action="api.view_resident", object_type="resident", object_id=resident_id,
                  ip=audit_ip(request))
    qs = (selectors.requests_visible_to(request.user).filter(resident_id=resident_id)
          .select_related("service", "department", "assigned_to", "duplicate_of").order_by("-id")[:200])
    return [_request_out(r) for r in qs]



# --- schedules ----------------------------------------------------------------------------

class ScheduleDayOut(Schema):
    date: date_type
    usual: date_type = Field(description="The day the rule gives; differs when a holiday moved it.")
    change: str = Field("", description="Why it moved (the change's name in the default language).")


class ScheduleServiceOut(Schema):
    code: str
    kind: str
    name: str
    names: dict[str, str]
    zone: str
    frequency: str
    weekday: int = Field(description="0 = Monday ... 6 = Sunday")
    nth: int
    season: list[str] = Field(description="[start, end] as MM-DD, or empty: all year")
    days: list[ScheduleDayOut]


class ScheduleOut(Schema):
    address_id: str
    address: str
    lat: float
    long: float
    services: list[ScheduleServiceOut]


class ScheduleQuery(Schema):
    address: str = Field("", max_length=200, description="An address as typed (geocoded by the register)")
    address_id: str = Field("", max_length=64, description="The register's ID (Open311 address_id)")
    days: int = Field(60, ge=1, le=400, description="How many days ahead, from today")


@api.get("/schedules", response={200: ScheduleOut, **ERRORS}, tags=["schedules"])
def get_schedule(request, query: Query[ScheduleQuery]):
    """Collection and sweeping days at an address (docs/schedules.md), holiday changes applied."""
    from civicdesk.schedules import selectors as schedules

    if not (query.address.strip() or query.address_id.strip()) or "\x00" in query.address + query.address_id:
        raise HttpError(422, "Give address or address_id.")
    match = schedules.find_address(query.address, query.address_id)
    if match.candidate is None:
        raise Http404
    found = schedules.schedule_at(match.candidate, days=query.days)
    default = settings.LANGUAGE_CODE
    return {"address_id": found.address.ref, "address": found.address.label,
            "lat": found.address.lat, "long": found.address.long,
            "services": [{"code": s.service.code, "kind": s.service.kind,
                          "name": localized(s.service, "name", default),
                          "names": {t.language_code: t.name for t in s.service.translations.all()},
                          "zone": s.zone.name, "frequency": s.zone.frequency, "weekday": s.zone.weekday,
                          "nth": s.zone.nth,
                          "season": [s.zone.season_start, s.zone.season_end] if s.zone.season_start else [],
                          "days": [{"date": d.date, "usual": d.usual, "change": d.change} for d in s.days]}
                         for s in found.services]}
