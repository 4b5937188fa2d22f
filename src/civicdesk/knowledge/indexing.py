"""What goes into the search index for an article or a service, in each language."""

from __future__ import annotations

from django.urls import reverse

from civicdesk.catalog.models import Service

from .models import Article
from .search import changed, index, unindex

__all__ = ["index_article", "index_service", "reindex_all", "unindex", "changed"]

LANGUAGES = ("en", "es")


def index_article(article: Article) -> None:
    if article.status != Article.Status.PUBLISHED:
        unindex("article", article.pk)
        return
    url = reverse("knowledge:article", args=[article.slug])
    for lang in LANGUAGES:
        title, summary, body = article.text(lang)
        index("article", article.pk, lang, title=title, summary=summary, body=body, url=url)


def index_service(service: Service) -> None:
    if not service.active:
        unindex("service", service.pk)
        return
    url = reverse("portal:service", args=[service.service_code])
    for lang in LANGUAGES:
        es = lang == "es"
        title = (service.name_es if es else "") or service.name
        summary = (service.description_es if es else "") or service.description
        group = (service.group_es if es else "") or service.group
        index("service", service.pk, lang, title=title, summary=summary, body=group, url=url,
              extra=service.keywords.replace(",", " "))


def reindex_all() -> int:
    n = 0
    for article in Article.objects.all():
        index_article(article)
        n += 1
    for service in Service.objects.all():
        index_service(service)
        n += 1
    return n
