"""Everything that changes a service request. Views, APIs and the assistant call these.

Each function is keyword-only, runs in one transaction, writes its timeline event in that
transaction, and schedules notifications to run only if it commits. Callers must have
checked access first (``selectors.access_request_for_staff``).
"""

from __future__ import annotations

import hashlib
import secrets
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.accounts.models import Resident, User
from civicdesk.accounts.selectors import is_person
from civicdesk.catalog import snapshot
from civicdesk.catalog.models import PriorityRule, Service, ServiceQuestion
from civicdesk.core.business_hours import add_business_hours
from civicdesk.core.db import insert_with_child
from civicdesk.core.geo import bounding_box, distance_m
from civicdesk.core.languages import agency_name
from civicdesk.core.tasks import enqueue_on_commit
from civicdesk.privacy.redaction import redact
from civicdesk.privacy.services import record_access

from . import publication
from .models import (
    OPEN_STATUSES,
    REASON_REQUIRED,
    TRANSITIONS,
    BulkChange,
    Follower,
    RequestPhoto,
    Review,
    SavedView,
    ServiceRequest,
    Status,
    TimelineEvent,
)
from .photos import clean_photo

MAX_DESCRIPTION = 4000
MAX_STRING = 255
MAX_TEXT = 4000


# --- answers to a service's questions -------------------------------------------------

_EMPTY = object()


def clean_answer(q: ServiceQuestion, value: Any) -> Any:
    """One answer to one question, cleaned; `_EMPTY` when there is none.

    Raises ValidationError with the message for the resident."""
    if q.datatype == ServiceQuestion.Datatype.MULTIVALUELIST:
        values = [v for v in (value if isinstance(value, list) else [value] if value else []) if str(v).strip()]
        if not values:
            if q.required:
                raise ValidationError(_("Choose at least one option."))
            return _EMPTY
        allowed = {key for key, _label in q.choices()}
        bad = [v for v in values if str(v) not in allowed]
        if bad:
            raise ValidationError(_("“%(value)s” is not one of the options.") % {"value": bad[0]})
        return [str(v) for v in values]
    if isinstance(value, list):
        value = value[0] if value else ""
    text = str(value).strip() if value is not None else ""
    if not text:
        if q.required:
            raise ValidationError(_("This question needs an answer."))
        return _EMPTY
    if q.datatype == ServiceQuestion.Datatype.NUMBER:
        try:
            number = Decimal(text)
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise ValidationError(_("Enter a number, for example 3 or 2.5.")) from None
        return int(number) if number == number.to_integral_value() else float(number)
    if q.datatype == ServiceQuestion.Datatype.DATETIME:
        parsed = parse_datetime(text)
        if parsed is None:
            raise ValidationError(_("Enter a date and time, for example 2026-05-31 14:30."))
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return parsed.isoformat()
    if q.datatype == ServiceQuestion.Datatype.SINGLEVALUELIST:
        if text not in {key for key, _label in q.choices()}:
            raise ValidationError(_("“%(value)s” is not one of the options.") % {"value": text})
        return text
    limit = MAX_STRING if q.datatype == ServiceQuestion.Datatype.STRING else MAX_TEXT
    if len(text) > limit:
        raise ValidationError(_("Keep this answer under %(limit)s characters (it has %(n)s).") % {
            "limit": limit, "n": len(text)})
    return text


def clean_answers(*, service: Service, raw: dict[str, Any]) -> dict[str, Any]:
    """Validate answers (code -> str or list of str) against the service's questions.

    Returns the cleaned answers; raises ValidationError keyed by question code.
    """
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for q in service.questions.all():
        if not q.variable:
            continue
        try:
            value = clean_answer(q, raw.get(q.code))
        except ValidationError as e:
            errors[q.code] = e.messages[0]
            continue
        if value is not _EMPTY:
            cleaned[q.code] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- location -------------------------------------------------------------------------

@dataclass
class Location:
    lat: float | None = None
    long: float | None = None
    address: str = ""
    zipcode: str = ""
    address_id: str = ""
    # True: the address is the register's (typed and matched, or the nearest to the pin);
    # False: a pin with an address the register does not know (flagged for staff);
    # None: no register to check against.
    checked: bool | None = None


class AddressNotFound(ValidationError):
    """A typed address the geocoder cannot place; ``suggestions`` are its "did you mean"."""

    def __init__(self, message, suggestions):
        super().__init__({"address": [message]})
        self.suggestions = suggestions


def clean_location(*, lat: Any, long: Any, address: str = "", zipcode: str = "", address_id: str = "") -> Location:
    """A point and/or an address; at least one is needed. Then placed by the geocoder
    (``place``): a typed address gets its point, a pin its nearest address."""
    location = _check_location(lat=lat, long=long, address=address, zipcode=zipcode, address_id=address_id)
    return place(location)


