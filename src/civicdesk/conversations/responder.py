"""The automated first responder a conversation may start with.

conversations sits below the assistant: it never imports it. The assistant registers itself
here when Django starts (assistant/apps.py); without one registered, chats go straight to
the queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .models import Conversation, Message


class Responder(Protocol):
    def greeting(self, language: str) -> str: ...

    def reply(self, conv: Conversation, message: Message) -> None: ...


_responder: Responder | None = None


def register(responder: Responder) -> None:
    global _responder
    _responder = responder


def current() -> Responder | None:
    return _responder
