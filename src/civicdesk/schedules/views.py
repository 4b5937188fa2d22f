"""Resident pages: the schedule for an address, its calendar feed and a printable year."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import feeds, selectors


def _address(request: HttpRequest):
    text = request.GET.get("address", "").strip()[:200]
    ref = request.GET.get("address_id", "").strip()[:64]
    if not text and not ref:
        return None, text
    return selectors.find_address(text, ref), text


def lookup(request: HttpRequest) -> HttpResponse:
    match, text = _address(request)
    context = {"typed": text, "notices": selectors.notices()}
    if match is not None:
        if match.candidate:
            context["schedule"] = selectors.schedule_at(match.candidate)
        elif match.suggestions:
            context["suggestions"] = match.suggestions
        else:
            context["error"] = _("We could not find “%(address)s” in the city's address list. "
                                 "Check the number and the street name, or pick an address "
                                 "from the list as you type.") % {"address": text}
    return render(request, "schedules/lookup.html", context)


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