def place(location: Location) -> Location:
    """Geocode a checked location with the agency's geocoder (addresses/providers.py).

    - A pin outside the agency's boundary is refused, naming the agency.
    - A register ID (Open311 ``address_id``) gives its address and point; an unknown one is refused.
    - A typed address alone must match (else AddressNotFound with suggestions), and gets the point.
    - A pin alone gets the nearest address, shown back to the resident.
    - A pin and a typed address the register does not know: kept as typed, flagged for staff.
    """
    from civicdesk.addresses import providers
    from civicdesk.addresses.services import inside

    geo = providers.geocoder()
    if location.lat is not None and inside(location.lat, location.long) is False:
        raise ValidationError({"location": _("That place is outside %(agency)s. We can only fix problems inside "
                                             "the city; for other places, contact the city or county there.")
                               % {"agency": agency_name()}})
    if not geo.available:
        return location
    if location.address_id:
        found = geo.by_ref(location.address_id)
        if found is None:
            raise ValidationError({"address_id": _("“%(id)s” is not in %(agency)s's address register.")
                                   % {"id": location.address_id[:64], "agency": agency_name()}})
        return _placed(location, found, keep_pin=location.lat is not None)
    if location.address:
        match = geo.geocode(location.address)
        if match.candidate is not None:
            near_pin = location.lat is None or _distance_ok(location, match.candidate)
            if near_pin:
                return _placed(location, match.candidate, keep_pin=location.lat is not None)
        if location.lat is None:
            if match.suggestions:
                message = _("We could not find “%(address)s” among %(agency)s's addresses. Did you mean one of "
                            "these? Or put a pin on the map.")
            else:
                message = _("We could not find “%(address)s” among %(agency)s's addresses. Check the house "
                            "number and street, or put a pin on the map.")
            raise AddressNotFound(message % {"address": location.address[:80],
                                             "agency": agency_name()}, match.suggestions)
        location.checked = False  # a pin, and words the register does not know: staff check it
        return location
    if location.lat is not None:
        found = geo.reverse(location.lat, location.long)
        if found is not None:
            return _placed(location, found, keep_pin=True)
        location.checked = False
    return location


def _distance_ok(location: Location, found) -> bool:
    return distance_m(location.lat, location.long, found.lat, found.long) <= 200


def _placed(location: Location, found, *, keep_pin: bool) -> Location:
    return Location(lat=location.lat if keep_pin else found.lat, long=location.long if keep_pin else found.long,
                    address=found.label, zipcode=found.postcode or location.zipcode, address_id=found.ref,
                    checked=True)


def _check_location(*, lat: Any, long: Any, address: str = "", zipcode: str = "", address_id: str = "") -> Location:
    """A point and/or an address; at least one is needed."""
    errors: dict[str, str] = {}
    address = (address or "").strip()
    has_lat = lat not in (None, "")
    has_long = long not in (None, "")
    flat = flong = None
    if has_lat != has_long:
        errors["location"] = _("Give both latitude and longitude, or neither.")
    elif has_lat:
        try:
            flat, flong = float(lat), float(long)
        except (TypeError, ValueError):
            errors["location"] = _("Latitude and longitude must be numbers.")
        else:
            if not (-90 <= flat <= 90 and -180 <= flong <= 180):
                errors["location"] = _("That point is not on the map (latitude −90 to 90, longitude −180 to 180).")
    address_id = (address_id or "").strip()
    if len(address_id) > 64:
        errors["address_id"] = _("Keep the address ID under 64 characters.")
    if not errors and flat is None and not address and not address_id:
        errors["location"] = _("Pick the place on the map or type an address.")
    if len(address) > 255:
        errors["address"] = _("Keep the address under 255 characters.")
    elif address and not any(c.isalpha() for c in address):
        errors["address"] = _("Type a street address with its street name, for example 1228 Elm St.")
    if errors:
        raise ValidationError(errors)
    return Location(lat=flat, long=flong, address=address, zipcode=(zipcode or "").strip()[:12],
                    address_id=address_id)


# --- photos ---------------------------------------------------------------------------

def stage_photo(*, upload_key: str, name: str, raw: bytes) -> RequestPhoto:
    """Validate and store one photo for a request that is still being written.

    Raises ValidationError if the photo is bad or the request already has the maximum.
    """
    limit = settings.CIVICDESK_MAX_PHOTOS
    if RequestPhoto.objects.filter(upload_key=upload_key, request__isnull=True).count() >= limit:
        raise ValidationError(_("A request can have at most %(n)s photos.") % {"n": limit})
    clean = clean_photo(name, raw)
    photo = RequestPhoto(upload_key=upload_key, width=clean.width, height=clean.height,
                         original_name=name[:120])
    photo.image.save(f"{secrets.token_hex(12)}.jpg", ContentFile(clean.data), save=False)
    photo.save()
    return photo


