"""What goes into the search index for an article or a service, in each language."""

from __future__ import annotations

from django.urls import reverse

from civicdesk.catalog.models import Service
from civicdesk.core import languages
from civicdesk.core.translation import localized

from .models import Article
from .search import changed, index, unindex

__all__ = ["index_article", "index_service", "reindex_all", "unindex", "changed"]

def index_article(article: Article) -> None:
    """One entry per language of the agency: the translation, or the default language's
    text where there is none (a reader searching in their language still finds it)."""
    if article.status != Article.Status.PUBLISHED:
        unindex("article", article.pk)
        return
    url = reverse("knowledge:article", args=[article.slug])
    for lang in languages.codes():
        title, summary, body = article.text(lang)
        index("article", article.pk, lang, title=title, summary=summary, body=body, url=url)


def index_service(service: Service) -> None:
    if not service.active:
        unindex("service", service.pk)
        return
    url = reverse("portal:service", args=[service.service_code])
    for lang in languages.codes():
        index("service", service.pk, lang, title=localized(service, "name", lang),
              summary=localized(service, "description", lang), body=localized(service, "group", lang),
              url=url, extra=service.keywords.replace(",", " "))


def reindex_all() -> int:
    n = 0
    for article in Article.objects.all():
        index_article(article)
        n += 1
    for service in Service.objects.all():
        index_service(service)
        n += 1
    return n
