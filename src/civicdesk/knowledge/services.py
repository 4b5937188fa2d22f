"""Articles: save with a revision, render Markdown safely, count "was this helpful?"."""

from __future__ import annotations

import re

import nh3
from django.db import transaction
from django.db.models import ExpressionWrapper, F, FloatField
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from civicdesk.core import languages
from civicdesk.core.translation import save_translations
from civicdesk.privacy.redaction import redact

from .models import Article, ArticleFeedback, ArticleRevision

# CommonMark with tables; raw HTML in the source is escaped by markdown-it ("html": False)
# and the output is cleaned by nh3 (an allow-list of tags and attributes) all the same, so
# an editor's mistake or a stolen editor account cannot put script on residents' pages.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
                "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "hr"}


def render_markdown(text: str) -> SafeString:
    html = _md.render(text or "")
    # Headings start at h2: the page's h1 is the article title.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener")
    return mark_safe(clean)  # noqa: S308 (sanitized by nh3 just above)


TEXT_FIELDS = ("title", "summary", "body")


@transaction.atomic
def save_article(article: Article, *, editor=None, note: str = "",
                 texts: dict[str, dict[str, str]] | None = None) -> Article:
    """Save (with ``texts``, ``{language: {title, summary, body}}``, its translations) and
    keep the whole text in every language as a numbered revision (the editor's history)."""
    article.revision = (article.revision or 0) + 1
    article.updated_by = editor
    article.updated_at = timezone.now()
    article.save()
    if texts is not None:
        save_translations(article, texts)
    ArticleRevision.objects.create(
        article=article, number=article.revision, editor=editor, note=note[:200], status=article.status,
        texts={t.language_code: {f: getattr(t, f) for f in TEXT_FIELDS} for t in article.translations.all()})
    return article


@transaction.atomic
def restore_revision(revision: ArticleRevision, *, editor) -> Article:
    article = revision.article
    article.status = revision.status
    empty = {f: "" for f in TEXT_FIELDS}
    texts = {code: revision.texts.get(code, empty) for code in {*revision.texts, *languages.codes()}}
    return save_article(article, editor=editor, note=f"restored revision {revision.number}", texts=texts)


def record_feedback(article: Article, *, helpful: bool, comment: str = "",
                    language: str = "en") -> ArticleFeedback:
    comment, _ = redact((comment or "").replace("\x00", "").strip()[:2000])
    with transaction.atomic():
        fb = ArticleFeedback.objects.create(article=article, helpful=helpful, comment=comment,
                                            language=language[:8])
        field = "helpful_yes" if helpful else "helpful_no"
        Article.objects.filter(pk=article.pk).update(**{field: F(field) + 1})
    return fb


def least_helpful(limit: int = 20, minimum: int = 3):
    """Published articles with at least `minimum` votes, lowest share of "yes" first."""
    return (Article.objects.published()
            .annotate(votes=F("helpful_yes") + F("helpful_no"))
            .filter(votes__gte=minimum)
            .annotate(share=ExpressionWrapper(F("helpful_yes") * 1.0 / F("votes"),
                                              output_field=FloatField()))
            .order_by("share", "-votes")[:limit])


def check_links(text: str) -> list[str]:
    """What is wrong with the links of an article's Markdown, in words: a link to a page of
    this site that does not exist, an article that is not published, a service that takes no
    requests, a kind of link residents' pages drop. Links to other sites are not fetched."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.urls import Resolver404, resolve
    from django.utils.translation import gettext as _

    from civicdesk.catalog import snapshot

    problems = []
    site = urlsplit(getattr(settings, "SITE_URL", "") or "")
    for token in _md.parse(text or ""):
        for child in token.children or []:
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            url = urlsplit(href)
            if url.scheme in ("mailto", "tel") or (url.scheme in ("http", "https") and url.netloc != site.netloc):
                continue
            if url.scheme not in ("", "http", "https"):
                problems.append(_("%(link)s: links must start with https://, / , mailto: or tel:.") % {"link": href})
                continue
            if not url.path.startswith("/"):
                problems.append(_("%(link)s: start a link to this site with / (for example /help/bins/).")
                                % {"link": href})
                continue
            try:
                match = resolve(url.path)
            except Resolver404:
                problems.append(_("%(link)s: there is no such page on this site.") % {"link": href})
                continue
            if match.view_name == "knowledge:article":
                if not Article.objects.filter(slug=match.kwargs["slug"], status=Article.Status.PUBLISHED).exists():
                    problems.append(_("%(link)s: no published article has this address.") % {"link": href})
            elif match.view_name in ("portal:service", "portal:report"):
                if snapshot.active_service(match.kwargs["code"]) is None:
                    problems.append(_("%(link)s: no service that takes requests has this address.") % {"link": href})
    # a link the renderer refused (javascript:, data: ...) is not a link at all: say so
    for href in re.findall(r"\]\(\s*<?([a-zA-Z][a-zA-Z0-9+.-]*:[^)\s>]*)", text or ""):
        if href.split(":", 1)[0].lower() not in ("http", "https", "mailto", "tel"):
            problems.append(_("%(link)s: links must start with https://, / , mailto: or tel:.") % {"link": href})
    return problems