def _drop_repeated_photos(req: ServiceRequest) -> int:
    """Two sends of one form that arrive together (a phone back online, its page and its
    service worker both sending) each stage the same photo before either files the request;
    the request keeps one of each. Photos are re-encoded by us, so the same photo gives the
    same bytes. Returns how many were dropped."""
    seen, dropped = set(), 0
    for photo in RequestPhoto.objects.filter(request=req).order_by("pk"):
        with photo.image.open("rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest in seen:
            name, storage = photo.image.name, photo.image.storage
            photo.delete()
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
            dropped += 1
        seen.add(digest)
    return dropped


def staged_photos(upload_key: str):
    return RequestPhoto.objects.filter(upload_key=upload_key, request__isnull=True)


# --- duplicates -----------------------------------------------------------------------

def find_nearby_open_requests(*, service: Service, lat: float | None, long: float | None,
                              radius_m: float | None = None, limit: int = 5) -> list[ServiceRequest]:
    """Open requests for the same service within ``radius_m`` (default from settings), nearest first."""
    if lat is None or long is None:
        return []
    radius = settings.CIVICDESK_DUPLICATE_RADIUS_M if radius_m is None else radius_m
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, long, radius)
    candidates = ServiceRequest.objects.filter(
        service=service, status__in=OPEN_STATUSES,
        lat__range=(min_lat, max_lat), long__range=(min_lon, max_lon),
    ).select_related("service")[:200]
    scored = [(distance_m(lat, long, r.lat, r.long), r) for r in candidates]
    scored = [item for item in scored if item[0] <= radius]
    scored.sort(key=lambda item: item[0])
    for d, r in scored:
        r.distance_m = round(d)
    return [r for _d, r in scored[:limit]]


# --- submitting -----------------------------------------------------------------------

@dataclass
class Contact:
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""


@dataclass
class Submission:
    """``redacted``: kinds of identifiers masked out of what the resident wrote."""

    request: ServiceRequest
    created: bool
    redacted: set = field(default_factory=set)


def clean_contact(*, email: str = "", first_name: str = "", last_name: str = "", phone: str = "") -> Contact:
    errors = {}
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter an email address like name@example.com.")
    phone = (phone or "").strip()
    if phone and (len(phone) > 40 or sum(c.isdigit() for c in phone) < 7):
        errors["phone"] = _("Enter a phone number with at least 7 digits.")
    if len(first_name or "") > 80 or len(last_name or "") > 80:
        errors["name"] = _("Keep names under 80 characters.")
    if errors:
        raise ValidationError(errors)
    return Contact(email=email, first_name=(first_name or "").strip(), last_name=(last_name or "").strip(), phone=phone)


def access_token_for(request: ServiceRequest) -> str:
    """The secret that lets an anonymous submitter manage their request (link in the email)."""
    return salted_hmac("civicdesk.request-access", f"{request.pk}:{request.access_salt}").hexdigest()[:32]


def check_access_token(request: ServiceRequest, token: str) -> bool:
    return bool(token) and constant_time_compare(access_token_for(request), token)


def contact_token_for(request: ServiceRequest) -> str:
    """The secret in the email that asks the contact address to confirm it is the filer's."""
    return salted_hmac("civicdesk.request-contact",
                       f"{request.pk}:{request.access_salt}:{request.contact_email}").hexdigest()[:32]


def confirm_contact(*, request: ServiceRequest, token: str) -> bool:
    """The contact address proved it is the filer's: link the request to that resident's
    account (created if new) so it shows under "My requests" and updates are emailed."""
    if not request.contact_email or not constant_time_compare(contact_token_for(request), token or ""):
        return False
    with transaction.atomic():
        req = _lock(request)
        if req.contact_confirmed_at is None:
            first, _sep, last = req.contact_name.partition(" ")
            resident, _created = Resident.objects.get_or_create(
                email=req.contact_email, defaults={"first_name": first[:80], "last_name": last[:80],
                                                   "phone": req.contact_phone, "preferred_language": req.language})
            req.contact_confirmed_at = timezone.now()
            req.resident = req.resident or resident
            req.save(update_fields=["contact_confirmed_at", "resident"])
        request.contact_confirmed_at, request.resident_id = req.contact_confirmed_at, req.resident_id
    return True


def _resident_for(contact: Contact, resident: Resident | None) -> Resident | None:
    """Only a signed-in resident is linked at once. An address typed on a form may be
    anybody's: it is linked when its owner confirms (``confirm_contact``)."""
    return resident


