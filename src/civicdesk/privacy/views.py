"""The resident's privacy controls (account page) and staff review of erasure requests."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.cases.selectors import resident_for_staff
from civicdesk.console.views import safe_next, staff_required
from civicdesk.core.csvexport import csv_response
from civicdesk.core.pagination import CappedPaginator
from civicdesk.core.params import pk_or_none

from . import data_rights, selectors
from .models import Consent, ErasureRequest
from .services import VISIT, client_ip, record_access

WORDING = {
    Consent.Purpose.CONTACT: lambda: _("Contact me by email or text about my requests and messages."),
    Consent.Purpose.REMEMBER: lambda: _("Remember me across channels, so staff can see my earlier requests and chats."),
    Consent.Purpose.SURVEYS: lambda: _("Invite me to short surveys about the service I received."),
}
DEFAULTS = {Consent.Purpose.CONTACT: True, Consent.Purpose.REMEMBER: True,
            Consent.Purpose.SURVEYS: settings.CIVICDESK_SURVEY_CONSENT_DEFAULT}


def _resident(request):
    if request.resident is None:
        raise Http404
    return request.resident


def consent_rows(resident) -> list[dict]:
    state = data_rights.current_consents(resident)
    return [{"purpose": p, "wording": WORDING[p](), "granted": state.get(p, DEFAULTS[p])} for p in Consent.Purpose]


STAFF_SOURCES = {"phone": lambda: _("By phone"), "email": lambda: _("By email"), "chat": lambda: _("In a chat"),
                 "in_person": lambda: _("In person"), "letter": lambda: _("By letter")}


@staff_required
@require_POST
def staff_update_consents(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Staff record a resident's choices when the resident asks them to (by phone, in person…).
    The row says who recorded it, how the resident asked and the wording in the resident's language."""
    resident = resident_for_staff(request.user, resident_id)
    source = request.POST.get("source", "")
    note = request.POST.get("note", "").strip()
    if source not in STAFF_SOURCES or not note:
        messages.error(request, _("Say how the resident asked (phone, email, chat, in person, letter) and add a "
                                  "short note, for example what they said."))
        return redirect(safe_next(request, "console:inbox"))
    state = data_rights.current_consents(resident)
    changed = []
    with translation.override(resident.preferred_language or "en"):
        for purpose in Consent.Purpose:
            wanted = request.POST.get(f"consent_{purpose}") == "on"
            if state.get(purpose, DEFAULTS[purpose]) != wanted or purpose not in state:
                wording = f"{WORDING[purpose]()} [{STAFF_SOURCES[source]()}: {note[:300]}]"
                data_rights.record_consent(resident=resident, purpose=purpose, granted=wanted, wording=wording,
                                           source="staff", by=request.user)
                changed.append(f"{purpose}={'yes' if wanted else 'no'}")
    record_access(actor=request.user, action="change_consent", object_type="resident", object_id=resident.pk,
                  ip=client_ip(request), detail=f"{source}: {', '.join(changed) or 'no change'}")
    messages.success(request, _("The resident's choices are saved.") if changed else _("Nothing changed."))
    return redirect(safe_next(request, "console:inbox"))


@require_POST
def update_consents(request: HttpRequest) -> HttpResponse:
    resident = _resident(request)
    state = data_rights.current_consents(resident)
    for purpose in Consent.Purpose:
        wanted = request.POST.get(f"consent_{purpose}") == "on"
        if state.get(purpose, DEFAULTS[purpose]) != wanted or purpose not in state:
            data_rights.record_consent(resident=resident, purpose=purpose, granted=wanted,
                                       wording=WORDING[purpose](), source="web")
    messages.success(request, _("Your choices are saved."))
    return redirect("portal:account")


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    resident = _resident(request)
    if fmt not in ("json", "html"):
        raise Http404
    data = data_rights.export_data(resident)
    if fmt == "json":
        response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
        return response
    return render(request, "privacy/export.html", {"data": data})


@require_POST
def request_erasure(request: HttpRequest) -> HttpResponse:
    resident = _resident(request)
    if ErasureRequest.objects.filter(resident=resident, state=ErasureRequest.State.PENDING).exists():
        messages.info(request, _("We already have your request; staff will review it."))
    else:
        data_rights.request_erasure(resident=resident, reason=request.POST.get("reason", ""))
        messages.success(request, _("We received your request to erase your data. Staff will review it within 30 days "
                                    "and email you the decision."))
    return redirect("portal:account")


def _privacy_officer(user) -> bool:
    return user.is_superuser or user.role in ("supervisor", "administrator")


@staff_required
def erasure_queue(request: HttpRequest) -> HttpResponse:
    if not _privacy_officer(request.user):
        raise Http404
    if request.method == "POST":
        erasure = ErasureRequest.objects.filter(pk=pk_or_none(request.POST.get("id"))).first()
        reason = request.POST.get("decision_reason", "").strip()
        if erasure is None:
            raise Http404
        if not reason:
            messages.error(request, _("Give the reason for the decision; it is kept with it."))
        else:
            data_rights.decide_erasure(erasure=erasure, by=request.user, approve=request.POST.get("approve") == "1",
                                       reason=reason)
            messages.success(request, _("Decision recorded."))
        return redirect("console:erasures")
    rows = ErasureRequest.objects.select_related("resident", "decided_by")[:200]
    for r in rows:
        if r.resident_id and r.state == ErasureRequest.State.PENDING:
            record_access(actor=request.user, action="view_resident", object_type="resident", object_id=r.resident_id,
                          ip=client_ip(request), detail="erasure review", once_within=VISIT)
    return render(request, "privacy/erasures.html", {"rows": rows})


EXPORT_LIMIT = 100_000  # rows in one CSV (built in memory: about 20 MB)


@staff_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Supervisors and administrators search the audit trail (read only) and export it."""
    if not _privacy_officer(request.user):
        raise Http404
    f, errors = selectors.parse_filters(request.GET)
    qs = selectors.entries(f)
    if request.GET.get("export") == "csv" and not errors \
            and qs.order_by()[:EXPORT_LIMIT + 1].count() > EXPORT_LIMIT:
        errors.append(_("More than %(n)s entries match: choose a shorter period to export them.")
                      % {"n": f"{EXPORT_LIMIT:,}"})
    if request.GET.get("export") == "csv" and not errors:
        query = request.GET.copy()
        query.pop("export", None)
        record_access(actor=request.user, action="export", object_type="audit", object_id="",
                      ip=client_ip(request), detail=query.urlencode()[:300])
        return csv_response("audit-log", [
            _("When"), _("Who"), _("Action"), _("Action code"), _("Object type"), _("Object ID"), _("From"),
            _("Detail"), _("Entry"), _("Hash")],
            ([e.at, e.actor_label or "", selectors.action_label(e.action), e.action, e.object_type, e.object_id,
              e.ip or "", e.detail, e.pk, e.hash] for e in qs.iterator(chunk_size=2000)))
    page = CappedPaginator(qs, 100).get_page(request.GET.get("page"))
    for e in page:
        e.label = selectors.action_label(e.action)
    return render(request, "privacy/audit.html", {
        "page": page, "f": f, "errors": errors, "actions": selectors.known_actions(),
        "people": get_user_model().objects.filter(is_staff=True).order_by("username").values_list("username", flat=True),
        "export_query": request.GET.urlencode()})
