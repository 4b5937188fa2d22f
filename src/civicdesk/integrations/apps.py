from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "civicdesk.integrations"
    label = "integrations"
    verbose_name = "Integrations (API keys, webhooks)"

    def ready(self) -> None:
        from . import webhooks  # noqa: F401  (connects the signals that clear its endpoint cache)
