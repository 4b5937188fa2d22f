"""Meetings as iCalendar (RFC 5545), written by the `icalendar` library: one meeting, or a
body's feed that a calendar app subscribes to. UIDs are stable and SEQUENCE rises when the
time or place changes, so calendars move the event instead of adding a second one; a
cancelled meeting is sent as STATUS:CANCELLED."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from civicdesk.core.translation import localized

from .models import Meeting
from .tasks import url


def ical(meetings: list[Meeting], name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//CivicDesk//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for m in meetings:
        event = Event()
        event.add("uid", f"meeting-{m.pk}@civicdesk")
        event.add("dtstamp", stamp)
        event.add("last-modified", m.changed_at)
        event.add("sequence", m.sequence)
        event.add("dtstart", m.starts_at)
        event.add("dtend", m.ends_at or m.starts_at + timedelta(hours=2))
        event.add("summary", f"{m.body.display_name}: {m.display_title}")
        page = url("meetings:detail", m.pk)
        description = localized(m, "description")
        event.add("description", f"{description}\n\n{page}".strip())
        event.add("url", page)
        where = ", ".join(p for p in (m.place, m.address) if p)
        if where:
            event.add("location", where)
        if m.lat is not None and m.long is not None:
            event.add("geo", (m.lat, m.long))
        event.add("status", "CANCELLED" if m.state == Meeting.State.CANCELLED else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
