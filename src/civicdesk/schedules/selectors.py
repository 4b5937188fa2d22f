"""Reading schedules: which zones hold a point, and the days of each service there.

Zones and changes are few (dozens), read once per process and kept until any of them changes
(a version number in the shared cache, bumped by services.py), so a lookup is a geocode plus
point-in-polygon tests in memory: no query per lookup beyond the address itself.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.utils import timezone

from civicdesk.addresses import services as addresses
from civicdesk.core.geo import in_polygons

from . import recurrence
from .models import CollectionService, Notice, ScheduleChange, Zone

VERSION_KEY = "schedules:version"


@dataclass
class ServiceDays:
    service: CollectionService
    zone: Zone
    days: list[recurrence.Day]

    @property
    def next(self) -> recurrence.Day | None:
        return self.days[0] if self.days else None


@dataclass
class Schedule:
    address: addresses.Candidate
    services: list[ServiceDays] = field(default_factory=list)

    def changes(self) -> list[recurrence.Day]:
        """Days of this schedule moved by a change, soonest first."""
        return sorted((d for s in self.services for d in s.days if d.change), key=lambda d: d.date)


class _Memory:
    def __init__(self) -> None:
        self.version = None
        self.zones: list[Zone] = []
        self.changes: list[ScheduleChange] = []
        self.notices: list[Notice] = []
        self.lock = threading.Lock()

    def current(self) -> _Memory:
        version = cache.get(VERSION_KEY, 0)
        if version != self.version:
            with self.lock:
                zones = list(Zone.objects.filter(service__active=True)
                             .select_related("service", "service__missed_service")
                             .prefetch_related("service__translations"))
                changes = list(ScheduleChange.objects.prefetch_related("services", "translations"))
                notices = list(Notice.objects.filter(published=True, ends_at__gt=timezone.now())
                               .prefetch_related("translations"))
                self.zones, self.changes, self.notices, self.version = zones, changes, notices, version
        return self


memory = _Memory()


def forget() -> None:
    memory.version = None


def zones_at(lat: float, long: float) -> list[Zone]:
    return [z for z in memory.current().zones
            if z.min_lat <= lat <= z.max_lat and z.min_long <= long <= z.max_long
            and in_polygons(lat, long, z.polygons)]


def changes_for(service: CollectionService) -> list[recurrence.Change]:
    out = []
    for c in memory.current().changes:
        ids = {s.pk for s in c.services.all()}
        if not ids or service.pk in ids:
            out.append(c.as_change())
    return out


def schedule_at(address: addresses.Candidate, start: date | None = None,
                days: int = 60) -> Schedule:
    """Every active service's days at an address from `start` (today) for `days` days."""
    start = start or timezone.localdate()
    end = start + timedelta(days=days)
    out = Schedule(address)
    for zone in zones_at(address.lat, address.long):
        found = recurrence.days(zone.rule, start, end, changes_for(zone.service))
        out.services.append(ServiceDays(zone.service, zone, found))
    out.services.sort(key=lambda s: (s.service.order, s.service.code))
    return out


def find_address(text: str = "", ref: str = "") -> addresses.Match:
    """The register's address for a reference (from autocomplete) or typed text."""
    if ref:
        found = addresses.by_ref(ref)
        if found:
            return addresses.Match(candidate=found)
    return addresses.geocode(text) if text.strip() else addresses.Match()


def notices(days: int = 60) -> list[ScheduleChange]:
    """Changes under way or starting within `days` (the schedule's window), soonest first."""
    today = timezone.localdate()
    return [c for c in memory.current().changes
            if c.end >= today and c.start <= today + timedelta(days=days)]


def service_notices(lat: float | None = None, long: float | None = None,
                    soon_days: int = 0) -> list[Notice]:
    """Published notices on now (or starting within `soon_days`), soonest ending first; with
    a point, only those covering it (whole-city notices always do)."""
    now = timezone.now()
    until = now + timedelta(days=soon_days)
    found = [n for n in memory.current().notices
             if n.starts_at <= until and n.ends_at > now
             and (lat is None or long is None or n.covers(lat, long))]
    return sorted(found, key=lambda n: (n.starts_at, n.pk))


def notice(pk: int) -> Notice | None:
    """A published notice not over yet (the memory is read when anything changes, so a
    notice that has ended since is skipped here)."""
    now = timezone.now()
    return next((n for n in memory.current().notices if n.pk == pk and n.ends_at > now), None)


MISSED_WINDOW_DAYS = 3  # a missed collection is offered this many days after the day


@dataclass
class MissedCheck:
    service: CollectionService
    last: recurrence.Day | None  # the latest collection day before today (within a week)
    next: recurrence.Day | None  # the next one, today included


def missed_check(service_id: int, lat: float, long: float, today: date | None = None) -> MissedCheck | None:
    """For a report service that is some collection's "missed collection" service: the
    latest and next days at the place of the collection that fits best (the one with a day
    just passed, when several share the report service, as trash and recycling may); None
    when it is not one, or the place is in none of its zones (the report is taken)."""
    today = today or timezone.localdate()
    checks = []
    for zone in zones_at(lat, long):
        if zone.service.missed_service_id != service_id:
            continue
        found = recurrence.days(zone.rule, today - timedelta(days=7), today + timedelta(days=60),
                                changes_for(zone.service))
        past = [d for d in found if d.date < today]
        coming = [d for d in found if d.date >= today]
        checks.append(MissedCheck(zone.service, past[-1] if past else None, coming[0] if coming else None))
    if not checks:
        return None
    # a collection whose day has passed and is not today again comes first, the latest first
    return max(checks, key=lambda c: (c.last is not None and (c.next is None or c.next.date != today),
                                      c.last.date if c.last else date.min))


def missed_too_early(service_id: int, lat: float, long: float, today: date | None = None) -> MissedCheck | None:
    """The check, when a missed collection is reported too early: on the collection day
    itself (the truck may still come) or with no collection day in the past week at the
    place (a monthly or seasonal service): the form says when to report instead."""
    today = today or timezone.localdate()
    check = missed_check(service_id, lat, long, today)
    if check is None or check.next is None:
        return None
    if check.next.date == today or check.last is None:  # today's, or none in the past week
        return check
    return None