def submit_request(
    *,
    service: Service,
    description: str = "",
    answers: dict[str, Any] | None = None,
    location: Location,
    contact: Contact | None = None,
    resident: Resident | None = None,
    language: str = "en",
    channel: str = "web",
    submission_key: str | None = None,
    upload_key: str | None = None,
    submitted_at=None,
    media_url: str = "",
    client_meta: dict | None = None,
) -> Submission:
    """File a service request, the one way every channel does it.

    ``answers`` must come from ``clean_answers`` and ``location`` from ``clean_location``.
    With a ``submission_key`` a retry returns the first request instead of a new one.
    Photos staged under ``upload_key`` are attached.
    """
    if not service.active:
        raise ValidationError({"service": _("This service no longer takes requests.")})
    description, redacted = redact((description or "").strip())
    answers = dict(answers or {})
    for code, value in answers.items():
        if isinstance(value, str):
            answers[code], found = redact(value)
            redacted |= found
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError({"description": _("Keep the description under %(limit)s characters (it has %(n)s).")
                               % {"limit": MAX_DESCRIPTION, "n": len(description)}})
    contact = contact or Contact()
    if resident is not None:
        contact = Contact(
            email=contact.email or resident.email, first_name=contact.first_name or resident.first_name,
            last_name=contact.last_name or resident.last_name, phone=contact.phone or resident.phone)
    # A retry with the same submission key hits the unique constraint and gets the
    # first request back; the common path costs no extra query. A submission that writes
    # nothing but the request and its first event is one statement on PostgreSQL
    # (core/db.py), atomic without a transaction; anything more takes one.
    rule = priority_rule_for(service, answers)
    more_writes = bool(upload_key or contact.email or rule or _webhooks_active())
    try:
        with transaction.atomic() if more_writes else nullcontext():
            req = _create_request(service=service, description=description, answers=answers or {},
                                  location=location, contact=contact, resident=resident, language=language,
                                  channel=channel, submission_key=submission_key, upload_key=upload_key,
                                  submitted_at=submitted_at or timezone.now(), media_url=media_url,
                                  client_meta=client_meta or {}, rule=rule)
    except IntegrityError:
        if submission_key:
            existing = ServiceRequest.objects.filter(submission_key=submission_key).first()
            if existing:
                return Submission(existing, created=False)
        raise
    return Submission(req, created=True, redacted=redacted)


def _year(submitted_at) -> int:
    return submitted_at.astimezone(timezone.get_default_timezone()).year


def _public_id(submitted_at, pk: int) -> str:
    """``2026-004213``: the year in the agency's time zone and the row ID. The database
    writes it (migration cases/0005) from the ``2026-`` the INSERT carries."""
    return f"{_year(submitted_at)}-{pk:06d}"


def priority_rule_for(service: Service, answers: dict) -> PriorityRule | None:
    """The service's first rule the answers trigger (shortest target first), if any. Rules
    come from the catalog snapshot, so a submission costs no query for them."""
    if not answers:
        return None
    loaded = snapshot.active_service_by_id(service.pk) or service
    return next((r for r in loaded.priority_rules.all() if r.matches(answers)), None)


def _create_request(*, service, description, answers, location, contact, resident, language, channel,
                    submission_key, upload_key, submitted_at, media_url, client_meta,
                    rule: PriorityRule | None = None) -> ServiceRequest:
    department = service.department
    req = ServiceRequest(
        public_id=f"{_year(submitted_at)}-",  # the database appends the row ID
        service=service, department=department, description=description, answers=answers,
        lat=location.lat, long=location.long, address=location.address, zipcode=location.zipcode,
        address_id=location.address_id, location_checked=location.checked, media_url=media_url,
        client_meta=client_meta,
        resident=_resident_for(contact, resident),
        contact_email=contact.email, contact_phone=contact.phone,
        contact_confirmed_at=submitted_at if resident is not None and contact.email
        and contact.email == (resident.email or "").lower() else None,
        contact_name=f"{contact.first_name} {contact.last_name}".strip(),
        language=language, channel=channel, submission_key=submission_key,
        access_salt=secrets.token_hex(16),
        submitted_at=submitted_at, updated_at=submitted_at,
        sla_due_at=add_business_hours(submitted_at, service.sla_hours, department.schedule(), department.timezone),
    )
    if rule is not None:  # an emergency: day and night, not business hours
        req.priority, req.sla_due_at = rule.priority, submitted_at + timedelta(hours=rule.target_hours)
    if publication.held_for_review(service) and (description or media_url or any(isinstance(v, str) and v for v in answers.values())):
        req.review = Review.PENDING  # the public sees the words once staff have checked them
        req.needs_review = True
    event = TimelineEvent(
        kind=TimelineEvent.Kind.SUBMITTED, public=True, actor_label=str(_("Resident")),
        status_to=Status.SUBMITTED, created_at=submitted_at)
    insert_with_child(req, event, link="request")
    req.public_id = _public_id(submitted_at, req.pk)  # as the database stored it
    if upload_key:
        held = publication.held_for_review(service)
        attached = staged_photos(upload_key).update(
            request=req, **({"review": Review.PENDING} if held else {}))
        attached -= _drop_repeated_photos(req)
        if held and attached and not req.needs_review:
            req.needs_review = True
            req.save(update_fields=["needs_review"])
    _notify(event, email=bool(req.contact_email))  # nobody follows a request at the moment it is filed
    if rule is not None:
        _apply_rule(req, rule)
    return req


