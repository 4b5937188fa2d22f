"""Emails to residents: the plain text we write, and the same words as HTML laid out for the
reader's language (``lang``, and ``dir="rtl"`` for Arabic and other right-to-left languages,
which a plain-text part cannot say; mail clients would otherwise set an Arabic paragraph
that starts with a request number or a link from left to right).

Plain text (an email's subject and body, a text message) is rendered with ``render_text``,
never ``render_to_string``: Django's templates escape for HTML, and a plain-text part must
say "the city's" and "A & B", not "the city&#x27;s". The HTML part escapes on its own."""

from __future__ import annotations

import re

from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.translation import get_language_info

_URL = re.compile(r"https?://[^\s<>\"]+")


def render_text(template_name: str, context: dict | None = None) -> str:
    """A plain-text template (``*.txt``) rendered as written, without HTML escaping."""
    template = get_template(template_name).template  # the Django engine's own Template
    return template.render(Context(context or {}, autoescape=False))


def _html(body: str, language: str) -> str:
    direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
    text = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escape(body))
    paragraphs = "".join(f'<p style="margin:0 0 1em;white-space:pre-wrap">{p.strip(chr(10))}</p>'
                         for p in text.split("\n\n") if p.strip())
    return (f'<!doctype html><html lang="{language}" dir="{direction}"><head><meta charset="utf-8"></head>'
            f'<body dir="{direction}" style="font-family:sans-serif;line-height:1.5;text-align:start">'
            f"{paragraphs}</body></html>")


def send(*, subject: str, body: str, to: list[str], language: str, headers: dict | None = None,
         connection=None) -> None:
    """Send one email in ``language`` (a code of settings.LANGUAGES). ``connection``: an open
    one to reuse for many messages (a reminder run), instead of one connection each."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, connection=connection,
                                     headers={"Content-Language": language, **(headers or {})})
    message.attach_alternative(_html(body, language), "text/html")
    message.send()


def unsubscribe_headers(stop_url: str) -> dict:
    """RFC 8058 one-click unsubscribe: a mail client's own "unsubscribe" POSTs to the link."""
    return {"List-Unsubscribe": f"<{stop_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def stable_message_id(kind: str, *parts) -> str:
    """A Message-ID that is the same every time the same message is sent: if a worker dies
    after the mail server accepted a message and before its "sent" row committed, the retry
    sends it again under the same ID, which mail clients and archives treat as one message."""
    import hashlib

    from django.conf import settings

    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:24]
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    return f"<{kind}-{digest}@{host}>"
