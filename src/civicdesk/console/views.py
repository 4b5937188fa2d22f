"""Staff views for service requests: list, open, change status, note, assign.

Every view checks access per object through cases.selectors and writes the audit trail
when staff see a resident's personal details.
"""

from __future__ import annotations

import re
import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from civicdesk.accounts.models import User
from civicdesk.accounts.selectors import people
from civicdesk.cases import escalation, publication, selectors, services
from civicdesk.cases.models import TRANSITIONS, ServiceRequest, Status
from civicdesk.catalog.models import Department, Service
from civicdesk.core.models import by_display_name
from civicdesk.core.pagination import CappedPaginator
from civicdesk.core.params import pk_or_none
from civicdesk.privacy.services import VISIT, client_ip, record_access


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Where a form asked to return to, if that is a page of this site; ``fallback`` otherwise."""
    target = request.POST.get("next", "")
    if (target.startswith("/") and target.isprintable()
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return target
    return reverse(fallback)


def staff_required(view):
    """Signed in, staff, and (when CIVICDESK_REQUIRE_2FA) confirmed with a second factor."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        from .two_factor import needs_second_factor, second_factor_redirect

        if needs_second_factor(request):
            return second_factor_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def request_list(request: HttpRequest) -> HttpResponse:
    f = {
        "department": request.GET.get("department", ""),
        "service": request.GET.get("service", ""),
        "status": request.GET.get("status", "open"),
        "overdue": request.GET.get("overdue") == "1",
        "review": request.GET.get("review") == "1",
        "q": request.GET.get("q", "").strip()[:60],
        "assigned": request.GET.get("assigned", "") if request.GET.get("assigned") in ("me", "none") else "",
    }
    if f["review"] and "status" not in request.GET:
        f["status"] = ""  # the review queue includes closed requests
    qs = selectors.staff_request_list(request.user, **f)
    pager = CappedPaginator(qs, 50)
    if f["q"]:
        pager.cap = 1000  # a search is narrowed by its words, not paged through
    page = pager.get_page(request.GET.get("page"))
    user: User = request.user
    departments = (Department.objects.all() if user.sees_all_departments else user.departments.all()
                   ).prefetch_related("translations")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "console/requests.html", {
        "page": page, "filters": f, "departments": departments, "query": query.urlencode(),
        "queues": [(_("Assigned to me"), "assigned=me"), (_("Overdue in my departments"), "overdue=1"),
                   (_("Unassigned"), "assigned=none"), (_("All open"), "status=open")],
        "saved_views": request.user.saved_views.all(), "bulk_key": uuid.uuid4().hex,
        "assignees": people().filter(Q(departments__in=departments) | Q(all_departments=True)).distinct()
        .order_by("first_name", "username"),
        "escalations": escalation.open_escalations(user)[:20]
        if user.is_superuser or user.role in ("supervisor", "administrator") else [],
        "services": by_display_name(Service.objects.filter(department__in=departments)
                                    .prefetch_related("translations")),
        "statuses": Status.choices, "waiting_for_review": selectors.waiting_for_review_count(user),
    })


PUBLIC_ID = re.compile(r"[A-Za-z0-9-]{1,32}")


