"""Dates as residents read them in their language: "Friday, November 27", "viernes, 27 de
noviembre" (the weekday, then the locale's own month-and-day format)."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civicdesk.schedules.recurrence import describe_weekday

register = template.Library()
# Languages that write the names of days in lower case (Django's catalogs capitalise them).
LOWER_CASE_DAYS = {"es", "fr", "pt", "it", "ca", "ro", "vi"}


def _weekday(value) -> str:
    day = date_format(value, "l")
    if (get_language() or "en").split("-")[0] in LOWER_CASE_DAYS:
        day = day[:1].lower() + day[1:]
    return day


@register.filter
def weekday_day(value) -> str:
    if not value:
        return ""
    return f"{_weekday(value)}, {date_format(value, 'MONTH_DAY_FORMAT')}"


@register.filter
def rule_text(zone) -> str:
    """"Every Thursday", "Every other Thursday", "The first Tuesday of the month"."""
    names = {"weekday": _weekday(describe_weekday(zone.weekday))}
    if zone.frequency == "weekly":
        return _("Every %(weekday)s") % names
    if zone.frequency == "biweekly":
        return _("Every other %(weekday)s") % names
    monthly = {1: _("The first %(weekday)s of the month"), 2: _("The second %(weekday)s of the month"),
               3: _("The third %(weekday)s of the month"), 4: _("The fourth %(weekday)s of the month"),
               5: _("The fifth %(weekday)s of the month"), -1: _("The last %(weekday)s of the month")}
    return monthly.get(zone.nth, monthly[1]) % names


@register.filter
def month_day(value) -> str:
    return date_format(value, "MONTH_DAY_FORMAT") if value else ""
