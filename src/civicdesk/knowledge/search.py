"""Search across articles and services: one interface, PostgreSQL full-text or SQLite FTS5.

    results = search("garbaje pickups", language="en")

1. The question is folded and split into words (civicdesk.core.text).
2. Spelling: a word the index has never seen is replaced by the indexed word one edit away
   that is most common ("garbaje" -> "garbage"), using a deletion dictionary (SymSpell's
   idea): O(word length) per word, no scan of the vocabulary.
3. Synonyms: each word (or phrase) expands to its group from the Synonym table.
4. Plurals and verb forms: words are Snowball-stemmed on both sides.
5. The backend matches every word group (AND), falling back to any (OR) when that finds
   nothing, and ranks titles above bodies.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

from civicdesk.core.tasks import bump_on_commit
from civicdesk.core.text import fold, stem, stop_words, terms, words

from .models import SearchEntry, SearchWord, Synonym

VERSION_KEY = "knowledge:search-version"


@dataclass
class Hit:
    kind: str
    ref_id: int
    title: str
    summary: str
    url: str
    score: float


@dataclass
class Results:
    hits: list[Hit]
    query: str
    corrected: str  # the question as searched, after spelling ("" when unchanged)


# --- indexing --------------------------------------------------------------------------

def index(kind: str, ref_id: int, language: str, *, title: str, summary: str, body: str,
          url: str, extra: str = "") -> None:
    """Add or replace one entry; called by signals when an article or service changes."""
    SearchEntry.objects.update_or_create(
        kind=kind, ref_id=ref_id, language=language,
        defaults={"title": title[:200], "summary": summary, "url": url,
                  "terms_title": " ".join(terms(f"{title} {extra}", language)),
                  "terms_body": " ".join(terms(f"{summary} {body}", language))})
    vocab = {w for w in words(f"{title} {extra} {summary} {body}") if 2 < len(w) <= 60}
    SearchWord.objects.bulk_create([SearchWord(word=w) for w in vocab], ignore_conflicts=True)
    changed()


def unindex(kind: str, ref_id: int) -> None:
    SearchEntry.objects.filter(kind=kind, ref_id=ref_id).delete()
    changed()


def changed() -> None:
    """The index changed: other processes rebuild their speller and synonyms on next use."""
    bump_on_commit(VERSION_KEY)


# --- spelling and synonyms (per process, rebuilt when the version moves) -----------------

class _Lexicon:
    def __init__(self) -> None:
        self.version = None
        self.words: set[str] = set()
        self.deletes: dict[str, list[str]] = defaultdict(list)
        self.synonyms: dict[tuple[str, str], list[list[str]]] = {}
        self.lock = threading.Lock()

    def current(self) -> _Lexicon:
        version = cache.get(VERSION_KEY, 0)
        if version != self.version:
            with self.lock:
                if version != self.version:
                    self._load()
                    self.version = version
        return self

    def _load(self) -> None:
        known = set(SearchWord.objects.values_list("word", flat=True))
        synonym_rows = list(Synonym.objects.all())
        for syn in synonym_rows:  # the agency's own words are correct spellings too
            known.update(w for t in syn.words() for w in words(t))
        deletes: dict[str, list[str]] = defaultdict(list)
        for w in known:
            if len(w) >= 4:
                for i in range(len(w)):
                    deletes[w[:i] + w[i + 1:]].append(w)
        synonyms: dict[tuple[str, str], list[list[str]]] = defaultdict(list)
        for syn in synonym_rows:
            group = [fold(t) for t in syn.words()]
            for term in group:
                synonyms[(syn.language, term)] = group
        self.words, self.deletes, self.synonyms = known, deletes, dict(synonyms)

    def correct(self, word: str) -> str:
        """The word itself if known (or too short to guess), else the known word one edit
        away (insertion, deletion, substitution, transposition), else the word."""
        if word in self.words or len(word) < 4 or word.isdigit():
            return word
        candidates: list[str] = []
        candidates += self.deletes.get(word, [])  # the question misses a letter
        for i in range(len(word)):
            shorter = word[:i] + word[i + 1:]
            if shorter in self.words:
                candidates.append(shorter)  # the question has a letter too many
            candidates += self.deletes.get(shorter, [])  # substitution / transposition
        if not candidates:
            return word
        # Prefer the same first letter, then the closest length; ties alphabetically.
        return min(candidates, key=lambda c: (c[0] != word[0], abs(len(c) - len(word)), c))


_lexicon = _Lexicon()


def reset() -> None:
    """Forget this process's speller and synonyms (tests; they reload on next use)."""
    _lexicon.version = None