def _apply_rule(req: ServiceRequest, rule: PriorityRule) -> None:
    """The rule on the timeline (public: the resident sees it is urgent, not why), and the
    on-call alert queued in the same transaction."""
    question = rule.question
    with translation.override(settings.LANGUAGE_CODE):  # staff's timeline, whatever the filer's language
        event = TimelineEvent.objects.create(
            request=req, kind=TimelineEvent.Kind.PRIORITY, public=True, actor_label=str(_("Automatic rule")),
            created_at=req.submitted_at,
            message=_("Marked %(priority)s by the answer to “%(question)s”: target within %(hours)s hours.") % {
                "priority": PriorityRule.Level(rule.priority).label.lower(), "question": question.description,
                "hours": rule.target_hours})
    _notify(event, email=False)  # the "received" email already says what happens next
    # An import of old requests (submitted_at in the past) pages nobody.
    if rule.alert_on_call and timezone.now() - req.submitted_at < timedelta(hours=1):
        from .tasks import alert_on_call

        enqueue_on_commit(alert_on_call, event.pk)


# --- staff actions --------------------------------------------------------------------

WEBHOOK_EVENT_TYPES = {
    TimelineEvent.Kind.SUBMITTED: "request.created",
    TimelineEvent.Kind.STATUS: "request.status_changed",
    TimelineEvent.Kind.REOPENED: "request.status_changed",
    TimelineEvent.Kind.NOTE: "request.note_added",
    TimelineEvent.Kind.ASSIGNED: "request.updated",
    TimelineEvent.Kind.PRIORITY: "request.updated",
}


def _webhooks_active() -> bool:
    from civicdesk.integrations import webhooks

    return bool(webhooks.active_endpoints())


def _notify(event: TimelineEvent, *, email: bool = True) -> None:
    """Side effects of a timeline event, queued in the current transaction: the email to
    the submitter and followers (public events) and the webhooks (public notes only)."""
    if email and event.public:
        from .tasks import notify_request_event

        enqueue_on_commit(notify_request_event, event.pk)
    if event.public:  # area alerts, and anything else that follows public events
        from .signals import public_event

        public_event.send(sender=TimelineEvent, event=event)
    event_type = WEBHOOK_EVENT_TYPES.get(event.kind)
    if event_type and (event.public or event.kind != TimelineEvent.Kind.NOTE):
        if _webhooks_active():
            from civicdesk.integrations import webhooks
            from civicdesk.integrations.payloads import event_payload

            webhooks.emit(event_type, event_payload(event))


