from django.contrib import admin

from .models import Question, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Surveys are edited in the console (with a preview); the admin is the fallback."""

    list_display = ["name", "trigger", "active", "built_in"]
    inlines = [QuestionInline]
