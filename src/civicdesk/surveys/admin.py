from django.contrib import admin
from parler.admin import TranslatableAdmin, TranslatableTabularInline

from .models import Question, Survey


class QuestionInline(TranslatableTabularInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(TranslatableAdmin):
    """Surveys are edited in the console (with a preview); the admin is the fallback."""

    list_display = ["name", "trigger", "active", "built_in"]
    inlines = [QuestionInline]
