from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "civicdesk.assistant"
    label = "assistant"
    verbose_name = "Assistant"

    def ready(self) -> None:
        from . import signals  # noqa: F401
