from django.contrib import admin
from parler.admin import TranslatableAdmin

from .models import Article, ArticleFeedback, Category, Synonym


@admin.register(Category)
class CategoryAdmin(TranslatableAdmin):
    list_display = ["name", "slug", "order"]


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["language", "terms"]
    list_filter = ["language"]


@admin.register(Article)
class ArticleAdmin(TranslatableAdmin):
    """Articles are written in the console (preview, history); the admin lists them."""

    list_display = ["title", "category", "status", "review_date", "helpful_yes", "helpful_no"]
    list_filter = ["status", "category"]
    search_fields = ["translations__title"]
    readonly_fields = ["revision", "updated_by", "helpful_yes", "helpful_no"]


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(admin.ModelAdmin):
    list_display = ["article", "helpful", "comment", "language", "created_at"]
    list_filter = ["helpful", "language"]
