"""Business-hours arithmetic for SLA due times.

A schedule is a mapping weekday (0 = Monday) -> list of (opens, closes) local times.
``add_business_hours`` walks forward from a moment, counting only time inside those
intervals, in the department's own time zone.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

Schedule = dict[int, list[tuple[time, time]]]


def add_business_hours(start: datetime, hours: float, schedule: Schedule, tz_name: str) -> datetime:
    """The moment ``hours`` business hours after ``start`` (an aware datetime).

    With an empty schedule the hours are calendar hours.
    """
    if hours <= 0:
        return start
    if not any(schedule.values()):
        return start + timedelta(hours=hours)
    tz = ZoneInfo(tz_name)
    remaining = timedelta(hours=hours)
    cursor = start.astimezone(tz)
    for _ in range(3660):  # at most ten years of days: a guard, never reached in practice
        day = cursor.date()
        for opens, closes in sorted(schedule.get(day.weekday(), [])):
            window_start = datetime.combine(day, opens, tz)
            window_end = datetime.combine(day, closes, tz)
            if cursor >= window_end:
                continue
            begin = max(cursor, window_start)
            available = window_end - begin
            if remaining <= available:
                return (begin + remaining).astimezone(start.tzinfo)
            remaining -= available
            cursor = window_end
        cursor = datetime.combine(day + timedelta(days=1), time(0), tz)
    raise ValueError("schedule has no open time")


def is_open(moment: datetime, schedule: Schedule, tz_name: str) -> bool:
    local = moment.astimezone(ZoneInfo(tz_name))
    return any(o <= local.time() < c for o, c in schedule.get(local.weekday(), []))


def describe(schedule: Schedule) -> str:
    """Office hours in words, days with the same hours grouped: "Monday–Friday 08:00–17:00;
    Saturday 09:00–12:00", in the active language."""
    from django.utils.translation import gettext as _

    names = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
             _("Saturday"), _("Sunday")]
    if not schedule:
        return _("no office hours are set")

    def hours(day: int) -> str:
        return ", ".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in sorted(schedule.get(day, [])))

    parts, day = [], 0
    while day < 7:
        if not schedule.get(day):
            day += 1
            continue
        end = day
        while end + 1 < 7 and hours(end + 1) == hours(day):
            end += 1
        days = names[day] if end == day else f"{names[day]}–{names[end]}"
        parts.append(f"{days} {hours(day)}")
        day = end + 1
    return "; ".join(parts)
