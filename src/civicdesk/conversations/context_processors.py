"""The chat widget's words for the page that carries it (templates/base.html, block chat)."""

from .widget_strings import widget_strings


def chat(request):
    # A callable: the template calls it only where the chat block is drawn.
    return {"chat_strings": widget_strings}
