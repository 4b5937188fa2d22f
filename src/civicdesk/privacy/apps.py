from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "civicdesk.privacy"
    label = "privacy"

    def ready(self):
        from . import sign_ins  # noqa: F401 - connects the audit log to Django's sign-in signals
