"""Text normalisation shared by the assistant, the portal search and the comment themes,
for every language.

Lowercase, accents folded, stop words dropped, Snowball stems in the text's language. The
same function prepares the training texts and the question, so "potholes", "Pothole" and
"pot-hole" meet on the same stem, "basura" / "basuras" on theirs, "poubelles" / "poubelle"
on theirs.

- Words: letters and digits of any script. Chinese and Japanese are written without spaces,
  so a run of their characters becomes overlapping two-character pieces ("垃圾收集" ->
  垃圾, 圾收, 收集), the usual way to index them without a dictionary.
- Stop words: our own short lists for English and Spanish (tuned on the development packs);
  for other languages the stopwords-iso lists (`stopwordsiso`, MIT), one-word entries only.
- Stems: the Snowball stemmers (`snowballstemmer`) for the 30-odd languages they cover
  (English, Spanish, French, Arabic, Portuguese, ...); a language without one (Vietnamese,
  Chinese) keeps its words as they are.
- Language of a message: `py3langid` (BSD), restricted to the agency's languages.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+")
# Han, Hiragana, Katakana: written without spaces between words
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

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

SNOWBALL = {"ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
            "el": "greek", "en": "english", "es": "spanish", "eu": "basque", "fa": "persian",
            "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi", "hu": "hungarian",
            "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
            "ne": "nepali", "nl": "dutch", "no": "norwegian", "nb": "norwegian", "pl": None,
            "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
            "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish"}


def base(language: str) -> str:
    """"zh-hans" -> "zh", "pt-br" -> "pt": the part that names the language."""
    return (language or "en").lower().split("-")[0].split("_")[0]


@lru_cache(maxsize=64)
def _stemmer(language: str):
    name = SNOWBALL.get(base(language))
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=64)
def stop_words(language: str) -> frozenset[str]:
    """Folded stop words of `language` (an unknown one: none)."""
    code = base(language)
    if code in STOP_WORDS:
        return frozenset(STOP_WORDS[code])
    import stopwordsiso

    if not stopwordsiso.has_lang(code):
        return frozenset()
    out = set()
    for w in stopwordsiso.stopwords(code):
        out.update(words(w) if " " not in w.strip() else ())
    return frozenset(out)


def fold(text: str) -> str:
    """Lowercase and strip accents: "Recolección" -> "recoleccion"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """Stemming is the hot path of every question: the stem of each word seen is kept."""
    stemmer = _stemmer(language)
    return stemmer.stemWord(word) if stemmer and not CJK.match(word) else word


def _pieces(word: str) -> list[str]:
    if not CJK.search(word):
        return [word]
    out = []
    for part in re.split(f"({CJK.pattern})", word):
        if CJK.fullmatch(part):
            out += [part] if len(part) == 1 else [part[i:i + 2] for i in range(len(part) - 1)]
        elif part:
            out.append(part)
    return out


def words(text: str) -> list[str]:
    """Folded words, stop words kept (for phrases and spelling); Chinese as two-character
    pieces."""
    return [p for w in WORD.findall(fold(text)) for p in _pieces(w)]


def terms(text: str, language: str = "en") -> list[str]:
    """Folded, stop words dropped, stemmed: the unit the indexes count."""
    stops = stop_words(language)
    return [stem(w, language) for w in words(text)
            if w not in stops and (len(w) > 1 or w.isdigit() or CJK.match(w))]


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]):
    from py3langid.langid import _load_identifier

    identifier = _load_identifier(norm_probs=True)
    known = sorted({base(c) for c in languages} & set(identifier.labels))
    if len(known) < 2:  # the model knows fewer than two of them: nothing to tell apart
        return None
    identifier.set_languages(known)
    return identifier


def detect_language(text: str, languages: tuple[str, ...] = ("en", "es"), default: str = "en",
                    confidence: float = 0.9) -> str:
    """Which of `languages` (the agency's codes) `text` is written in, or `default` when the
    text does not say clearly enough (short, mixed, or a language the agency does not
    offer)."""
    identifier = _identifier(tuple(languages)) if len(languages) >= 2 else None
    if identifier is None:
        return default
    guess, probability = identifier.classify(text)
    if probability < confidence:
        return default
    return next((c for c in languages if base(c) == guess), default)
