"""Business-hours arithmetic."""

from datetime import UTC, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from civicdesk.core.business_hours import add_business_hours, is_open

WEEK = {d: [(time(8), time(17))] for d in range(5)}


def test_empty_schedule_counts_calendar_hours():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert add_business_hours(start, 30, {}, "UTC") == start + timedelta(hours=30)


def test_hours_skip_nights_and_weekends():
    start = datetime(2026, 1, 2, 16, 30, tzinfo=UTC)  # Friday
    assert add_business_hours(start, 1, WEEK, "UTC") == datetime(2026, 1, 5, 8, 30, tzinfo=UTC)


@given(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1)),
       st.integers(min_value=1, max_value=200))
def test_due_time_is_inside_business_hours_and_after_start(naive, hours):
    start = naive.replace(tzinfo=UTC)
    due = add_business_hours(start, hours, WEEK, "America/Chicago")
    assert due > start
    local = due.astimezone(__import__("zoneinfo").ZoneInfo("America/Chicago"))
    assert local.weekday() < 5 and time(8) < local.time() <= time(17)
    # Never fewer calendar hours than business hours.
    assert due - start >= timedelta(hours=hours)


def test_is_open():
    assert is_open(datetime(2026, 1, 5, 9, tzinfo=UTC), WEEK, "UTC")
    assert not is_open(datetime(2026, 1, 4, 9, tzinfo=UTC), WEEK, "UTC")
