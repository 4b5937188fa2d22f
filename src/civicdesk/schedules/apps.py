from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "civicdesk.schedules"
    verbose_name = "Collection and sweeping schedules"

    def ready(self) -> None:
        from . import privacy, services  # noqa: F401 (their signal receivers)
