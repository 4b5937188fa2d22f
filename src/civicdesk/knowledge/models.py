"""The knowledge base: articles in Markdown (in the agency's languages), their revisions and residents' feedback,
the search index shared by articles and services, and the assistant's example questions and
log of what it was asked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.managers import TranslatableManager, TranslatableQuerySet
from parler.models import TranslatableModel, TranslatedFields

from civicdesk.core.models import Translated
from civicdesk.core.translation import localized


class Category(Translated):
    slug = models.SlugField(unique=True)
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=100))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name_plural = "categories"


class ArticleQuerySet(TranslatableQuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)


class Article(TranslatableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles",
                                 verbose_name=_("category"))
    status = models.CharField(_("state"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    # In each of the agency's languages; a reader whose language is missing gets the default
    # language's text and a note saying so.
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        summary=models.CharField(_("summary"), max_length=400,
                                 help_text=_("One or two sentences; the assistant's short answer.")),
        body=models.TextField(_("body (Markdown)")),
    )
    services = models.ManyToManyField("catalog.Service", blank=True, related_name="articles",
                                      verbose_name=_("services"))
    departments = models.ManyToManyField("catalog.Department", blank=True, related_name="articles",
                                         verbose_name=_("departments"))
    review_date = models.DateField(_("review by"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    helpful_yes = models.PositiveIntegerField(default=0)
    helpful_no = models.PositiveIntegerField(default=0)

    objects = TranslatableManager.from_queryset(ArticleQuerySet)()

    class Meta:
        ordering = ["category__order", "slug"]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article", args=[self.slug])

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_summary(self) -> str:
        return localized(self, "summary")

    @property
    def display_body(self) -> str:
        return localized(self, "body")

    def text(self, language: str) -> tuple[str, str, str]:
        """Title, summary and body in ``language``, or in the default language when the
        article has not been translated into it (``in_language`` tells which)."""
        return (localized(self, "title", language), localized(self, "summary", language),
                localized(self, "body", language))

    def in_language(self, language: str) -> bool:
        return self.has_translation(language)

    @property
    def helpful_share(self) -> float | None:
        total = self.helpful_yes + self.helpful_no
        return self.helpful_yes / total if total else None


class ArticleRevision(models.Model):
    """What an article said after each save: who changed it and the full text then."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10)
    texts = models.JSONField(default=dict)  # {language: {"title", "summary", "body"}} as saved
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"],
                                               name="article_revision_unique")]

    @property
    def title(self) -> str:
        text = self.texts.get(settings.LANGUAGE_CODE) or next(iter(self.texts.values()), {})
        return text.get("title", "")


class ArticleFeedback(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class Synonym(models.Model):
    """Words residents use for the same thing ("trash, garbage, rubbish"): search and the
    assistant treat them as one."""

    language = models.CharField(max_length=8)  # one of settings.LANGUAGES
    terms = models.CharField(max_length=300, help_text=_("Comma-separated words or phrases."))

    class Meta:
        ordering = ["language", "terms"]

    def __str__(self) -> str:
        return f"{self.language}: {self.terms}"

    def words(self) -> list[str]:
        return [t.strip() for t in self.terms.split(",") if t.strip()]


class SearchEntry(models.Model):
    """One searchable thing in one language (an article or a service).

    `terms_title` / `terms_body` hold the folded, stemmed words (civicdesk.core.text):
    PostgreSQL indexes them in a generated tsvector column with a GIN index, SQLite in an FTS5
    table kept in step by triggers (migration 0002). Same stems, same results, either way.
    """

    kind = models.CharField(max_length=10)  # article | service
    ref_id = models.PositiveIntegerField()
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    url = models.CharField(max_length=200)
    terms_title = models.TextField(blank=True)
    terms_body = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "ref_id", "language"],
                                               name="search_entry_unique")]


class SearchWord(models.Model):
    """Every folded word the index holds: the speller's dictionary."""

    word = models.CharField(max_length=60, primary_key=True)
