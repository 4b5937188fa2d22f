from django.apps import AppConfig


class AddressesConfig(AppConfig):
    name = "civicdesk.addresses"
    verbose_name = "Address register"
    default_auto_field = "django.db.models.BigAutoField"
