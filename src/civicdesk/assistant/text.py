"""Text normalisation shared by the assistant and the portal search: one tokenizer, EN and ES.

Lowercase, accents folded, stop words dropped, Snowball stems (English or Spanish). The same
function prepares the training texts and the question, so "potholes", "Pothole" and
"pot-hole" meet on the same stem, and "basura" / "basuras" on theirs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[a-z0-9]+")

STOP_WORDS = {
    "en": set(
        """a an the and or but if then else of to in on at by for with from into onto over
        under about as is are was were be been being am do does did doing have has had having
        i me my mine we us our ours you your yours he him his she her hers it its they them
        their theirs this that these those there here what which who whom whose when where
        why how can could would should shall will may might must also just so than too very
        s t not no nor any some all each both few more most other such only own same again
        further once up down out off please hi hello hey thanks thank ok okay get got im ive
        id dont doesnt isnt cant wont want need like know tell let""".split()
    ),
    "es": set(
        """el la los las un una unos unas y o u pero si sino de del al a en con por para sin
        sobre entre hasta desde que quien quienes cual cuales cuando donde como porque es son
        era eran fue fueron ser estar esta estan este esto estos estas ese esa esos esas aquel
        hay ha han he has haber tengo tiene tienen tener yo me mi mis tu tus te usted ustedes
        su sus nos nuestro nuestra nuestros nuestras ellos ellas el ella lo le les se muy mas
        menos tambien ya no ni algo alguno alguna todo toda todos todas otro otra otros otras
        hola gracias favor puedo puede pueden podria quiero quisiera necesito saber decir
        cómo qué""".split()
    ),
}

# Stemming is the hot path of every question: cache the stem of each word seen.
_stemmers = {"en": snowballstemmer.stemmer("english"), "es": snowballstemmer.stemmer("spanish")}


def fold(text: str) -> str:
    """Lowercase and strip accents: "Recolección" -> "recoleccion"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    stemmer = _stemmers.get(language, _stemmers["en"])
    return stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """Folded words, stop words kept (for phrases and spelling)."""
    return WORD.findall(fold(text))


def terms(text: str, language: str = "en") -> list[str]:
    """Folded, stop words dropped, stemmed: the unit the indexes count."""
    stops = STOP_WORDS.get(language, STOP_WORDS["en"])
    return [stem(w, language) for w in words(text) if w not in stops and (len(w) > 1 or w.isdigit())]


SPANISH_HINTS = set(
    """el la los las del que de en por para con una uno es esta estan donde como cuando
    quiero necesito puedo mi mis hay calle basura permiso multa perro gato agua luz bache
    solicitud ayuda gracias hola buenos buenas dias tardes noches""".split()
)
ENGLISH_HINTS = set(
    """the a an is are my i to of and in on for with how what when where can do does my
    street trash permit dog cat water light pothole request help thanks hello please""".split()
)


def detect_language(text: str, default: str = "en") -> str:
    """English or Spanish by function words and accents; `default` when it cannot tell."""
    if any(c in text for c in "ñ¿¡áéíóú"):
        return "es"
    ws = words(text)
    es = sum(w in SPANISH_HINTS for w in ws)
    en = sum(w in ENGLISH_HINTS for w in ws)
    if es > en:
        return "es"
    if en > es:
        return "en"
    return default