@require_POST
@staff_required
def bulk_change(request: HttpRequest) -> HttpResponse:
    """Several requests from the work queue: assign, move and post one public update."""
    back = redirect(reverse("console:requests") + "?" + safe_query(request.POST.get("query", "")))
    ids = [i for i in request.POST.getlist("ids") if PUBLIC_ID.fullmatch(i)][:services.BULK_LIMIT + 1]
    visible = {r.public_id: r for r in selectors.requests_visible_to(request.user).filter(public_id__in=ids)}
    who = request.POST.get("assignee", "")
    assignee = people().filter(pk=pk_or_none(who)).first() if who not in ("", "none") else None
    if who not in ("", "none") and assignee is None:
        messages.error(request, _("Choose someone from the list."))
        return back
    try:
        change = services.bulk_change(
            key=request.POST.get("key", ""), requests=[visible[i] for i in ids if i in visible], actor=request.user,
            assignee=assignee, unassign=who == "none", status=request.POST.get("status", ""),
            message=request.POST.get("message", ""), reason=request.POST.get("reason", ""), ip=client_ip(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return back
    if getattr(change, "replayed", False):
        messages.info(request, _("These changes were already made; nothing was changed again."))
        return back
    # each request changed is in the audit log under its own ID (cases.services.bulk_change)
    if change.changed:
        messages.success(request, ngettext("%(n)s request changed.", "%(n)s requests changed.", len(change.changed))
                         % {"n": len(change.changed)})
    for public_id, why in change.refused:
        messages.error(request, _("%(id)s not changed: %(why)s") % {"id": public_id, "why": why})
    return back


@require_POST
@staff_required
def save_view(request: HttpRequest) -> HttpResponse:
    if request.POST.get("delete"):
        request.user.saved_views.filter(pk=pk_or_none(request.POST["delete"])).delete()
        messages.success(request, _("View removed."))
        return redirect("console:requests")
    query = safe_query(request.POST.get("query", ""))
    try:
        view = services.save_view(user=request.user, name=request.POST.get("name", ""), query=query)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(reverse("console:requests") + "?" + query)
    messages.success(request, _("Saved as “%(name)s”.") % {"name": view.name})
    return redirect(reverse("console:requests") + "?" + view.query)


def safe_query(raw: str) -> str:
    """A list's query string posted back by a form: only the list's own filters."""
    keep = ("department", "service", "status", "overdue", "review", "q", "assigned")
    query = QueryDict(raw[:500]).copy()
    for key in list(query):
        if key not in keep:
            del query[key]
    return query.urlencode()


@staff_required
def request_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    req = selectors.access_request_for_staff(request.user, public_id)
    record_access(actor=request.user, action="view", object_type="service_request", object_id=req.public_id,
                  ip=client_ip(request), once_within=VISIT)
    assignees = people().filter(
        departments=req.department).distinct().order_by("first_name", "username")
    return render(request, "console/request.html", {
        "req": req,
        "events": req.events.select_related("actor").order_by("created_at", "id"),
        "photos": req.photos.all(),
        "moderation": publication.shown(req, req.service).details,  # anything of it can be public at all
        "resident_notes": [e for e in req.events.all() if e.kind in services.RESIDENT_WORDS
                           and e.actor_id is None and e.public and e.message],
        "next_statuses": [(s, Status(s).label) for s in Status.values if s in TRANSITIONS[req.status]],
        "assignees": assignees,
        "answers": selectors.answer_rows(req),
    })


def _back(req: ServiceRequest):
    return redirect("console:request", req.public_id)


@require_POST
@staff_required
def change_status(request: HttpRequest, public_id: str) -> HttpResponse:
    req = selectors.access_request_for_staff(request.user, public_id)
    duplicate_of = None
    dup_id = request.POST.get("duplicate_of", "").strip()
    if dup_id:
        duplicate_of = ServiceRequest.objects.filter(public_id=dup_id).first()
        if duplicate_of is None:
            messages.error(request, _("No request %(id)s.") % {"id": dup_id})
            return _back(req)
    try:
        services.change_status(request=req, actor=request.user, status=request.POST.get("status", ""),
                               message=request.POST.get("message", ""), reason=request.POST.get("reason", ""),
                               duplicate_of=duplicate_of)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        record_access(actor=request.user, action="change_status", object_type="service_request",
                      object_id=req.public_id, ip=client_ip(request), detail=req.status)
        messages.success(request, _("Status is now %(status)s.") % {"status": req.get_status_display().lower()})
    return _back(req)


@require_POST
@staff_required
def add_note(request: HttpRequest, public_id: str) -> HttpResponse:
    req = selectors.access_request_for_staff(request.user, public_id)
    public = request.POST.get("visibility") == "public"
    try:
        services.add_note(request=req, actor=request.user, message=request.POST.get("message", ""), public=public)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Public update posted.") if public else _("Internal note added."))
    return _back(req)


@require_POST
@staff_required
def moderate(request: HttpRequest, public_id: str) -> HttpResponse:
    """Publish, hide or edit a resident's words or photo (cases.services.moderate); audited."""
    req = selectors.access_request_for_staff(request.user, public_id)
    item, action = request.POST.get("item", ""), request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    try:
        services.moderate(request=req, actor=request.user, item=item, action=action, reason=reason,
                          text=request.POST.get("text", ""))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        record_access(actor=request.user, action="moderate", object_type="service_request",
                      object_id=req.public_id, ip=client_ip(request), detail=f"{item} {action}: {reason.strip()}")
        messages.success(request, {"approve": _("Published."), "hide": _("Hidden from the public."),
                                   "edit": _("The edited text is public.")}[action])
    return redirect(reverse("console:request", args=[req.public_id]) + "#moderation")


@require_POST
@staff_required
def assign(request: HttpRequest, public_id: str) -> HttpResponse:
    req = selectors.access_request_for_staff(request.user, public_id)
    assignee_id = pk_or_none(request.POST.get("assignee"))
    assignee = User.objects.filter(pk=assignee_id, is_active=True).first() if assignee_id else None
    try:
        services.assign(request=req, actor=request.user, assignee=assignee)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Assignment saved."))
    return _back(req)


@staff_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of this staff member (other browsers, a lost laptop) and close
    their open chat connections, then sign out here too."""
    from django.contrib.auth import logout

    from civicdesk.accounts.sessions import end_all_sessions

    user = request.user
    end_all_sessions(user)
    record_access(actor=user, action="sign_out_everywhere", object_type="user", object_id=user.pk,
                  ip=client_ip(request))
    logout(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("console:login")
