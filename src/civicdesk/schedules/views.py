"""Resident pages: the schedule for an address, its calendar feed and a printable year."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from civicdesk.core.ratelimit import limit_posts
from civicdesk.core.views import opt_in_confirm_page, opt_in_stop_page

from . import feeds, selectors


def _address(request: HttpRequest):
    text = request.GET.get("address", "").strip()[:200]
    ref = request.GET.get("address_id", "").strip()[:64]
    if not text and not ref:
        return None, text
    return selectors.find_address(text, ref), text


def lookup(request: HttpRequest) -> HttpResponse:
    match, text = _address(request)
    context = {"typed": text, "notices": selectors.notices(),
               "service_notices": selectors.service_notices(soon_days=7)}
    if match is not None:
        if match.candidate:
            context["schedule"] = selectors.schedule_at(match.candidate)
            _offer_missed(context["schedule"])
            context["service_notices"] = selectors.service_notices(
                match.candidate.lat, match.candidate.long, soon_days=7)
            email = getattr(getattr(request, "resident", None), "email", "")
            context["remind_form"] = _reminder_form(context["schedule"], initial={
                "address_id": match.candidate.ref, "email": email})
        elif match.suggestions:
            context["suggestions"] = match.suggestions
        else:
            context["error"] = _("We could not find “%(address)s” in the city's address list. "
                                 "Check the number and the street name, or pick an address "
                                 "from the list as you type.") % {"address": text}
    return render(request, "schedules/lookup.html", context)


def _offer_missed(schedule) -> None:
    """"Not collected on Monday? Report it": on each service whose day has just passed."""
    today = timezone.localdate()
    for s in schedule.services:
        s.missed = None
        missed = s.service.missed_service
        if missed is None or not missed.active:
            continue
        check = selectors.missed_check(missed.pk, schedule.address.lat, schedule.address.long, today)
        if check and check.last and (today - check.last.date).days <= selectors.MISSED_WINDOW_DAYS:
            s.missed = {"day": check.last.date, "code": missed.service_code}


def _candidate(request: HttpRequest):
    match, _text = _address(request)
    if match is None or match.candidate is None:
        raise Http404
    return match.candidate


def ical(request: HttpRequest) -> HttpResponse:
    address = _candidate(request)
    start = timezone.localdate() - timedelta(days=7)
    schedule = selectors.schedule_at(address, start, days=400)
    response = HttpResponse(feeds.ical(schedule), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="collection-schedule.ics"'
    return response


def year(request: HttpRequest) -> HttpResponse:
    address = _candidate(request)
    try:
        y = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        y = timezone.localdate().year
    y = min(max(y, 2000), 2100)
    first = date(y, 1, 1)
    schedule = selectors.schedule_at(address, first, days=(date(y, 12, 31) - first).days)
    marks: dict[date, list] = {}
    for s in schedule.services:
        for d in s.days:
            marks.setdefault(d.date, []).append(s.service)
    cal = pycalendar.Calendar(firstweekday=6)  # weeks from Sunday, as US calendars print them
    months = []
    for m in range(1, 13):
        weeks = [[(d, marks.get(d, [])) if d.month == m else None for d in week]
                 for week in cal.monthdatescalendar(y, m)]
        months.append({"first": date(y, m, 1), "weeks": weeks})
    weekdays = [date(2026, 1, 4) + timedelta(days=i) for i in range(7)]  # Sunday first
    return render(request, "schedules/year.html", {
        "schedule": schedule, "year": y, "months": months, "weekdays": weekdays})


# --- reminders ---------------------------------------------------------------------------
def _reminder_form(schedule, data=None, initial=None):
    """The reminder form for an address: its own services to choose from (none, no form)."""
    from .forms import ReminderForm

    services = [s.service for s in schedule.services]
    return ReminderForm(data, initial=initial, services=services) if services else None


@require_POST
@limit_posts("form", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def remind(request: HttpRequest) -> HttpResponse:
    """Subscribe to reminders for the address on the schedule page."""
    from .models import Subscription
    from .reminders import SubscriptionError, subscribe

    match = selectors.find_address(ref=request.POST.get("address_id", "")[:64])
    if match.candidate is None:
        raise Http404
    schedule = selectors.schedule_at(match.candidate)
    form = _reminder_form(schedule, request.POST)
    if form is None:  # no service here to be reminded of
        raise Http404
    done = None
    if form.is_valid():
        d = form.cleaned_data
        contact = d["email"] if d["channel"] == Subscription.Channel.EMAIL else d["phone"]
        try:
            done = subscribe(address=match.candidate, channel=d["channel"], contact=contact,
                             language=get_language() or settings.LANGUAGE_CODE,
                             services=[int(s) for s in d["services"]],
                             resident=getattr(request, "resident", None), consent=d["consent"])
        except SubscriptionError as e:
            form.add_error("phone" if d["channel"] == Subscription.Channel.SMS else "email", str(e))
    if done is None:
        context = {"typed": "", "notices": selectors.notices(), "remind_form": form,
                   "schedule": schedule, "service_notices": selectors.service_notices(
                       match.candidate.lat, match.candidate.long, soon_days=7)}
        return render(request, "schedules/lookup.html", context, status=400)
    return render(request, "schedules/remind_done.html", {"done": done})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    from .models import Subscription

    return opt_in_confirm_page(request, Subscription.objects, token, "schedules/remind_state.html", "sub")


@csrf_exempt  # RFC 8058: a mail client's one-click POST carries no CSRF token
def stop(request: HttpRequest, token: str) -> HttpResponse:
    from .models import Subscription

    return opt_in_stop_page(request, Subscription.objects, token, "schedules/remind_state.html", "sub")
