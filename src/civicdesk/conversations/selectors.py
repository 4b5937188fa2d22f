"""Reads for the agent's inbox."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import get_language_info

from .models import Conversation, Message

PREVIEW_CHARS = 140


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def with_last_message(qs):
    """Each conversation with the last words said in it (not the system's own lines), who
    said them, and the resident's name when they are signed in."""
    last = Message.objects.filter(conversation=OuterRef("pk")).exclude(sender=Message.Sender.SYSTEM).order_by("-seq")
    return qs.select_related("resident").annotate(
        last_body=Subquery(last.values("body")[:1]), last_sender=Subquery(last.values("sender")[:1]))


def wait_state(conv: Conversation, now=None) -> str:
    """"ok", "soon" (three quarters of the answer target gone) or "over", for a waiting chat;
    "" otherwise. The target is CIVICDESK_CHAT_ANSWER_TARGET_S."""
    if conv.state != Conversation.State.WAITING or not conv.waiting_since:
        return ""
    waited = (now or timezone.now()) - conv.waiting_since
    target = timedelta(seconds=settings.CIVICDESK_CHAT_ANSWER_TARGET_S)
    return "over" if waited >= target else "soon" if waited >= target * 0.75 else "ok"


def describe(rows, now=None) -> list[Conversation]:
    """Fill in what an inbox row shows: name or anonymous, language name, preview, wait."""
    now = now or timezone.now()
    out = []
    for c in rows:
        resident_name = ""
        if c.resident_id:
            resident_name = " ".join(p for p in (c.resident.first_name, c.resident.last_name) if p)
        c.who = c.contact_name or resident_name
        c.language_name = _language_name(c.language)
        body = (getattr(c, "last_body", "") or "").strip()
        c.preview = body[:PREVIEW_CHARS] + ("…" if len(body) > PREVIEW_CHARS else "")
        c.wait_state = wait_state(c, now)
        out.append(c)
    return out
