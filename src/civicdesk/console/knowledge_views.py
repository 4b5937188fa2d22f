"""Supervisors' console for the knowledge base and the assistant.

Articles: list (with review dates and helpfulness), edit with preview and revision history,
restore a revision. Assistant: what residents asked, what it did, where it handed off; a
missed question becomes an example (for an article or service) or the start of a new article.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicdesk.assistant import selectors as assistant_selectors
from civicdesk.assistant.models import Example, Turn
from civicdesk.catalog import snapshot
from civicdesk.catalog.models import Service
from civicdesk.core import languages
from civicdesk.core.forms import TranslatedFieldsMixin
from civicdesk.core.models import by_display_name
from civicdesk.core.translator import TranslationError, translator
from civicdesk.knowledge import services as kb
from civicdesk.knowledge.models import Article, ArticleFeedback, ArticleRevision

from .chat_views import _supervisor
from .views import staff_required


def by_title(articles) -> list:
    return sorted(articles, key=lambda a: a.display_title.casefold())


def _lead(request: HttpRequest) -> None:
    if not _supervisor(request.user):
        raise Http404


class ArticleForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("title", "summary", "body")
    translated_widgets = {"summary": lambda: forms.Textarea(attrs={"rows": 2}),
                          "body": lambda: forms.Textarea(attrs={"rows": 14, "data-markdown": "1"})}
    note = forms.CharField(label=gettext_lazy("What changed (for the history)"), required=False,
                           max_length=200)

    class Meta:
        model = Article
        fields = ["slug", "category", "status", "services", "departments", "review_date"]
        widgets = {
            "review_date": forms.DateInput(attrs={"type": "date"}),
            "services": forms.SelectMultiple(attrs={"size": 6}),
            "departments": forms.SelectMultiple(attrs={"size": 6}),
        }


@staff_required
def articles(request: HttpRequest) -> HttpResponse:
    _lead(request)
    qs = Article.objects.select_related("category").prefetch_related("translations", "category__translations")
    status = request.GET.get("status", "")
    if status in Article.Status.values:
        qs = qs.filter(status=status)
    rows = sorted(qs, key=lambda a: (a.category.order, a.display_title.casefold()))
    codes = languages.codes()
    for a in rows:
        have = {t.language_code for t in a.translations.all()}
        a.missing_languages = [code for code in codes if code not in have]
    return render(request, "console/articles.html", {
        "articles": rows, "status": status, "today": timezone.localdate(),
        "least_helpful": kb.least_helpful(limit=10),
        "comments": ArticleFeedback.objects.filter(helpful=False).exclude(comment="")
        .select_related("article")[:10]})


@staff_required
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _lead(request)
    article = get_object_or_404(Article, pk=pk) if pk else None
    initial = {}
    if article is None and request.GET.get("title"):
        initial[f"title_{settings.LANGUAGE_CODE}"] = request.GET["title"][:200]
    if request.method == "POST" and "draft" in request.POST:
        return _draft_translations(request, article)
    form = ArticleForm(request.POST or None, instance=article, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = [{"lang": code, "language": name, "title": text["title"], "summary": text["summary"],
                        "body": kb.render_markdown(text["body"])}
                       for (code, name), text in zip(settings.LANGUAGES, form.translations().values(), strict=True)
                       if text["title"]]
        else:
            saved = form.save(commit=False)
            kb.save_article(saved, editor=request.user, note=form.cleaned_data.get("note", ""),
                            texts=form.translations())
            form.save_m2m()
            messages.success(request, _("Saved revision %(n)s.") % {"n": saved.revision})
            return redirect("console:article_edit", pk=saved.pk)
    revisions = article.revisions.select_related("editor")[:50] if article else []
    return _editor(request, form, article, preview=preview, revisions=revisions,
                   can_draft=translator().enabled and len(settings.LANGUAGES) > 1)


def _editor(request: HttpRequest, form: ArticleForm, article: Article | None, **context) -> HttpResponse:
    """The editor page: each language's fields together, the rest after them."""
    translated = {f"{name}_{code}" for name in ArticleForm.translated_fields for code, _n in settings.LANGUAGES}
    return render(request, "console/article_edit.html", {
        "form": form, "article": article, "preview": None,
        "language_groups": [(code, name, [form[f"{field}_{code}"] for field in ArticleForm.translated_fields])
                            for code, name in settings.LANGUAGES],
        "other_fields": [form[name] for name in form.fields if name not in translated],
        "link_targets": _link_targets(), **context})


def _link_targets() -> list[tuple[str, str]]:
    """Published articles and active services, for the editor's "link to" list."""
    out = [(f"/help/{a.slug}/", _("Article: %(title)s") % {"title": a.display_title})
           for a in by_title(Article.objects.filter(status=Article.Status.PUBLISHED).prefetch_related("translations"))]
    out += [(f"/services/{s.service_code}/", _("Service: %(name)s") % {"name": s.display_name})
            for s in sorted(snapshot.active_services().values(), key=lambda s: s.display_name.casefold())]
    return out