def _lock(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


def change_status(*, request: ServiceRequest, actor: User, status: str, message: str = "",
                  reason: str = "", duplicate_of: ServiceRequest | None = None, at=None) -> TimelineEvent:
    """Move a request to ``status`` with a public update; refuse moves the workflow forbids.

    ``at`` backdates the change (imports of historical data); default now.
    """
    with transaction.atomic():
        req = _lock(request)
        if status not in Status.values:
            raise ValidationError({"status": _("Unknown status.")})
        if status not in TRANSITIONS[req.status]:
            raise ValidationError({"status": _("A request that is %(current)s cannot become %(new)s.") % {
                "current": Status(req.status).label.lower(), "new": Status(status).label.lower()}})
        reason = (reason or "").strip()
        if status in REASON_REQUIRED and not reason:
            raise ValidationError({"reason": _("Say why, so the resident understands.")})
        if status == Status.DUPLICATE:
            if duplicate_of is None:
                raise ValidationError({"duplicate_of": _("Give the ID of the request this one duplicates.")})
            if duplicate_of.pk == req.pk or duplicate_of.status == Status.DUPLICATE:
                raise ValidationError({"duplicate_of": _("Choose a different, original request.")})
            req.duplicate_of = duplicate_of
            if not reason:
                reason = _("Already reported as %(id)s.") % {"id": duplicate_of.public_id}
        now = at or timezone.now()
        old = req.status
        req.status = status
        req.status_reason = reason
        req.updated_at = now
        if status == Status.RESOLVED:
            req.resolved_at = now
            from civicdesk.surveys.tasks import invite_after_resolution

            enqueue_on_commit(invite_after_resolution, req.pk)
        if status in (Status.CLOSED, Status.DUPLICATE, Status.REJECTED):
            req.closed_at = now
            req.resolved_at = req.resolved_at or now
        if status == Status.IN_PROGRESS and old == Status.RESOLVED:
            req.resolved_at = None
        req.save(update_fields=["status", "status_reason", "updated_at", "resolved_at", "closed_at", "duplicate_of"])
        text = (message or "").strip()
        if reason and reason not in text:
            text = f"{text}\n\n{reason}".strip() if text else reason
        event = TimelineEvent.objects.create(
            request=req, kind=TimelineEvent.Kind.STATUS, public=True, actor=actor,
            actor_label=req.department.display_name, status_from=old, status_to=status, message=text,
            created_at=now)
        _notify(event)
    request.refresh_from_db()
    return event


def add_note(*, request: ServiceRequest, actor: User, message: str, public: bool = False) -> TimelineEvent:
    """An internal note (staff only) or a public update (shown and emailed to the resident)."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write the note first.")})
    with transaction.atomic():
        req = _lock(request)
        req.updated_at = timezone.now()
        req.save(update_fields=["updated_at"])
        event = TimelineEvent.objects.create(
            request=req, kind=TimelineEvent.Kind.NOTE, public=public, actor=actor,
            actor_label=req.department.display_name if public else actor.display_name, message=message)
        _notify(event)
    return event


def assign(*, request: ServiceRequest, actor: User, assignee: User | None) -> TimelineEvent:
    """Give the request to a staff member of its department (or to nobody)."""
    with transaction.atomic():
        req = _lock(request)
        if assignee is not None and not is_person(assignee):
            raise ValidationError({"assignee": _("Requests go to people, not to integration accounts.")})
        if assignee is not None and not (
            assignee.sees_all_departments or assignee.departments.filter(pk=req.department_id).exists()
        ):
            raise ValidationError({"assignee": _("%(name)s does not work for %(dept)s.") % {
                "name": assignee.display_name, "dept": req.department.display_name}})
        req.assigned_to = assignee
        req.updated_at = timezone.now()
        req.save(update_fields=["assigned_to", "updated_at"])
        event = TimelineEvent.objects.create(
            request=req, kind=TimelineEvent.Kind.ASSIGNED, public=False, actor=actor,
            actor_label=actor.display_name,
            message=_("Assigned to %(name)s") % {"name": assignee.display_name} if assignee else _("Unassigned"))
        _notify(event)
    request.refresh_from_db()
    return event


def reopen(*, request: ServiceRequest, reason: str) -> TimelineEvent:
    """A resident says the fix did not hold: back to in progress, within the reopen window."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell us what is still wrong.")})
    with transaction.atomic():
        req = _lock(request)
        if req.status != Status.RESOLVED or req.resolved_at is None:
            raise ValidationError(_("Only a resolved request can be reopened."))
        window = timedelta(days=settings.CIVICDESK_REOPEN_DAYS)
        if timezone.now() - req.resolved_at > window:
            raise ValidationError(_("This request was resolved more than %(days)s days ago; please file a new one.")
                                  % {"days": settings.CIVICDESK_REOPEN_DAYS})
        now = timezone.now()
        req.status = Status.IN_PROGRESS
        req.status_reason = ""
        req.resolved_at = None
        req.updated_at = now
        req.save(update_fields=["status", "status_reason", "resolved_at", "updated_at"])
        held = publication.held_for_review(req.service)  # the status change is public; the words wait
        event = TimelineEvent.objects.create(
            request=req, kind=TimelineEvent.Kind.REOPENED, public=True, actor_label=str(_("Resident")),
            status_from=Status.RESOLVED, status_to=Status.IN_PROGRESS, message=reason, created_at=now,
            review=Review.PENDING if held else Review.PUBLISHED)
        if held and not req.needs_review:
            req.needs_review = True
            req.save(update_fields=["needs_review"])
        _notify(event)
    request.refresh_from_db()
    return event


def add_information(*, request: ServiceRequest, text: str, upload_key: str | None = None) -> TimelineEvent:
    """The filer adds words and/or photos after filing: a public timeline event by the
    resident, the photos attached (within the per-request limit). The same words again
    within ten minutes (a retried form) add nothing."""
    text, _redacted = redact((text or "").strip())
    staged = staged_photos(upload_key) if upload_key else RequestPhoto.objects.none()
    if not text and not staged.exists():
        raise ValidationError({"text": _("Write what you want to add, or add a photo.")})
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError({"text": _("Keep it under %(limit)s characters (it has %(n)s).")
                               % {"limit": MAX_DESCRIPTION, "n": len(text)}})
    resident_label = str(_("Resident"))
    with transaction.atomic():
        req = _lock(request)
        if req.status in (Status.CLOSED, Status.DUPLICATE):
            raise ValidationError(_("This request is closed. If the problem is back, file a new request."))
        now = timezone.now()
        if text and not staged.exists():
            same = req.events.filter(kind=TimelineEvent.Kind.NOTE, actor_label=resident_label, message=text,
                                     created_at__gte=now - timedelta(minutes=10)).first()
            if same:
                return same
        limit = settings.CIVICDESK_MAX_PHOTOS
        if staged.exists() and req.photos.count() + staged.count() > limit:
            raise ValidationError({"photos": _("A request can have at most %(n)s photos.") % {"n": limit}})
        held = publication.held_for_review(req.service)
        pending = {"review": Review.PENDING} if held else {}
        staged.update(request=req, **pending)
        event = TimelineEvent.objects.create(
            request=req, kind=TimelineEvent.Kind.NOTE, public=True, actor_label=resident_label,
            message=text or str(_("Added photos.")), created_at=now, **pending)
        req.updated_at = now
        req.needs_review = req.needs_review or held
        req.save(update_fields=["updated_at", "needs_review"])
        _notify(event, email=False)  # the team sees it; the filer needs no email about their own words
    return event


