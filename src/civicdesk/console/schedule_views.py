"""Administrators see the collection zones on a map with their rules and next days, and load
zones from a GeoJSON file: the upload is shown first (its zones on the map, each one's rule
and next days), and only "Import" saves it. Services, changes and notices are edited in the
admin; every import is in the audit log."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicdesk.privacy.services import client_ip, record_access
from civicdesk.schedules import recurrence, selectors
from civicdesk.schedules import services as schedules
from civicdesk.schedules.models import CollectionService, Zone
from civicdesk.schedules.templatetags.schedule_dates import rule_text

from .address_views import _administrator
from .views import staff_required

MAX_UPLOAD = 2 * 10**6  # bytes: a city's zones are kilobytes


class ZoneImportForm(forms.Form):
    service = forms.ModelChoiceField(label=gettext_lazy("Service"), queryset=CollectionService.objects.none(),
                                     widget=forms.Select(attrs={"class": "usa-select"}))
    frequency = forms.ChoiceField(label=gettext_lazy("How often"), choices=Zone.Frequency.choices,
                                  widget=forms.Select(attrs={"class": "usa-select"}))
    weekday = forms.TypedChoiceField(label=gettext_lazy("Day of the week"), coerce=int,
                                     choices=Zone._meta.get_field("weekday").choices,
                                     widget=forms.Select(attrs={"class": "usa-select"}),
                                     help_text=gettext_lazy("A zone’s own “weekday” property wins."))
    anchor = forms.DateField(label=gettext_lazy("First day (every other week)"), required=False,
                             widget=forms.DateInput(attrs={"class": "usa-input", "type": "date"}))
    nth = forms.TypedChoiceField(label=gettext_lazy("Which one in the month (monthly)"), coerce=int, initial=1,
                                 choices=[(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5"), (-1, "-1")],
                                 widget=forms.Select(attrs={"class": "usa-select"}))
    file = forms.FileField(label=gettext_lazy("GeoJSON file"), required=False,
                           widget=forms.ClearableFileInput(attrs={"class": "usa-file-input", "accept": ".geojson,.json"}))
    preview = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["service"].queryset = CollectionService.objects.prefetch_related("translations")

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                self.add_error("file", _("The file is %(size)s MB; the limit is 2 MB.") % {
                    "size": round(upload.size / 1e6, 1)})
                return data
            try:
                data["geojson"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("file", _("The file is not text (UTF-8 GeoJSON)."))
                return data
        elif data.get("preview"):  # "Import" after a preview: the file kept on the server
            data["geojson"] = cache.get(_preview_key(self.user, data["preview"]))
            if data["geojson"] is None:
                self.add_error("file", _("The preview has expired. Upload the file again."))
                return data
        if not data.get("geojson"):
            self.add_error("file", _("Choose a GeoJSON file with the zones."))
        if data.get("frequency") == Zone.Frequency.BIWEEKLY and not data.get("anchor"):
            self.add_error("anchor", _("Every other week needs a first day."))
        return data


def _preview_key(user, key: str) -> str:
    return f"zones-preview:{getattr(user, 'pk', 0)}:{key}"


def _zone_json(zones, today: date, preview: bool = False) -> list[dict]:
    colours = {}
    out = []
    for z in zones:
        colour = colours.setdefault(z.service_id, len(colours))
        out.append({"label": f"{z.service.display_name}: {z.name} ({rule_text(z)})", "colour": colour,
                    "polygons": z.polygons, "preview": preview})
    return out


def _next_days(zone, today: date) -> list[date]:
    found = recurrence.days(zone.rule, today, today + timedelta(days=70), selectors.changes_for(zone.service))
    return [d.date for d in found[:4]]


@staff_required
def zones(request: HttpRequest) -> HttpResponse:
    if not _administrator(request.user):
        raise Http404
    today = timezone.localdate()
    form = ZoneImportForm(request.POST or None, request.FILES or None, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        rule = {"frequency": d["frequency"], "weekday": d["weekday"],
                "anchor": d["anchor"].isoformat() if d["anchor"] else None, "nth": d["nth"]}
        try:
            built = schedules.zones_from_geojson(d["service"], d["geojson"], **rule)
        except schedules.ZoneError as e:
            form.add_error("file", _("The zones cannot be read: %(why)s") % {"why": str(e)[:300]})
        else:
            if request.POST.get("confirm") == "1":
                saved = schedules.import_zones(d["service"], d["geojson"], **rule)
                record_access(actor=request.user, action="zone_import", object_type="collection_service",
                              object_id=d["service"].pk, ip=client_ip(request),
                              detail=f"{len(saved)} zones for {d['service'].code}")
                messages.success(request, ngettext(
                    "%(n)s zone imported for %(service)s.", "%(n)s zones imported for %(service)s.",
                    len(saved)) % {"n": len(saved), "service": d["service"].display_name})
                return redirect("console:zones")
            key = d.get("preview") or secrets.token_urlsafe(16)
            cache.set(_preview_key(request.user, key), d["geojson"], 3600)
            preview = {"zones": [(z, _next_days(z, today)) for z in built], "key": key,
                       "map": _zone_json(built, today, preview=True)}
    existing = list(Zone.objects.select_related("service").prefetch_related("service__translations")
                    .order_by("service__order", "service__code", "name"))
    return render(request, "console/zones.html", {
        "form": form, "preview": preview, "today": today,
        "zones": [(z, _next_days(z, today)) for z in existing],
        "map_zones": preview["map"] if preview else _zone_json(existing, today),
        "map_tiles": settings.CIVICDESK_MAP_TILES})
