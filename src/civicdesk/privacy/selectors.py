"""Reads of the audit trail: the privacy officer's search and its CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEntry

# What each action means, for the list and the CSV (an action not named here shows its code).
ACTION_LABELS = {
    "sign_in": gettext_lazy("Signed in"),
    "sso_sign_in": gettext_lazy("Signed in with single sign-on"),
    "sign_out": gettext_lazy("Signed out"),
    "sign_in_failed": gettext_lazy("Failed sign-in"),
    "sign_out_everywhere": gettext_lazy("Signed out everywhere"),
    "2fa_enrolled": gettext_lazy("Set up two-step sign-in"),
    "2fa_verified": gettext_lazy("Confirmed a sign-in code"),
    "2fa_recovery_code": gettext_lazy("Used a recovery code"),
    "sso_deactivated": gettext_lazy("Deactivated by single sign-on"),
    "view": gettext_lazy("Opened a request"),
    "view_conversation": gettext_lazy("Opened a conversation"),
    "view_resident": gettext_lazy("Saw a resident's details"),
    "change_status": gettext_lazy("Changed a request's status"),
    "moderate": gettext_lazy("Moderated a public text"),
    "bulk_update": gettext_lazy("Changed several requests at once"),
    "log_call": gettext_lazy("Logged a phone call"),
    "change_consent": gettext_lazy("Changed a resident's consent"),
    "export": gettext_lazy("Exported a CSV file"),
    "address_import": gettext_lazy("Imported addresses"),
    "zone_import": gettext_lazy("Imported collection zones"),
    "api.view_request": gettext_lazy("API: read a request"),
    "api.view_resident": gettext_lazy("API: read a resident"),
    "api.create_resident": gettext_lazy("API: added a resident"),
}


def action_label(code: str) -> str:
    """"meeting_minutes_publish" with no name of its own reads "Meeting minutes publish"."""
    label = ACTION_LABELS.get(code)
    return str(label) if label else code.replace("_", " ").replace(".", ": ").capitalize()


@dataclass
class AuditFilters:
    start: date | None = None
    end: date | None = None
    person: str = ""
    resident: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""


def parse_filters(params) -> tuple[AuditFilters, list[str]]:
    """The search form's values, and what is wrong with them (in words)."""
    errors = []
    f = AuditFilters(**{k: str(params.get(k, "")).strip()[:150]
                        for k in ("person", "resident", "action", "object_type", "object_id")})
    for name in ("start", "end"):
        raw = str(params.get(name, "")).strip()
        if raw:
            value = parse_date(raw) if len(raw) == 10 else None
            if value is None:
                errors.append(_("Enter dates like 2026-05-31."))
            setattr(f, name, value)
    if f.start and f.end and f.start > f.end:
        errors.append(_("The start date must be before the end date."))
        f.start, f.end = f.end, f.start
    return f, errors


def _resident_objects(term: str) -> Q:
    """Everything in the trail about one resident (by number, email or phone): their profile,
    their requests and their conversations."""
    from civicdesk.accounts.models import Resident
    from civicdesk.cases.models import ServiceRequest
    from civicdesk.conversations.models import Conversation

    if term.isascii() and term.isdecimal() and len(term) < 12:
        residents = Resident.objects.filter(pk=int(term))
    elif "@" in term:
        residents = Resident.objects.filter(email__iexact=term)
    else:
        residents = Resident.objects.filter(phone=term)
    ids = list(residents.values_list("pk", flat=True)[:20])
    requests = list(ServiceRequest.objects.filter(resident__in=ids).values_list("public_id", flat=True)[:2000])
    conversations = list(Conversation.objects.filter(resident__in=ids).values_list("public_id", flat=True)[:2000])
    return (Q(object_type="resident", object_id__in=[str(i) for i in ids])
            | Q(object_type__in=["service_request", "request"], object_id__in=requests)
            | Q(object_type="conversation", object_id__in=conversations))


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def entries(f: AuditFilters) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.order_by("-id")
    if f.start:
        qs = qs.filter(at__gte=_day_start(f.start))
    if f.end:
        qs = qs.filter(at__lt=_day_start(f.end + timedelta(days=1)))
    if f.person:
        qs = qs.filter(actor_label=f.person)  # the username, exactly: one index range
    if f.resident:
        qs = qs.filter(_resident_objects(f.resident))
    if f.action:
        qs = qs.filter(action=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    return qs


def known_actions() -> list[tuple[str, str]]:
    """The actions with a name, for the search form's suggestions (any other code can be typed)."""
    return sorted(((c, str(label)) for c, label in ACTION_LABELS.items()), key=lambda pair: pair[1].lower())
