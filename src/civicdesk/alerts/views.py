"""Resident pages: follow an area, confirm, stop."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from civicdesk.core.ratelimit import limit_posts
from civicdesk.core.views import opt_in_confirm_page, opt_in_stop_page

from . import services
from .forms import AlertForm
from .models import AreaAlert


@limit_posts("form", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def follow(request: HttpRequest) -> HttpResponse:
    resident = getattr(request, "resident", None)
    if request.method != "POST":
        initial = {"email": resident.email if resident else ""}
        return render(request, "alerts/follow.html", {"form": AlertForm(initial=initial)})
    form = AlertForm(request.POST)
    alert = None
    suggestions = []
    if form.is_valid():
        d = form.cleaned_data
        address = None
        if d["area"] == "near":
            from civicdesk.schedules.selectors import find_address

            match = find_address(d["address"], d["address_id"])
            address = match.candidate
            if address is None:
                suggestions = match.suggestions
                form.add_error("address", _("We could not find “%(address)s” in the city's address list. "
                                            "Check the number and the street name, or pick an address "
                                            "from the list as you type.") % {"address": d["address"]})
        if not form.errors:
            alert, needs = services.subscribe(
                email=d["email"], language=get_language() or settings.LANGUAGE_CODE, mode=d["mode"],
                address=address, radius_m=d["radius"], ward=d["ward"] if d["area"] == "ward" else None,
                resident=resident, consent=d["consent"])
    if alert is None:
        return render(request, "alerts/follow.html", {"form": form, "suggestions": suggestions}, status=400)
    return render(request, "alerts/state.html", {"alert": alert, "state": "check" if needs else "on"})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    return opt_in_confirm_page(request, AreaAlert.objects.select_related("ward"), token,
                               "alerts/state.html", "alert")


@csrf_exempt  # RFC 8058: a mail client's one-click POST carries no CSRF token
def stop(request: HttpRequest, token: str) -> HttpResponse:
    return opt_in_stop_page(request, AreaAlert.objects.select_related("ward"), token, "alerts/state.html", "alert")
