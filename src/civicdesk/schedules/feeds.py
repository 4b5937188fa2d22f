"""The iCalendar (RFC 5545) feed of an address's schedule, written by the `icalendar` library:
one all-day event per collection day, stable UIDs (service, address and date), so a calendar
app that subscribes updates days that move instead of duplicating them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from civicdesk.core.translation import localized

from .selectors import Schedule


def ical(schedule: Schedule) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//CivicDesk//Schedules//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Collection schedule: %(address)s") % {"address": schedule.address.label})
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for s in schedule.services:
        name = s.service.display_name
        for day in s.days:
            event = Event()
            event.add("uid", f"{s.service.code}-{schedule.address.ref}-{day.usual.isoformat()}@civicdesk")
            event.add("dtstamp", stamp)
            event.add("dtstart", day.date)
            event.add("dtend", day.date + timedelta(days=1))
            event.add("summary", f"{name} ({_('moved')}: {day.change})" if day.change else name)
            rules = localized(s.service, "rules")
            if rules:
                event.add("description", rules)
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    return cal.to_ical()
