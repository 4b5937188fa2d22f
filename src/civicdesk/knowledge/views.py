"""Resident pages of the knowledge base: help index, article, search, "what can I do online"."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.catalog.models import Department, Service
from civicdesk.core import languages
from civicdesk.core.models import by_display_name
from civicdesk.core.ratelimit import limit_posts
from civicdesk.core.translation import localized

from . import search, services
from .models import Article, Category


def _lang() -> str:
    return languages.normalize(get_language())


def _by_title(articles) -> list[Article]:
    return sorted(articles, key=lambda a: a.display_title.casefold())


def index(request: HttpRequest) -> HttpResponse:
    categories = list(Category.objects.prefetch_related(
        "translations", Prefetch("articles", queryset=Article.objects.published().prefetch_related("translations")))
        .annotate(n=Count("articles", filter=Q(articles__status=Article.Status.PUBLISHED)))
        .filter(n__gt=0))
    for c in categories:
        c.sorted_articles = _by_title(c.articles.all())
    return render(request, "knowledge/index.html", {"categories": categories})


def article(request: HttpRequest, slug: str) -> HttpResponse:
    a = (Article.objects.published().select_related("category")
         .prefetch_related("services__department__hours", "departments").filter(slug=slug).first())
    if a is None:
        raise Http404
    related = _by_title(Article.objects.published().filter(category=a.category).exclude(pk=a.pk)
                        .prefetch_related("translations"))[:5]
    lang = languages.normalize(get_language())
    shown_in = lang if a.has_translation(lang) else settings.LANGUAGE_CODE
    return render(request, "knowledge/article.html", {
        "article": a, "body": services.render_markdown(a.display_body), "related": related,
        "thanked": request.GET.get("thanks") == "1",
        # Not translated into the reader's language yet: say so, and mark the text's language.
        "shown_in": shown_in, "shown_in_name": get_language_info(shown_in)["name_translated"],
        "untranslated": shown_in != lang})


@require_POST
@limit_posts("forms", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    a = Article.objects.published().filter(slug=slug).first()
    if a is None:
        raise Http404
    choice = request.POST.get("helpful")
    if choice not in ("yes", "no"):
        messages.error(request, _("Choose “Yes” or “No”."))
        return redirect(a.get_absolute_url() + "#feedback")
    comment = request.POST.get("comment", "")
    if len(comment) > 2000:
        messages.error(request, _("Keep the comment under 2000 characters (it has %(n)s).")
                       % {"n": len(comment)})
        return redirect(a.get_absolute_url() + "#feedback")
    services.record_feedback(a, helpful=choice == "yes", comment=comment, language=_lang())
    return redirect(a.get_absolute_url() + "?thanks=1#feedback")


def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    results = search.search(q, _lang()) if q else None
    return render(request, "knowledge/search.html", {"q": q, "results": results})


def online(request: HttpRequest) -> HttpResponse:
    """Everything a resident can do here, by department: report online, and the answers."""
    departments = []
    for d in by_display_name(Department.objects.prefetch_related("translations")):
        svc = sorted(Service.objects.active().filter(department=d).prefetch_related("translations"),
                     key=lambda s: (localized(s, "group").casefold(), s.display_name.casefold()))
        arts = _by_title(Article.objects.published().filter(
            Q(departments=d) | Q(services__department=d)).distinct().prefetch_related("translations"))
        if svc or arts:
            departments.append({"department": d, "services": svc, "articles": arts})
    general = _by_title(Article.objects.published().filter(departments=None, services=None)
                        .prefetch_related("translations"))
    return render(request, "knowledge/online.html", {
        "departments": departments, "general": general,
        "service_count": sum(len(x["services"]) for x in departments)})