# --- moderation -----------------------------------------------------------------------

# Timeline events that carry a resident's own words: information added after filing and
# the reason given for reopening.
RESIDENT_WORDS = (TimelineEvent.Kind.NOTE, TimelineEvent.Kind.REOPENED)


class Moderation:
    APPROVE, HIDE, EDIT = "approve", "hide", "edit"
    ACTIONS = (APPROVE, HIDE, EDIT)


def moderate(*, request: ServiceRequest, actor: User, item: str, action: str, reason: str = "",
             text: str = "", at=None) -> TimelineEvent:
    """Publish, hide or (the description only) edit what a resident wrote or sent, before
    or after it was public. ``item`` is "text" (the description and answers), "photo:<id>"
    or "note:<id>" (information the resident added, or their reason for reopening). Hiding and editing need a reason; the
    step is an internal timeline event, and the resident sees the outcome on their page.
    The resident's own words are never changed: an edit is a public version beside them."""
    reason = (reason or "").strip()[:300]
    if action not in Moderation.ACTIONS:
        raise ValidationError({"action": _("Choose publish, hide or edit.")})
    if action != Moderation.APPROVE and not reason:
        raise ValidationError({"reason": _("Say why, so the resident and your colleagues understand.")})
    now = at or timezone.now()
    with transaction.atomic():
        req = _lock(request)
        kind, _sep, ref = item.partition(":")
        number = 0
        if kind == "text":
            if action == Moderation.EDIT:
                text = (text or "").strip()
                if not text:
                    raise ValidationError({"text": _("Write the text the public should see, or hide it.")})
                if len(text) > MAX_DESCRIPTION:
                    raise ValidationError({"text": _("Keep it under %(limit)s characters (it has %(n)s).")
                                           % {"limit": MAX_DESCRIPTION, "n": len(text)}})
                req.public_description, req.review = redact(text)[0], Review.PUBLISHED
                what = gettext_lazy("Description edited for the public")
            else:
                req.review = Review.PUBLISHED if action == Moderation.APPROVE else Review.HIDDEN
                if action == Moderation.APPROVE:
                    req.public_description = ""  # as the resident wrote it
                what = (gettext_lazy("Description published as written") if action == Moderation.APPROVE
                        else gettext_lazy("Description hidden from the public"))
            req.review_reason = reason
        elif kind in ("photo", "note") and ref.isdigit():
            if action == Moderation.EDIT:
                raise ValidationError({"action": _("Only the description can be edited; hide this instead.")})
            target = (req.photos.filter(pk=ref).first() if kind == "photo" else
                      req.events.filter(pk=ref, kind__in=RESIDENT_WORDS, actor__isnull=True,
                                        public=True).first())
            if target is None:  # another request's photo or note, or a staff note
                raise ValidationError({"item": _("That is not part of this request.")})
            target.review = Review.PUBLISHED if action == Moderation.APPROVE else Review.HIDDEN
            target.review_reason = reason
            changed = ["review", "review_reason"]
            if kind == "photo" and action == Moderation.HIDE:
                _move_photo(target)  # the address it was published at stops working
                changed.append("image")
            target.save(update_fields=changed)
            number = _photo_number(req, target.pk) if kind == "photo" else 0
            what = {("photo", True): gettext_lazy("Photo %(n)s published"),
                    ("photo", False): gettext_lazy("Photo %(n)s hidden from the public"),
                    ("note", True): gettext_lazy("Added information published"),
                    ("note", False): gettext_lazy("Added information hidden from the public")}[
                        (kind, action == Moderation.APPROVE)]
        else:
            raise ValidationError({"item": _("That is not part of this request.")})
        req.needs_review = (req.review == Review.PENDING or req.photos.filter(review=Review.PENDING).exists()
                            or req.events.filter(review=Review.PENDING).exists())
        req.save(update_fields=["review", "review_reason", "public_description", "needs_review"])
        with translation.override(settings.LANGUAGE_CODE):  # the staff's timeline
            message = str(what) % {"n": number} if kind == "photo" else str(what)
        message = f"{message}: {reason}" if reason else message
        return TimelineEvent.objects.create(
            request=req, kind=TimelineEvent.Kind.MODERATED, public=False, actor=actor,
            actor_label=actor.display_name, message=message, created_at=now)


def _move_photo(photo: RequestPhoto) -> None:
    """Photo files are served by their (random) name: a hidden photo gets a new one, so the
    address the public may already have seen (the page, Open311 media_url) goes dead."""
    storage, old = photo.image.storage, photo.image.name
    with photo.image.open("rb") as f:
        data = f.read()
    photo.image.name = storage.save(f"requests/held/{secrets.token_hex(16)}.jpg", ContentFile(data))
    storage.delete(old)


