"""When a collection or sweeping day falls: recurrence rules and holiday changes, pure Python.

A rule is one of:
- `weekly` on a weekday ("every Tuesday");
- `biweekly` on a weekday, in the weeks of an anchor date ("every other Wednesday, starting
  2026-01-07");
- `monthly` on the nth weekday of the month ("first Tuesday", "third Friday"; nth -1 is the
  last);
each optionally limited to a season (a window of months and days that repeats every year,
"April 1 to November 30"; a window that wraps the year, "November 15 to March 15", works).

Changes (holidays) apply after the rule: a change covers a span of dates and either moves
each day in it by a number of days ("all collections after Thanksgiving move one day later":
the span is Thanksgiving to the Saturday after, the shift +1) or cancels it (shift None).

No Django here: the schedule pages, the calendar feed, the API, the reminders and the
assistant all call `days()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

WEEKLY, BIWEEKLY, MONTHLY = "weekly", "biweekly", "monthly"


@dataclass(frozen=True)
class Rule:
    frequency: str  # weekly | biweekly | monthly
    weekday: int  # 0 = Monday ... 6 = Sunday
    anchor: date | None = None  # biweekly: a date in a week with a collection
    nth: int = 1  # monthly: 1..5, or -1 for the last
    season_start: tuple[int, int] | None = None  # (month, day)
    season_end: tuple[int, int] | None = None  # (month, day), inclusive


@dataclass(frozen=True)
class Change:
    start: date
    end: date  # inclusive
    shift: int | None  # days to move; None: cancelled
    label: str = ""  # why ("Thanksgiving"), shown beside the moved day


@dataclass(frozen=True)
class Day:
    date: date
    usual: date  # the day the rule gives; differs when a change moved it
    change: str = ""  # the change's label when moved


def _in_season(rule: Rule, d: date) -> bool:
    if not rule.season_start or not rule.season_end:
        return True
    key = (d.month, d.day)
    if rule.season_start <= rule.season_end:
        return rule.season_start <= key <= rule.season_end
    return key >= rule.season_start or key <= rule.season_end  # wraps the new year


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    if nth > 0:
        first = date(year, month, 1)
        d = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
        return d if d.month == month else None
    nxt = date(year + month // 12, month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def usual_days(rule: Rule, start: date, end: date) -> list[date]:
    """The rule's days from `start` to `end` inclusive, before any change."""
    out: list[date] = []
    if end < start:
        return out
    if rule.frequency in (WEEKLY, BIWEEKLY):
        d = start + timedelta(days=(rule.weekday - start.weekday()) % 7)
        step = 7
        if rule.frequency == BIWEEKLY:
            anchor = rule.anchor or date(2026, 1, 5)
            anchor -= timedelta(days=anchor.weekday() - rule.weekday)  # its week's weekday
            if ((d - anchor).days // 7) % 2:
                d += timedelta(days=7)
            step = 14
        while d <= end:
            out.append(d)
            d += timedelta(days=step)
    elif rule.frequency == MONTHLY:
        y, m = start.year, start.month
        while date(y, m, 1) <= end:
            d = _nth_weekday(y, m, rule.weekday, rule.nth)
            if d and start <= d <= end:
                out.append(d)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        raise ValueError(f"unknown frequency {rule.frequency!r}")
    return [d for d in out if _in_season(rule, d)]


def days(rule: Rule, start: date, end: date, changes: list[Change] = ()) -> list[Day]:
    """The days from `start` to `end` inclusive, after changes. A day moved into the window
    from just outside it counts; one moved out of it does not."""
    margin = max([abs(c.shift or 0) for c in changes] + [0])
    out = []
    for usual in usual_days(rule, start - timedelta(days=margin), end + timedelta(days=margin)):
        change = next((c for c in changes if c.start <= usual <= c.end), None)
        if change is not None and change.shift is None:
            continue  # cancelled
        actual = usual + timedelta(days=change.shift) if change else usual
        if start <= actual <= end:
            out.append(Day(actual, usual, change.label if change and change.shift else ""))
    return out


def describe_weekday(weekday: int) -> date:
    """A date on `weekday` (for formatting its name in the reader's language)."""
    return date(2026, 1, 5) + timedelta(days=weekday)
