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
