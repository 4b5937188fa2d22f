from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "civicdesk.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import sessions  # noqa: F401  (ends the sessions of deactivated staff)
