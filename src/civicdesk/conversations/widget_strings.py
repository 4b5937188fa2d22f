"""The chat widget's own words, as translatable strings of the interface catalogs.

The widget (static/civicdesk/js/chat-widget.js) draws nothing of its own language: a portal
page embeds these strings (``json_script`` in base.html, through the context processor), and a
widget embedded on another site asks ``/chat/config/`` for them. So a language added by a
settings line and a catalog (docs/translation.md) reaches the widget too, and the completeness
test sees every one of them.
"""

from django.templatetags.static import static
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _


def widget_strings() -> dict[str, str]:
    """Every word the widget shows, in the active language, plus its code, direction and stylesheet."""
    return {
        "lang": get_language() or "en",
        # its stylesheet under its content-hashed name in production: cached for good
        "stylesheet": static("civicdesk/css/chat-widget.css"),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "open": _("Chat with us"),
        "title": _("Chat with us"),
        "close": _("Close chat"),
        "topic": _("What is it about?"),
        "general": _("Something else"),
        "start": _("Start chat"),
        "message": _("Your message"),
        "send": _("Send"),
        "attach": _("Attach an image"),
        "you": _("You"),
        "seen": _("Seen"),
        "sending": _("Sending…"),
        "typing": _("An agent is typing…"),
        "connecting": _("Connecting…"),
        "connected": _("Connected"),
        "offline": _("Connection lost. Reconnecting…"),
        "leaveIntro": _("No one is free to chat right now. Leave a message and we will answer by email."),
        "leaveMessage": _("Your message for the team"),
        "survey": _("How did we do? Answer a one-minute survey"),
        "email": _("Your email"),
        "name": _("Your name (optional)"),
        "leave": _("Send message"),
        "transcript": _("Email me this transcript"),
        "transcriptSend": _("Send transcript"),
        "newChat": _("Start a new chat"),
        "error": _("Something went wrong. Please try again."),
        "messages": _("Messages"),
        "image": _("Image"),
        "machine": _("Machine-translated"),
        "original": _("Show the original"),
    }
