"""The assistant's trained engine for this process: built from the database, retrained when
articles, services or examples change.

Each process keeps one `Engine`. A change anywhere bumps a version number in the cache (so
every process hears of it); the next question notices, retrains in a background thread, and
keeps answering with the old engine until the new one is ready. The very first question of a
process trains synchronously (well under a second for the demo city's catalog, lexical only).
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections
from django.utils import translation
from django.utils.translation import gettext_lazy

from civicdesk.core.tasks import bump_on_commit

from . import encoders
from .engine import Engine, Entry, Result, entries_for_article

log = logging.getLogger(__name__)
VERSION_KEY = "assistant:version"


def label_for(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def parse_label(label: str) -> tuple[str, int] | None:
    kind, _, pk = (label or "").partition(":")
    return (kind, int(pk)) if kind in ("article", "service", "schedule", "notice") and pk.isdigit() else None


# How residents ask about a collection schedule; each collection service's name fills them in,
# in each language it is named in, so the engine learns "when is my trash picked up?" from
# the agency's own list of services (schedules app), not from examples.
SCHEDULE_QUESTIONS = (
    gettext_lazy("When is %(service)s collected on my street?"),
    gettext_lazy("What day is %(service)s pickup?"),
    gettext_lazy("%(service)s schedule for my address"),
)


def entries_from_database() -> list[Entry]:
    """What the agency has entered: published articles and active services in each language
    they are written in, and supervisors' example questions."""
    from civicdesk.catalog.models import Service
    from civicdesk.knowledge.models import Article

    from .models import Example

    entries: list[Entry] = []
    for a in Article.objects.published().prefetch_related("translations"):
        label = label_for("article", a.pk)
        for t in a.translations.all():  # each language it is written in
            entries += entries_for_article(label, t.title, t.summary, t.body, t.language_code)
    for s in Service.objects.active().prefetch_related("translations"):
        label = label_for("service", s.pk)
        for t in s.translations.all():
            entries += entries_for_article(label, t.name, t.description, "", t.language_code, s.keywords)
    from civicdesk.schedules.models import CollectionService

    for c in (CollectionService.objects.filter(active=True, zones__isnull=False).distinct()
              .prefetch_related("translations")):
        label = label_for("schedule", c.pk)
        for t in c.translations.all():
            with translation.override(t.language_code):
                entries += [Entry(label, str(q) % {"service": t.name.lower()}, "title", t.language_code)
                            for q in SCHEDULE_QUESTIONS]
    from django.utils import timezone

    from civicdesk.schedules.models import Notice

    # service notices not over yet: "is the water off on Oak Street?" answered from the notice
    for n in Notice.objects.filter(published=True, ends_at__gt=timezone.now()).prefetch_related("translations"):
        label = label_for("notice", n.pk)
        for t in n.translations.all():
            entries += entries_for_article(label, t.name, "", t.body, t.language_code)
    for e in Example.objects.all():
        entries.append(Entry(e.label, e.text, "example", e.language))
    return entries


@lru_cache(maxsize=1)
def encoder():
    """The sentence encoder CIVICDESK_ASSISTANT_ENCODER names (encoders.py), or None."""
    return encoders.load(settings.CIVICDESK_ASSISTANT_ENCODER,
                         settings.CIVICDESK_ASSISTANT_THREADS,
                         settings.CIVICDESK_ASSISTANT_ADAPT_DIR)


def engine_options(adapt: bool | None = None) -> dict:
    """How this installation builds its engine with the encoder (the evaluation too)."""
    return {
        "adapt": settings.CIVICDESK_ASSISTANT_ADAPT if adapt is None else adapt,
        "adapt_cache": settings.CIVICDESK_ASSISTANT_ADAPT_DIR,
        "encoder_name": settings.CIVICDESK_ASSISTANT_ENCODER,
    }


class _Holder:
    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.version = None
        self.training = False
        self.lock = threading.Lock()

    def get(self) -> Engine | None:
        version = cache.get(VERSION_KEY, 0)
        if self.engine is None:
            with self.lock:
                if self.engine is None:
                    # the first question cannot wait minutes for the encoder's adaptation:
                    # answer with cached adapted weights, or the plain encoder while the
                    # adaptation runs in the background
                    self._train(version, adapt_now=False)
                    pending = self.engine and (self.engine.adaptation or {}).get("pending")
                    if pending and not self.training:
                        self.training = True
                        threading.Thread(target=self._train_in_background, args=(version,),
                                         daemon=True, name="assistant-adapt").start()
            return self.engine
        if version != self.version and not self.training:
            with self.lock:
                if not self.training:
                    self.training = True
                    threading.Thread(target=self._train_in_background, args=(version,),
                                     daemon=True, name="assistant-train").start()
        return self.engine

    def _train(self, version, adapt_now: bool = True) -> None:
        from civicdesk.knowledge.models import Synonym

        entries = entries_from_database()
        synonyms = [(s.language, s.words()) for s in Synonym.objects.all()]
        self.engine = Engine(entries, encoder=encoder(), synonyms=synonyms, adapt_now=adapt_now,
                             **engine_options()) if entries else None
        self.version = version
        if self.engine:
            log.info("assistant trained: %d texts, %d labels, %.2f s, threshold %.3f",
                     len(entries), len(self.engine.labels), self.engine.train_seconds,
                     self.engine.threshold)

    def _train_in_background(self, version) -> None:
        try:
            self._train(version)
        except Exception:  # keep answering with the old engine; the log says why
            log.exception("assistant retraining failed")
        finally:
            self.training = False
            close_old_connections()

    def train_now(self) -> Engine | None:
        """Train (and adapt the encoder) in this thread, for commands that must finish it."""
        with self.lock:
            self._train(cache.get(VERSION_KEY, 0))
        return self.engine

    def reset(self) -> None:
        with self.lock:
            self.engine, self.version, self.training = None, None, False


holder = _Holder()


def rank(text: str, language: str) -> Result | None:
    engine = holder.get()
    return engine.rank(text, language) if engine else None


def changed() -> None:
    """Articles, services or examples changed: every process retrains on its next question."""
    bump_on_commit(VERSION_KEY)
