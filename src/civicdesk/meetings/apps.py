from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "civicdesk.meetings"
    verbose_name = _("Public meetings")

    def ready(self) -> None:
        from . import privacy, services  # noqa: F401 (their signal receivers)
