"""Writing schedules: zones from GeoJSON, and telling every process when anything changed."""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core.geo import bounds as _bounds
from civicdesk.core.geo import geojson_polygons
from civicdesk.core.sms import stop_requested
from civicdesk.core.tasks import bump_on_commit, enqueue_on_commit

from .models import CollectionService, Notice, ScheduleChange, Zone

VERSION_KEY = "schedules:version"


def bounds(polygons: list) -> tuple[float, float, float, float]:
    return _bounds(polygons)


class ZoneError(ValueError):
    pass


def polygons_from_geojson(data: bytes | str) -> list:
    """The polygons of an uploaded GeoJSON file, or ZoneError saying what is wrong."""
    try:
        doc = json.loads(data)
        polygons = geojson_polygons(doc) if isinstance(doc, dict) else []
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as e:
        raise ZoneError(_("The file is not valid GeoJSON: %(e)s") % {"e": str(e)[:120]}) from e
    try:
        points = [pt for poly in polygons for ring in poly for pt in ring]
    except TypeError:
        points = []
    if not points or any(not isinstance(pt, list) or len(pt) < 2 or not all(isinstance(c, int | float) for c in pt[:2])
                         for pt in points):
        raise ZoneError(_("No polygon found: a zone must be a GeoJSON Polygon or MultiPolygon."))
    return polygons


def zones_from_geojson(service: CollectionService, data: bytes | str, **rule) -> list[Zone]:
    """Unsaved, checked zones, one per GeoJSON Feature; each feature's properties may carry
    `name`, `weekday` (0 = Monday or a day name), `frequency`, `anchor`, `nth`; `rule` gives
    the defaults. ZoneError says what is wrong, naming the zone."""
    from django.core.exceptions import ValidationError

    try:
        doc = json.loads(data)
    except ValueError as e:
        raise ZoneError(_("The file is not valid GeoJSON: %(e)s") % {"e": str(e)[:120]}) from e
    if not isinstance(doc, dict):
        raise ZoneError(_("No polygon found: a zone must be a GeoJSON Polygon or MultiPolygon."))
    features = doc.get("features") if doc.get("type") == "FeatureCollection" else [doc]
    names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    zones = []
    if not isinstance(features, list):
        raise ZoneError(_("No polygon found: a zone must be a GeoJSON Polygon or MultiPolygon."))
    for n, feature in enumerate(features, 1):
        own = feature.get("properties") if isinstance(feature, dict) else None
        props = {**rule, **(own if isinstance(own, dict) else {})}
        weekday = props.get("weekday")
        weekday = rule.get("weekday", 0) if weekday is None else weekday
        if isinstance(weekday, str) and not weekday.lstrip("-").isdigit():
            if weekday.lower() not in names:
                raise ZoneError(_("Zone %(n)s: “%(day)s” is not a day of the week.")
                                % {"n": n, "day": weekday})
            weekday = names.index(weekday.lower())
        try:
            weekday, nth = int(weekday), int(props.get("nth") or 1)
        except (TypeError, ValueError):
            raise ZoneError(_("Zone %(n)s: the day of the week and “nth” must be numbers "
                              "(nth: 1 to 5, or -1 for the last).") % {"n": n}) from None
        zone = Zone(service=service, name=str(props.get("name") or f"Zone {n}")[:100],
                    polygons=polygons_from_geojson(json.dumps(feature)),
                    frequency=props.get("frequency") or Zone.Frequency.WEEKLY, weekday=weekday,
                    anchor=props.get("anchor") or None, nth=nth)
        try:
            zone.full_clean(exclude=["service", "min_lat", "max_lat", "min_long", "max_long"])
        except ValidationError as e:
            raise ZoneError(_("Zone %(n)s: %(why)s") % {"n": n, "why": " ".join(e.messages)}) from e
        zones.append(zone)
    if not zones:
        raise ZoneError(_("No polygon found: a zone must be a GeoJSON Polygon or MultiPolygon."))
    return zones


@transaction.atomic
def import_zones(service: CollectionService, data: bytes | str, **rule) -> list[Zone]:
    """The zones of a GeoJSON file (`zones_from_geojson`), saved."""
    zones = zones_from_geojson(service, data, **rule)
    for zone in zones:
        zone.save()
    return zones


@receiver([post_save, post_delete], sender=Zone)
@receiver([post_save, post_delete], sender=CollectionService)
@receiver([post_save, post_delete], sender=ScheduleChange)
def _changed(sender, **kwargs) -> None:
    bump_on_commit(VERSION_KEY)


@receiver(pre_save, sender=Notice)
def _notice_bounds(sender, instance: Notice, raw=False, **kwargs) -> None:
    instance.set_bounds()


@receiver(post_save, sender=Notice)
def _notice_saved(sender, instance: Notice, raw=False, **kwargs) -> None:
    """Every process sees the change; a published notice goes to the subscribers in its
    area (once each: sending it again after an edit reaches only who has not had it)."""
    bump_on_commit(VERSION_KEY)
    if not raw and instance.published and instance.notify and instance.ends_at > timezone.now():
        from .notices import send_notice

        enqueue_on_commit(send_notice, instance.pk)


@receiver(post_delete, sender=Notice)
@receiver([post_save, post_delete], sender=Notice._parler_meta.root_model)
def _notice_text_changed(sender, **kwargs) -> None:
    bump_on_commit(VERSION_KEY)


@receiver(m2m_changed, sender=ScheduleChange.services.through)
def _services_changed(sender, **kwargs) -> None:
    bump_on_commit(VERSION_KEY)


@receiver(stop_requested)
def _stop_texts(sender, phone: str, **kwargs) -> None:
    from .reminders import stop_number

    stop_number(phone)
