"""Address text as residents type it, reduced to one comparable form.

"1234 North Elm Street, Apt 5, Riverton IL 60601" and "1234 n elm st #5" both become
number "1234", street "n elm st", unit "5". Street types and directions are reduced to the
USPS abbreviations (Publication 28), case and punctuation are dropped, and a trailing city,
state or postal code is ignored. Spanish street words (calle, avenida) are kept as words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

STREET_TYPES = {
    "street": "st", "str": "st", "st": "st", "avenue": "ave", "av": "ave", "ave": "ave", "avn": "ave",
    "boulevard": "blvd", "blvd": "blvd", "road": "rd", "rd": "rd", "drive": "dr", "dr": "dr", "drv": "dr",
    "lane": "ln", "ln": "ln", "court": "ct", "ct": "ct", "place": "pl", "pl": "pl", "terrace": "ter",
    "ter": "ter", "parkway": "pkwy", "pkwy": "pkwy", "highway": "hwy", "hwy": "hwy", "circle": "cir",
    "cir": "cir", "way": "way", "wy": "way", "square": "sq", "sq": "sq", "trail": "trl", "trl": "trl",
    "alley": "aly", "aly": "aly", "plaza": "plz", "plz": "plz", "expressway": "expy", "expy": "expy",
}
DIRECTIONS = {
    "north": "n", "n": "n", "south": "s", "s": "s", "east": "e", "e": "e", "west": "w", "w": "w",
    "northeast": "ne", "ne": "ne", "northwest": "nw", "nw": "nw", "southeast": "se", "se": "se",
    "southwest": "sw", "sw": "sw", "norte": "n", "sur": "s", "este": "e", "oeste": "w",
}
UNIT_WORDS = {"apt", "apartment", "unit", "suite", "ste", "fl", "floor", "rm", "room", "depto", "piso", "bldg"}
_STATE_ZIP = re.compile(r"\b[a-z]{2}\s*\d{5}(?:-\d{4})?\s*$|\b\d{5}(?:-\d{4})?\s*$")
_HOUSE = re.compile(r"^(\d+[a-z]?)(?:-\d+)?\b\s*(.*)$")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class Parsed:
    number: str
    street: str  # normalized: "n elm st"
    unit: str
    postcode: str

    @property
    def key(self) -> str:
        return f"{self.number} {self.street}".strip()


def _type_word(token: str) -> str | None:
    """A misspelt street type ("stret", "avenu") as its abbreviation; None if not one."""
    if len(token) < 4:
        return None
    from rapidfuzz import fuzz, process

    best = process.extractOne(token, [w for w in STREET_TYPES if len(w) >= 4], scorer=fuzz.ratio, score_cutoff=80)
    return STREET_TYPES[best[0]] if best else None


def street_key(street: str) -> str:
    """A street name in its comparable form: "North Elm Street" -> "n elm st"."""
    tokens = re.findall(r"[a-z0-9]+", fold(street))
    if len(tokens) >= 2 and tokens[-1] not in STREET_TYPES and tokens[-1] not in DIRECTIONS:
        fixed = _type_word(tokens[-1])
        tokens[-1] = fixed or tokens[-1]
    out = []
    for i, t in enumerate(tokens):
        if t in DIRECTIONS and (i == 0 or i == len(tokens) - 1):
            out.append(DIRECTIONS[t])
        elif t in STREET_TYPES and i == len(tokens) - 1 or t in STREET_TYPES and i == len(tokens) - 2 \
                and tokens[-1] in DIRECTIONS:
            out.append(STREET_TYPES[t])
        else:
            out.append(t)
    return " ".join(out)


def parse(text: str, *, city_words: tuple[str, ...] = ()) -> Parsed:
    """Split typed text into number, street, unit and postal code (all normalized)."""
    raw = fold(text).strip()
    postcode = ""
    m = re.search(r"\b(\d{5})(?:-\d{4})?\s*$", raw)
    if m and not re.match(r"^\s*\d{5}\s*$", raw):
        postcode = m.group(1)
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    first = parts[0] if parts else ""
    unit = ""
    for extra in parts[1:]:  # ", apt 5" after a comma
        words = re.findall(r"[a-z0-9#]+", extra)
        if words and (words[0] in UNIT_WORDS or words[0].startswith("#")):
            unit = (words[1] if len(words) > 1 and words[0] in UNIT_WORDS else words[0].lstrip("#"))
    first = _STATE_ZIP.sub("", first).strip()
    m = re.search(r"(?:\s#\s*|\s(?:" + "|".join(sorted(UNIT_WORDS)) + r")\.?\s+)([a-z0-9-]+)\s*$", first)
    if m:
        unit, first = m.group(1), first[:m.start()].strip()
    for city in city_words:
        first = re.sub(rf"\s+{re.escape(fold(city))}$", "", first)
    house = _HOUSE.match(first)
    number, rest = (house.group(1), house.group(2)) if house else ("", first)
    return Parsed(number=number, street=street_key(rest), unit=unit, postcode=postcode)
