"""CSV files that open cleanly in a spreadsheet: one writer for every export.

- UTF-8 with a byte-order mark, so Excel reads "Tránsito" and "里弗顿" as written (without
  the mark it guesses the Windows code page and shows "TrÃ¡nsito").
- Header labels in the reader's language, values as labels ("Chat", "Yes"), not codes.
- Numbers: whole numbers as they are, others rounded to one decimal ("37.2", not
  "37.22222222"); dates as YYYY-MM-DD and times as YYYY-MM-DD HH:MM in the agency's zone.
- Quoting by Python's `csv` (only where a cell needs it: a comma, a quote, a line break).
- A text cell a spreadsheet would run as a formula (starting with = + - @, a tab or a
  carriage return) gets a leading apostrophe; a number such as -3.5 is left alone, and
  nothing else is touched.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

BOM = "\ufeff"
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str | int:
    """One value as a spreadsheet should show it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        rounded = round(float(value), 1)
        return int(rounded) if rounded == int(rounded) else f"{rounded:.1f}"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) \
            else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def csv_response(filename: str, header: Iterable[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download: `filename` without extension (today's date is added)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate()}.csv"'
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow([str(h) for h in header])
    for row in rows:
        writer.writerow([cell(c) for c in row])
    return response
