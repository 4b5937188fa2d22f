from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "civicdesk.assistant"
    label = "assistant"
    verbose_name = "Assistant"

    def ready(self) -> None:
        from civicdesk.conversations import responder

        from . import dialogue, signals  # noqa: F401

        responder.register(dialogue)  # chats and texts start with the assistant (docs/assistant.md)
