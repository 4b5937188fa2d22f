from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "civicdesk.alerts"
    verbose_name = "Area alerts"

    def ready(self) -> None:
        from . import privacy, services  # noqa: F401 (their signal receivers)