def _photo_number(req: ServiceRequest, photo_pk: int) -> int:
    """The photo's number as the case page counts them (1 = the first sent)."""
    return req.photos.filter(pk__lte=photo_pk).count()


# --- following ------------------------------------------------------------------------

def follow(*, request: ServiceRequest, email: str, language: str = "en",
           resident: Resident | None = None) -> Follower:
    """Ask for email updates. A stranger's address must confirm by a link first."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter an email address like name@example.com.")}) from None
    with transaction.atomic():
        follower, created = Follower.objects.get_or_create(
            request=request, email=email, defaults={"language": language, "token": secrets.token_urlsafe(32)})
        trusted = resident is not None and resident.email == email
        if trusted and not follower.confirmed_at:
            follower.confirmed_at = timezone.now()
            follower.save(update_fields=["confirmed_at"])
        elif not follower.confirmed_at and created:
            from .tasks import send_follow_confirmation

            enqueue_on_commit(send_follow_confirmation, follower.pk)
    return follower


def confirm_follow(*, token: str) -> Follower | None:
    follower = Follower.objects.select_related("request").filter(token=token).first()
    if follower and not follower.confirmed_at:
        follower.confirmed_at = timezone.now()
        follower.save(update_fields=["confirmed_at"])
    return follower


def unfollow(*, token: str) -> Follower | None:
    follower = Follower.objects.select_related("request").filter(token=token).first()
    if follower:
        Follower.objects.filter(pk=follower.pk).delete()
    return follower


# --- the work queue ----------------------------------------------------------------------

BULK_LIMIT = 200  # requests in one bulk change


def bulk_change(*, key: str, requests: list[ServiceRequest], actor: User, assignee: User | None = None,
                unassign: bool = False, status: str = "", message: str = "", reason: str = "",
                ip: str | None = None) -> BulkChange:
    """Assign and/or move several requests at once, with the same public update on each (the
    resident of each hears once). Each request is its own transaction, which also records it
    in the change and in the audit log: one the workflow refuses is listed with why, the others
    go ahead. The form's `key` makes a second sending return the first result and change
    nothing; a change cut off half way (a restart) goes on where it stopped when sent again."""
    if not key or len(key) > 64:
        raise ValidationError({"key": _("This form has expired: reload the page and try again.")})
    if not requests:
        raise ValidationError({"requests": _("Tick at least one request.")})
    if len(requests) > BULK_LIMIT:
        raise ValidationError({"requests": _("Change at most %(n)s requests at once.") % {"n": BULK_LIMIT}})
    message = (message or "").strip()
    if not (assignee or unassign or status or message):
        raise ValidationError({"action": _("Choose someone to assign, a new status or an update to post.")})
    change, _created = BulkChange.objects.get_or_create(key=key, defaults={"actor": actor})
    if change.done_at is not None:
        change.replayed = True  # sent twice: the first one stands
        return change
    what = "; ".join(filter(None, [
        f"assigned to {assignee.get_username()}" if assignee else "unassigned" if unassign else "",
        f"status {status}" if status else "", "public update" if message else ""]))
    for req in requests:
        try:
            with transaction.atomic():
                # the change's row, locked: a second sending running at the same time waits
                # here, then sees this request done
                row = BulkChange.objects.select_for_update().get(pk=change.pk)
                if req.public_id in row.changed or req.public_id in {r[0] for r in row.refused}:
                    continue
                if assignee is not None or unassign:
                    assign(request=req, actor=actor, assignee=assignee)
                if status:
                    change_status(request=req, actor=actor, status=status, message=message, reason=reason)
                elif message:
                    add_note(request=req, actor=actor, message=message, public=True)
                row.changed.append(req.public_id)
                row.save(update_fields=["changed"])
                record_access(actor=actor, action="bulk_update", object_type="service_request",
                              object_id=req.public_id, ip=ip, detail=f"{what} (bulk change {change.pk})")
        except ValidationError as e:
            with transaction.atomic():
                row = BulkChange.objects.select_for_update().get(pk=change.pk)
                row.refused.append([req.public_id, " ".join(e.messages)])
                row.save(update_fields=["refused"])
    BulkChange.objects.filter(pk=change.pk, done_at__isnull=True).update(done_at=timezone.now())
    change.refresh_from_db()
    return change


def save_view(*, user: User, name: str, query: str) -> SavedView:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    if len(name) > 60:
        raise ValidationError({"name": _("Keep the name under 60 characters.")})
    query = "&".join(p for p in (query or "").lstrip("?").split("&") if p and not p.startswith(("page=", "csrf")))[:500]
    view, _created = SavedView.objects.update_or_create(user=user, name=name, defaults={"query": query})
    return view