def _groups(query: str, language: str) -> tuple[list[list[str]], str]:
    """Word groups (each a list of alternatives, stemmed) and the corrected question."""
    lex = _lexicon.current()
    stops = stop_words(language)
    every = words(query)[:24]
    fixed_every = [w if w in stops else lex.correct(w) for w in every]
    corrected = " ".join(fixed_every) if fixed_every != every else ""
    fixed = [w for w in fixed_every if w not in stops][:12]
    groups: list[list[str]] = []
    for w in fixed:
        alternatives = {w}
        for other in lex.synonyms.get((language, w), []):
            alternatives.add(other)
        stems = set()
        for alt in alternatives:
            # a phrase ("bulk item") becomes its stems, all required by FTS phrase syntax
            stems.add(" ".join(stem(x, language) for x in alt.split()))
        groups.append(sorted(s for s in stems if s))
    return [g for g in groups if g], corrected


# --- the two backends --------------------------------------------------------------------

def _fts5_query(groups: list[list[str]], op: str) -> str:
    def alt(s: str) -> str:
        return '"' + s.replace('"', "") + '"'
    return f" {op} ".join("(" + " OR ".join(alt(s) for s in g) + ")" for g in groups)


def _tsquery(groups: list[list[str]], op: str) -> str:
    def alt(s: str) -> str:
        parts = [p for p in s.split() if p.isalnum()]
        return " <-> ".join(parts)
    return f" {op} ".join("(" + " | ".join(alt(s) for s in g if alt(s)) + ")" for g in groups)


def _run(groups, language: str, kinds: tuple[str, ...], limit: int, op: str) -> list[Hit]:
    table = SearchEntry._meta.db_table
    kind_marks = ", ".join(["%s"] * len(kinds))
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            q = _tsquery(groups, "&" if op == "AND" else "|")
            cur.execute(
                f"SELECT kind, ref_id, title, summary, url,"
                f" ts_rank_cd(search, to_tsquery('simple', %s)) AS score FROM {table}"
                f" WHERE search @@ to_tsquery('simple', %s) AND language = %s"
                f" AND kind IN ({kind_marks}) ORDER BY score DESC, id LIMIT %s",
                [q, q, language, *kinds, limit])
        else:
            q = _fts5_query(groups, op)
            cur.execute(
                f"SELECT e.kind, e.ref_id, e.title, e.summary, e.url,"
                f" -bm25(knowledge_search_fts, 4.0, 1.0) AS score"
                f" FROM knowledge_search_fts JOIN {table} e ON e.id = knowledge_search_fts.rowid"
                f" WHERE knowledge_search_fts MATCH %s AND e.language = %s"
                f" AND e.kind IN ({kind_marks}) ORDER BY score DESC, e.id LIMIT %s",
                [q, language, *kinds, limit])
        return [Hit(*row) for row in cur.fetchall()]


def search(query: str, language: str = "en", *, kinds: tuple[str, ...] = ("article", "service"),
           limit: int = 20) -> Results:
    query = (query or "").replace("\x00", "")[:200]
    groups, corrected = _groups(query, language)
    if not groups:
        return Results([], query, "")
    hits = _run(groups, language, kinds, limit, "AND")
    if not hits and len(groups) > 1:
        hits = _run(groups, language, kinds, limit, "OR")
    return Results(hits, query, corrected)


def entries_for(kind: str, ref_ids: list[int], language: str) -> list[Hit]:
    """Indexed entries by id, in `language`, in the order of `ref_ids` (the assistant's
    guesses for a conversation, shown to its agent)."""
    found = {e.ref_id: e for e in SearchEntry.objects.filter(kind=kind, ref_id__in=ref_ids, language=language)}
    return [Hit(kind, i, found[i].title, found[i].summary, found[i].url, 1.0) for i in ref_ids if i in found]
