from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "civicdesk.console"
    label = "console"
