"""Dates as residents read them in their language: "Friday, November 27", "viernes, 27 de
noviembre" (the weekday, then the locale's own month-and-day format)."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language

register = template.Library()
# Languages that write the names of days in lower case (Django's catalogs capitalise them).
LOWER_CASE_DAYS = {"es", "fr", "pt", "it", "ca", "ro", "vi"}


@register.filter
def weekday_day(value) -> str:
    if not value:
        return ""
    day = date_format(value, "l")
    if (get_language() or "en").split("-")[0] in LOWER_CASE_DAYS:
        day = day[:1].lower() + day[1:]
    return f"{day}, {date_format(value, 'MONTH_DAY_FORMAT')}"


@register.filter
def month_day(value) -> str:
    return date_format(value, "MONTH_DAY_FORMAT") if value else ""
