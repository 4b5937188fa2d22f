"""Resident portal views: parse the input, call a service or selector, render."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.accounts import services as account_services
from civicdesk.accounts.middleware import SESSION_KEY as RESIDENT_SESSION_KEY
from civicdesk.cases import publication, selectors, services
from civicdesk.cases.models import OPEN_STATUSES, Review, ServiceRequest, Status
from civicdesk.catalog import snapshot
from civicdesk.catalog.models import Department, Service
from civicdesk.core import languages
from civicdesk.core.models import by_display_name
from civicdesk.core.ratelimit import limit_posts

from .forms import EmailForm, ProfileForm, ReopenForm, RequestForm

MANAGED_KEY = "civicdesk_managed_requests"


def _lang() -> str:
    return languages.normalize(get_language())


def _services_matching(q: str):
    qs = Service.objects.active().select_related("department")
    for word in q.split():  # in any language the service is written in
        qs = qs.filter(Q(translations__name__icontains=word) | Q(keywords__icontains=word)
                       | Q(translations__description__icontains=word) | Q(translations__group__icontains=word))
    return qs.distinct()


def home(request: HttpRequest) -> HttpResponse:
    popular = selectors.popular_services()
    departments = Department.objects.annotate(n=Count("services", filter=Q(services__active=True))).filter(n__gt=0)
    from civicdesk.schedules.selectors import service_notices

    return render(request, "portal/home.html", {"popular": popular, "departments": departments,
                                                "service_notices": service_notices()})


def catalog(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    services_qs = _services_matching(q) if q else Service.objects.active().select_related("department")
    groups: dict[Department, dict[str, list[Service]]] = {}
    listed = sorted(services_qs.prefetch_related("translations", "department__translations"),
                    key=lambda s: (s.department.display_name.casefold(), s.display_group.casefold(),
                                   s.display_name.casefold()))
    for s in listed:
        groups.setdefault(s.department, {}).setdefault(s.display_group, []).append(s)
    return render(request, "portal/catalog.html", {"q": q, "groups": groups, "count": services_qs.count()})


def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    service = snapshot.active_service_or_404(code)
    open_count = service.requests.filter(status__in=OPEN_STATUSES).count()
    return render(request, "portal/service.html", {"service": service, "open_count": open_count})


def _managed(request: HttpRequest) -> list[str]:
    """Public IDs this browser may manage (it submitted them or opened their private link).

    Kept in a signed cookie rather than the session, so an anonymous resident leaves no
    server-side session row behind.
    """
    if hasattr(request, "_civicdesk_managed"):
        return request._civicdesk_managed
    raw = request.get_signed_cookie(MANAGED_KEY, default="", salt=MANAGED_KEY)
    return [i for i in raw.split(",") if i]


def _grant_manage(request: HttpRequest, response: HttpResponse, public_id: str) -> HttpResponse:
    managed = _managed(request)
    if public_id not in managed:
        managed = (managed + [public_id])[-50:]
    request._civicdesk_managed = managed
    response.set_signed_cookie(MANAGED_KEY, ",".join(managed), salt=MANAGED_KEY,
                               max_age=settings.SESSION_COOKIE_AGE, secure=settings.SESSION_COOKIE_SECURE,
                               httponly=True, samesite="Lax")
    return response


def _can_manage(request: HttpRequest, req: ServiceRequest) -> bool:
    if req.public_id in _managed(request):
        return True
    return request.resident is not None and req.resident_id == request.resident.pk


@limit_posts("form", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def report(request: HttpRequest, code: str) -> HttpResponse:
    service = snapshot.active_service_or_404(code)
    duplicates: list[ServiceRequest] = []
    if request.method != "POST":
        initial = {}
        if request.resident:
            r = request.resident
            initial = {"first_name": r.first_name, "last_name": r.last_name, "email": r.email, "phone": r.phone}
        ref = request.GET.get("address_id", "")[:64]
        if ref:  # from a schedule page: "not collected on Monday? report it"
            from civicdesk.addresses.services import by_ref

            found = by_ref(ref)
            if found:
                initial |= {"address": found.label, "address_id": found.ref}
        form = RequestForm(service, initial=initial)
        return render(request, "portal/report.html", _report_context(form, service, duplicates, []))

    form = RequestForm(service, request.POST, request.FILES)
    key = (request.POST.get("submission_key") or "")[:80]
    if len(key) < 16:
        raise Http404  # not a form we rendered
    # A double click or a browser retry shows the first result. submit_request() is
    # idempotent on its own; look first only when there are photos to spare re-encoding.
    already = request.FILES and ServiceRequest.objects.filter(submission_key=key).first()
    if already:
        return _grant_manage(request, redirect("portal:submitted", already.public_id), already.public_id)
    form.is_valid()  # fills cleaned_data for the plain fields; the rules are below
    for upload in request.FILES.getlist("photos"):
        try:
            services.stage_photo(upload_key=key, name=upload.name, raw=upload.read())
        except ValidationError as e:
            for message in e.messages:
                form.add_error("photos", message)
    errors: dict[str, list[str]] = {}
    cleaned = {}
    suggestions = []
    address_id = (request.POST.get("address_choice") or request.POST.get("address_id") or "")[:64]
    for name, fn in (
        ("answers", lambda: services.clean_answers(service=service, raw=form.raw_answers())),
        ("location", lambda: services.clean_location(lat=request.POST.get("lat"), long=request.POST.get("long"),
                                                     address=request.POST.get("address", ""),
                                                     address_id=address_id)),
        ("contact", lambda: services.clean_contact(
            email=request.POST.get("email", ""), first_name=request.POST.get("first_name", ""),
            last_name=request.POST.get("last_name", ""), phone=request.POST.get("phone", ""))),
    ):
        try:
            cleaned[name] = fn()
        except ValidationError as e:
            suggestions = getattr(e, "suggestions", suggestions)  # "did you mean", without JavaScript
            for field, msgs in e.message_dict.items():
                errors.setdefault(field, []).extend(msgs)
    description = request.POST.get("description", "")
    if len(description) > services.MAX_DESCRIPTION:
        errors.setdefault("description", []).append(
            _("Keep the description under %(limit)s characters (it has %(n)s).")
            % {"limit": services.MAX_DESCRIPTION, "n": len(description)})
    if "location" in cleaned:
        early = _missed_too_early(service, cleaned["location"])
        if early:
            errors.setdefault("address", []).append(early)
    form.add_service_errors(errors)
    if form.errors:  # the photos already sent are shown again
        return render(request, "portal/report.html",
                      {**_report_context(form, service, duplicates, services.staged_photos(key)),
                       "address_suggestions": suggestions}, status=400)
    location = cleaned["location"]
    if location.address_id:  # show back the register's address; a second send keeps it
        form.data = form.data.copy()
        form.data.update({"address": location.address, "address_id": location.address_id})
    if not request.POST.get("confirm_new"):
        duplicates = services.find_nearby_open_requests(service=service, lat=location.lat, long=location.long)
        mine = next((d for d in duplicates if d.submission_key == key), None)
        if mine:  # a retry of this very form, which has already filed it
            return _grant_manage(request, redirect("portal:submitted", mine.public_id), mine.public_id)
        # A private service's reports are nobody else's business: no "follow it instead".
        duplicates = [d for d in duplicates if publication.is_public(service)]
        for d in duplicates:
            d.shown = publication.shown(d, service)
        if duplicates:
            return render(request, "portal/report.html",
                          _report_context(form, service, duplicates, services.staged_photos(key)))
    try:
        result = services.submit_request(
            service=service, description=description, answers=cleaned["answers"], location=location,
            contact=cleaned["contact"], resident=request.resident, language=_lang(), channel="web",
            submission_key=key,
            # Photos sent now, or kept from an earlier try of this form (which it then marks).
            upload_key=key if request.FILES or request.POST.get("staged_photos") else None)
    except ValidationError as e:
        form.add_service_errors(e.message_dict)
        return render(request, "portal/report.html",
                      _report_context(form, service, duplicates, services.staged_photos(key)), status=400)
    if result.redacted:
        from civicdesk.privacy.redaction import explanation

        messages.warning(request, explanation(result.redacted))
    return _grant_manage(request, redirect("portal:submitted", result.request.public_id), result.request.public_id)


def _missed_too_early(service, location) -> str:
    """A missed collection reported before the collection day has passed at the place: what
    to do instead (the truck may still come)."""
    from civicdesk.schedules.selectors import missed_too_early
    from civicdesk.schedules.templatetags.schedule_dates import weekday_day

    if location.lat is None or location.long is None:
        return ""
    early = missed_too_early(service.pk, location.lat, location.long)
    if early is None:
        return ""
    if early.next.date == timezone.localdate():
        return _("%(service)s is collected today at this address, until the end of the day. If it "
                 "is missed, report it from tomorrow.") % {"service": early.service.display_name}
    return _("%(service)s is next collected at this address on %(day)s. If it is missed, report "
             "it from the day after.") % {"service": early.service.display_name,
                                           "day": weekday_day(early.next.date)}


def _report_context(form, service, duplicates, photos) -> dict:
    return {"form": form, "service": service, "duplicates": duplicates, "photos": photos,
            "max_photos": settings.CIVICDESK_MAX_PHOTOS, "map_center": settings.CIVICDESK_MAP_CENTER,
            "map_tiles": settings.CIVICDESK_MAP_TILES, "held": publication.held_for_review(service)}


def submitted(request: HttpRequest, public_id: str) -> HttpResponse:
    """The confirmation. Contact details and the private link only for the browser that
    filed the request (or opened its private link): public IDs are sequential."""
    req = selectors.public_request(public_id)
    if not publication.is_public(req.service) and req.public_id not in _managed(request):
        raise Http404
    manage_url = None
    if req.public_id in _managed(request):
        manage_url = request.build_absolute_uri(
            req.get_absolute_url() + "?" + urlencode({"key": services.access_token_for(req)}))
    response = render(request, "portal/submitted.html", {
        "req": req, "manage_url": manage_url, "held": manage_url and req.needs_review})
    if manage_url:
        patch_cache_control(response, private=True, no_store=True)
    return response


def confirm_contact(request: HttpRequest, public_id: str, token: str) -> HttpResponse:
    """The link emailed to a request's contact address. A GET only shows a button (mail
    scanners open links); the POST confirms, links the request to that address's account
    and lets this browser manage it."""
    req = selectors.public_request(public_id)
    if not constant_time_compare(services.contact_token_for(req), token) or not req.contact_email:
        return render(request, "portal/confirm_contact.html", {"req": req, "invalid": True}, status=404)
    if request.method != "POST":
        return render(request, "portal/confirm_contact.html", {"req": req})
    services.confirm_contact(request=req, token=token)
    messages.success(request, _("Thank you: your address is confirmed. We will email you each time this request "
                                "changes."))
    return _grant_manage(request, redirect(req.get_absolute_url()), req.public_id)


def request_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    req = selectors.public_request(public_id)
    key = request.GET.get("key")
    if key:
        if services.check_access_token(req, key):
            # Drop the secret from the address bar (and from any Referer header).
            return _grant_manage(request, redirect(req.get_absolute_url()), req.public_id)
        messages.error(request, _("That link is not valid for this request."))
    return _request_page(request, req)


def _notices_at(lat, long) -> list:
    """Service notices for part of the city covering the place the page shows (a road
    closure, a water shutdown); none where the page shows no place."""
    from civicdesk.schedules.selectors import service_notices

    if lat is None or long is None:
        return []
    return [n for n in service_notices(lat, long) if not n.whole_city]


def _request_page(request: HttpRequest, req: ServiceRequest, *, info: dict | None = None,
                  status: int = 200) -> HttpResponse:
    can_manage = _can_manage(request, req)
    if not can_manage and not publication.is_public(req.service):
        raise Http404  # a private report: only its filer and the private link's holder
    shown = publication.shown(req, req.service, owner=can_manage)
    can_reopen = (can_manage and req.status == Status.RESOLVED and req.resolved_at is not None
                  and timezone.now() - req.resolved_at <= timezone.timedelta(days=settings.CIVICDESK_REOPEN_DAYS))
    # Moderation (cases/publication.py): the public sees published words and photos; the
    # filer sees all they sent, each marked with where it stands.
    text_public = can_manage or req.review == Review.PUBLISHED
    # staff edited the words for the public: free-text answers were not part of it
    hide_free_text = bool(req.public_description and not can_manage)
    answers = selectors.answer_rows(
        req, req.service.questions.all() if shown.details and text_public else [],
        skip=lambda q: q is None or (hide_free_text and q.datatype in ("string", "text")))
    response = render(request, "portal/request.html", {
        "req": req, "events": selectors.public_timeline(req, owner=can_manage),
        "description": req.description if can_manage else publication.public_text(req),
        "photos": (req.photos.all() if can_manage else publication.public_photos(req)) if shown.details else [],
        "held": can_manage and publication.held_for_review(req.service),
        "shown": shown, "can_manage": can_manage, "can_reopen": can_reopen, "answers": answers,
        "service_notices": _notices_at(shown.lat, shown.long),
        "follow_form": EmailForm(initial={"email": request.resident.email if request.resident else ""}),
        "reopen_form": ReopenForm(), "map_tiles": settings.CIVICDESK_MAP_TILES,
        "can_add_info": can_manage and req.status not in (Status.CLOSED, Status.DUPLICATE),
        "info": info or {"key": secrets.token_hex(16), "text": "", "errors": [],
                         "photos": [], "max_photos": settings.CIVICDESK_MAX_PHOTOS},
    }, status=status)
    if can_manage or request.resident:  # the owner's view shows their email; a prefilled form, theirs
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
@limit_posts("form", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def add_info(request: HttpRequest, public_id: str) -> HttpResponse:
    """The filer adds words or photos to their request (the private link or their browser).
    A failed try keeps the text and the photos already sent; a retry adds nothing twice."""
    req = selectors.public_request(public_id)
    if not _can_manage(request, req):
        raise Http404
    key = (request.POST.get("info_key") or "")[:64]
    if len(key) < 16:
        return render(request, "bad_request.html", status=400)  # not a form we rendered
    upload_key = f"info-{req.pk}-{key}"
    text = request.POST.get("text", "")
    errors: list[str] = []
    for upload in request.FILES.getlist("photos"):
        try:
            services.stage_photo(upload_key=upload_key, name=upload.name, raw=upload.read())
        except ValidationError as e:
            errors.extend(e.messages)
    if not errors:
        try:
            services.add_information(request=req, text=text, upload_key=upload_key)
        except ValidationError as e:
            errors.extend(e.messages)
    if errors:
        return _request_page(request, req, status=400, info={
            "key": key, "text": text, "errors": errors, "photos": services.staged_photos(upload_key),
            "max_photos": settings.CIVICDESK_MAX_PHOTOS})
    messages.success(request, _("Added to your request. The team sees it on the timeline."))
    return redirect(req.get_absolute_url() + "#timeline")


@require_POST
@limit_posts("form", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def follow(request: HttpRequest, public_id: str) -> HttpResponse:
    req = selectors.public_request(public_id)
    if not publication.is_public(req.service) and not _can_manage(request, req):
        raise Http404
    try:
        follower = services.follow(request=req, email=request.POST.get("email", ""), language=_lang(),
                                   resident=request.resident)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(req.get_absolute_url() + "#follow")
    if follower.confirmed_at:
        messages.success(request, _("You will get an email each time this request is updated."))
    else:
        messages.success(request, _("Check your email: open the link we sent to start receiving updates."))
    return redirect(req.get_absolute_url())


def confirm_follow(request: HttpRequest, token: str) -> HttpResponse:
    follower = services.confirm_follow(token=token)
    if follower is None:
        raise Http404
    messages.success(request, _("Done: you will get an email each time this request is updated."))
    return redirect(follower.request.get_absolute_url())


def unfollow(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        follower = services.unfollow(token=token)
        if follower is None:
            raise Http404
        messages.success(request, _("You will not get more emails about this request."))
        return redirect(follower.request.get_absolute_url())
    return render(request, "portal/unfollow.html", {"token": token})


@require_POST
@limit_posts("form", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def reopen(request: HttpRequest, public_id: str) -> HttpResponse:
    req = selectors.public_request(public_id)
    if not _can_manage(request, req):
        raise Http404
    try:
        services.reopen(request=req, reason=request.POST.get("reason", ""))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Reopened. The team has been told the problem is back."))
    return redirect(req.get_absolute_url())


def open_requests(request: HttpRequest) -> HttpResponse:
    service_code = request.GET.get("service", "")
    qs = selectors.open_requests_for_map(service_code=service_code, limit=1000)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    for r in page:
        r.shown = publication.shown(r, r.service)
    points = []
    for r in qs[:500]:
        where = publication.shown(r, r.service)
        if where.lat is not None:
            points.append({"id": r.public_id, "lat": round(where.lat, 5), "lng": round(where.long, 5),
                           "service": r.service.display_name, "status": r.get_status_display()})
    return render(request, "portal/requests.html", {
        "page": page, "points": points, "service_code": service_code,
        "services": by_display_name(Service.objects.active().prefetch_related("translations")),
        "map_center": settings.CIVICDESK_MAP_CENTER,
        "map_tiles": settings.CIVICDESK_MAP_TILES,
    })


# --- resident account -----------------------------------------------------------------

@limit_posts("signin-link", "CIVICDESK_RATE_SIGNIN_PER_MINUTE")
def signin(request: HttpRequest) -> HttpResponse:
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.request_sign_in_link(email=form.cleaned_data["email"], language=_lang(), next_url=next_url)
        except ValidationError as e:
            form.add_error("email", e.message_dict.get("email", e.messages))
        else:
            return render(request, "portal/signin_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "portal/signin.html", {"form": form, "next": next_url},
                  status=400 if form.errors else 200)


def signin_redeem(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        # A GET only shows a button: mail scanners that prefetch links must not use them up.
        return render(request, "portal/signin_confirm.html", {"token": token})
    row = account_services.redeem_sign_in_token(token=token)
    if row is None:
        return render(request, "portal/signin_invalid.html", status=400)
    request.session.cycle_key()
    request.session[RESIDENT_SESSION_KEY] = row.resident_id
    from civicdesk.accounts.models import Resident

    chosen = (Resident.objects.filter(pk=row.resident_id, language_chosen_at__isnull=False)
              .values_list("preferred_language", flat=True).first())
    with translation.override(chosen if languages.is_shipped(chosen) else _lang()):
        messages.success(request, _("You are signed in."))
    # On any device, the language the resident chose before (never a default they did not pick).
    return _remember_language(redirect(row.next_url or "portal:account"), chosen or "")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (a cookie, then back to the page), and for a signed-in
    resident the choice is kept on their profile: emails and texts follow it."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    code = request.POST.get("language", "")
    if request.resident is not None and languages.is_shipped(code):
        request.resident.preferred_language = code
        request.resident.language_chosen_at = timezone.now()
        request.resident.save(update_fields=["preferred_language", "language_chosen_at"])
    return response


def _remember_language(response: HttpResponse, code: str) -> HttpResponse:
    if languages.is_shipped(code):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                            samesite="Lax", secure=settings.LANGUAGE_COOKIE_SECURE, httponly=True)
    return response


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    request.session.pop(RESIDENT_SESSION_KEY, None)
    request.session.cycle_key()
    messages.success(request, _("You are signed out."))
    response = redirect("portal:home")
    response.delete_cookie(MANAGED_KEY, samesite="Lax")
    return response


def account(request: HttpRequest) -> HttpResponse:
    resident = request.resident
    if resident is None:
        return redirect(reverse("portal:signin") + "?" + urlencode({"next": reverse("portal:account")}))
    form = ProfileForm(request.POST or None, initial={
        "first_name": resident.first_name, "last_name": resident.last_name, "phone": resident.phone,
        "preferred_language": resident.preferred_language, "preferred_channel": resident.preferred_channel})
    if request.method == "POST" and form.is_valid():
        account_services.update_profile(resident=resident, **form.cleaned_data)
        messages.success(request, _("Your details are saved."))
        return redirect("portal:account")
    requests_qs = resident.requests.select_related("service").prefetch_related("service__translations").order_by(
        "-submitted_at")
    from civicdesk.privacy.views import consent_rows

    return render(request, "portal/account.html", {"form": form, "requests": requests_qs,
                                                   "consents": consent_rows(resident)})
