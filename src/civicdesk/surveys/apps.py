from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "civicdesk.surveys"
    label = "surveys"
    verbose_name = "Surveys and CX measurement"
