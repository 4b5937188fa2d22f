"""Warming the assistant when a server process starts (CIVICDESK_ASSISTANT_WARM, on by default).

Without it the first resident to write after a start or a deploy waited while the process
trained its engine from the database (and, with CIVICDESK_ASSISTANT_ENCODER, imported torch,
loaded the sentence encoder and embedded every text): seconds, measured by
bench/first_reply_bench.py. The ASGI application (civicdesk/asgi.py) calls `start()` at the
lifespan startup that uvicorn sends, so only server processes warm: management commands,
the task worker (it never answers a resident) and the tests, which never send a lifespan
event, do not. The work runs in a background thread; /readyz answers 503 meanwhile
(core/readiness.py), and a question that arrives first simply waits for the same training,
as it did before. A failure is logged and the engine is trained on the first question instead.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connections

from civicdesk.core import readiness

log = logging.getLogger(__name__)
NAME = "assistant"
QUESTION = "hello, when is the office open?"  # any question: it runs every step of an answer once


def enabled() -> bool:
    return settings.CIVICDESK_ASSISTANT and settings.CIVICDESK_ASSISTANT_WARM


def warm() -> float:
    """Train this process's engine and rank one question in each language, so that the
    first resident's question finds the engine, the encoder and their code paths loaded.
    Returns the seconds it took."""
    from civicdesk.core.text import detect_language

    from . import brain, dialogue  # noqa: F401 (the dialogue's imports, loaded now too)

    started = time.perf_counter()
    engine = brain.holder.get()  # trains; with the encoder, loads and embeds
    if engine is not None:
        detect_language(QUESTION, dialogue.agency_languages())
        for code, _name in settings.LANGUAGES:
            engine.rank(QUESTION, code)
    return time.perf_counter() - started


def _run() -> None:
    try:
        seconds = warm()
        log.info("assistant warmed in %.2f s", seconds)
    except Exception:  # the first question trains it instead; the log says why
        log.exception("assistant warm-up failed")
    finally:
        readiness.done(NAME)
        connections.close_all()  # this thread's database connections


def start() -> threading.Thread | None:
    """Warm in a background thread, if the assistant and its warm-up are on."""
    if not enabled():
        return None
    readiness.preparing(NAME)
    thread = threading.Thread(target=_run, daemon=True, name="assistant-warm")
    thread.start()
    return thread
