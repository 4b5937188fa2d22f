"""Mask payment card numbers and US social security numbers before anything is stored.

``redact(text)`` returns the masked text and the kinds it found, so the caller can tell
the resident why their words changed. Card numbers must pass the Luhn check (so order
numbers and phone numbers stay); SSNs must have a valid area, group and serial.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
SSN = re.compile(r"(?<!\d)(\d{3})[- ]?(\d{2})[- ]?(\d{4})(?!\d)")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card(match: re.Match, found: set) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if 13 <= len(digits) <= 19 and luhn_ok(digits):
        found.add("card")
        return _("[card number ending %(last4)s removed]") % {"last4": digits[-4:]}
    return match.group(0)


def _ssn(match: re.Match, found: set) -> str:
    area, group, serial = match.groups()
    separated = match.group(0) != area + group + serial
    if area in ("000", "666") or area.startswith("9") or group == "00" or serial == "0000":
        return match.group(0)
    if not separated and not re.search(r"(?i)ssn|social|seguro", match.string):
        return match.group(0)  # nine bare digits are an SSN only when the text says so
    found.add("ssn")
    return _("[social security number removed]")


def redact(text: str) -> tuple[str, set[str]]:
    if not text:
        return text, set()
    found: set[str] = set()
    text = CARD.sub(lambda m: _card(m, found), text)
    text = SSN.sub(lambda m: _ssn(m, found), text)
    return text, found


def explanation(found: set[str]) -> str:
    """What to tell the resident, in their language."""
    if not found:
        return ""
    return _("For your safety we removed %(what)s from your message. Never send card numbers or social security "
             "numbers here; we will never ask for them this way.") % {
        "what": _("a card number and a social security number") if len(found) == 2
        else _("a card number") if "card" in found else _("a social security number")}
