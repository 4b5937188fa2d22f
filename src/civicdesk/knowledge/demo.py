"""Load the demo city's articles, categories and synonyms (idempotent)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from civicdesk.catalog.models import Department, Service
from civicdesk.core.translation import save_translations

from . import services
from .demo_articles import ARTICLES, CATEGORIES, SYNONYMS
from .models import Article, Category, Synonym


@transaction.atomic
def seed_knowledge(editor=None) -> int:
    """Create what is missing; returns how many articles were added."""
    categories = {}
    for order, (slug, name, name_es) in enumerate(CATEGORIES):
        categories[slug], created = Category.objects.get_or_create(slug=slug, defaults={"order": order})
        if created:
            save_translations(categories[slug], {"en": {"name": name}, "es": {"name": name_es}})
    for language, terms in SYNONYMS:
        Synonym.objects.get_or_create(language=language, terms=terms)
    added = 0
    review = timezone.localdate() + timezone.timedelta(days=365)
    for a in ARTICLES:
        if Article.objects.filter(slug=a["slug"]).exists():
            continue
        (title, summary, body), (title_es, summary_es, body_es) = a["en"], a["es"]
        article = Article(slug=a["slug"], category=categories[a["category"]],
                          status=Article.Status.PUBLISHED, review_date=review)
        services.save_article(article, editor=editor, note="demo content", texts={
            "en": {"title": title, "summary": summary, "body": body},
            "es": {"title": title_es, "summary": summary_es, "body": body_es}})
        article.departments.set(Department.objects.filter(slug__in=a["departments"]))
        article.services.set(Service.objects.filter(service_code__in=a["services"]))
        added += 1
    return added
