from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "civicdesk.conversations"
    label = "conversations"
