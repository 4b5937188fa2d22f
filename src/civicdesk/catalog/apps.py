from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "civicdesk.catalog"
    label = "catalog"

    def ready(self) -> None:
        from . import snapshot  # noqa: F401  (connects the signals that clear it)