@require_POST
@staff_required
def article_preview(request: HttpRequest) -> HttpResponse:
    """The editor's live preview: the Markdown as residents will see it, and what is wrong
    with its links."""
    _lead(request)
    text = request.POST.get("text", "")[:100_000]
    return JsonResponse({"html": str(kb.render_markdown(text)), "problems": kb.check_links(text)})


def _draft_translations(request: HttpRequest, article: Article | None) -> HttpResponse:
    """Fill the empty languages with a machine translation of the default language's text,
    as a draft in the form: nothing is saved until a person has read it and saves."""
    data = request.POST.copy()
    default = settings.LANGUAGE_CODE
    drafted, failed = [], False
    engine = translator()
    for code, name in settings.LANGUAGES:
        if code == default or any(data.get(f"{f}_{code}", "").strip() for f in ArticleForm.translated_fields):
            continue
        try:
            for f in ArticleForm.translated_fields:
                source = data.get(f"{f}_{default}", "").strip()
                data[f"{f}_{code}"] = engine.translate(source, default, code) if source else ""
        except TranslationError:
            failed = True
            break
        drafted.append(name)
    if failed:
        messages.error(request, _("The translation service did not answer; nothing was drafted."))
    elif drafted:
        messages.warning(request, _("Machine-drafted in %(languages)s: read and correct it before you save.")
                         % {"languages": ", ".join(drafted)})
    else:
        messages.info(request, _("Every language already has a text; nothing was drafted."))
    form = ArticleForm(data, instance=article)
    form.is_valid()  # show the fields as drafted, with any other mistakes
    revisions = article.revisions.select_related("editor")[:50] if article else []
    return _editor(request, form, article, revisions=revisions, can_draft=True)


@require_POST
@staff_required
def article_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    _lead(request)
    revision = get_object_or_404(ArticleRevision, article_id=pk, number=number)
    kb.restore_revision(revision, editor=request.user)
    messages.success(request, _("Restored revision %(n)s as a new revision.") % {"n": number})
    return redirect("console:article_edit", pk=pk)


@staff_required
def assistant_review(request: HttpRequest) -> HttpResponse:
    _lead(request)
    qs = Turn.objects.select_related("conversation").order_by("-created_at")
    outcome = request.GET.get("outcome", "missed")
    if outcome == "missed":
        qs = qs.filter(outcome__in=[Turn.Outcome.UNSURE, Turn.Outcome.HANDOFF,
                                    Turn.Outcome.MESSAGE], reviewed=False)
    elif outcome in Turn.Outcome.values:
        qs = qs.filter(outcome=outcome)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    titles = assistant_selectors.titles_for(t.label for t in page)
    for t in page:  # what the engine guessed, by its title, not its database ID
        t.guess = titles.get(t.label, "")
    since = timezone.now() - timezone.timedelta(days=30)
    recent = Turn.objects.filter(created_at__gte=since)
    total = recent.count()
    figures = {o: recent.filter(outcome=o).count() for o in Turn.Outcome.values}
    return render(request, "console/assistant.html", {
        "page": page, "outcome": outcome, "outcomes": Turn.Outcome.choices,
        "total": total, "figure_rows": [(label, figures[key]) for key, label in Turn.Outcome.choices],
        "handoff_share": (figures["handoff"] + figures["message"]) / total if total else None,
        "articles": by_title(Article.objects.published().prefetch_related("translations")),
        "services": by_display_name(Service.objects.active()),
        "examples": Example.objects.select_related("article", "service")[:30]})


@require_POST
@staff_required
def assistant_example(request: HttpRequest) -> HttpResponse:
    """Teach the assistant: this question means that article or service."""
    _lead(request)
    text = request.POST.get("text", "").replace("\x00", "").strip()[:300]
    target = request.POST.get("target", "")
    kind, _sep, pk = target.partition(":")
    article = Article.objects.filter(pk=pk).first() if kind == "article" and pk.isdigit() else None
    service = Service.objects.filter(pk=pk).first() if kind == "service" and pk.isdigit() else None
    if not text or not (article or service):
        messages.error(request, _("Write the question and choose the article or service that "
                                  "answers it."))
        return redirect("console:assistant")
    language = request.POST.get("language", "en")
    Example.objects.create(text=text, language=languages.normalize(language),
                           article=article, service=service, created_by=request.user)
    if request.POST.get("turn", "").isdigit():
        Turn.objects.filter(pk=request.POST["turn"]).update(reviewed=True)
    messages.success(request, _("Example added; the assistant retrains in the background."))
    return redirect("console:assistant")


@require_POST
@staff_required
def assistant_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    _lead(request)
    Turn.objects.filter(pk=pk).update(reviewed=True)
    return redirect("console:assistant")
