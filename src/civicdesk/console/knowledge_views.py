"""Supervisors' console for the knowledge base and the assistant.

Articles: list (with review dates and helpfulness), edit with preview and revision history,
restore a revision. Assistant: what residents asked, what it did, where it handed off; a
missed question becomes an example (for an article or service) or the start of a new article.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicdesk.assistant.models import Example, Turn
from civicdesk.catalog.models import Service
from civicdesk.knowledge import services as kb
from civicdesk.knowledge.models import Article, ArticleFeedback, ArticleRevision

from .chat_views import _supervisor
from .views import staff_required


def _lead(request: HttpRequest) -> None:
    if not _supervisor(request.user):
        raise Http404


class ArticleForm(forms.ModelForm):
    note = forms.CharField(label=gettext_lazy("What changed (for the history)"), required=False,
                           max_length=200)

    class Meta:
        model = Article
        fields = ["title", "title_es", "slug", "category", "status", "summary", "summary_es",
                  "body", "body_es", "services", "departments", "review_date"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "summary_es": forms.Textarea(attrs={"rows": 2, "lang": "es"}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "body_es": forms.Textarea(attrs={"rows": 12, "lang": "es"}),
            "title_es": forms.TextInput(attrs={"lang": "es"}),
            "review_date": forms.DateInput(attrs={"type": "date"}),
            "services": forms.SelectMultiple(attrs={"size": 6}),
            "departments": forms.SelectMultiple(attrs={"size": 6}),
        }


@staff_required
def articles(request: HttpRequest) -> HttpResponse:
    _lead(request)
    qs = Article.objects.select_related("category").order_by("category__order", "title")
    status = request.GET.get("status", "")
    if status in Article.Status.values:
        qs = qs.filter(status=status)
    return render(request, "console/articles.html", {
        "articles": qs, "status": status, "today": timezone.localdate(),
        "least_helpful": kb.least_helpful(limit=10),
        "comments": ArticleFeedback.objects.filter(helpful=False).exclude(comment="")
        .select_related("article")[:10]})


@staff_required
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _lead(request)
    article = get_object_or_404(Article, pk=pk) if pk else None
    initial = {}
    if article is None and request.GET.get("title"):
        initial["title"] = request.GET["title"][:200]
    form = ArticleForm(request.POST or None, instance=article, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            data = form.cleaned_data
            preview = {"en": kb.render_markdown(data["body"]),
                       "es": kb.render_markdown(data.get("body_es") or ""),
                       "title": data["title"], "title_es": data.get("title_es"),
                       "summary": data["summary"], "summary_es": data.get("summary_es")}
        else:
            saved = form.save(commit=False)
            kb.save_article(saved, editor=request.user, note=form.cleaned_data.get("note", ""))
            form.save_m2m()
            messages.success(request, _("Saved revision %(n)s.") % {"n": saved.revision})
            return redirect("console:article_edit", pk=saved.pk)
    revisions = article.revisions.select_related("editor")[:50] if article else []
    return render(request, "console/article_edit.html", {
        "form": form, "article": article, "preview": preview, "revisions": revisions})


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
    since = timezone.now() - timezone.timedelta(days=30)
    recent = Turn.objects.filter(created_at__gte=since)
    total = recent.count()
    figures = {o: recent.filter(outcome=o).count() for o in Turn.Outcome.values}
    return render(request, "console/assistant.html", {
        "page": page, "outcome": outcome, "outcomes": Turn.Outcome.choices,
        "total": total, "figure_rows": [(label, figures[key]) for key, label in Turn.Outcome.choices],
        "handoff_share": (figures["handoff"] + figures["message"]) / total if total else None,
        "articles": Article.objects.published().order_by("title"),
        "services": Service.objects.active().order_by("name"),
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
    Example.objects.create(text=text, language=language if language in ("en", "es") else "en",
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
