from django.contrib import admin

from .models import Example, Turn


@admin.register(Example)
class ExampleAdmin(admin.ModelAdmin):
    list_display = ["text", "language", "article", "service", "created_at"]
    list_filter = ["language"]
    search_fields = ["text"]


@admin.register(Turn)
class TurnAdmin(admin.ModelAdmin):
    list_display = ["created_at", "outcome", "label", "score", "question"]
    list_filter = ["outcome", "language"]
