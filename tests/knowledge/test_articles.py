"""Articles: safe Markdown, revisions, "was this helpful?", resident pages, the console editor."""

import pytest
from django.conf import settings

from civicdesk.knowledge import services
from civicdesk.knowledge.models import Article, ArticleFeedback
from tests.factories import ArticleFactory, CategoryFactory, ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_markdown_is_rendered_and_anything_active_is_removed():
    html = services.render_markdown(
        "# Title\n\n**Bold** [ok](https://riverton.example/a) [bad](javascript:alert(1))\n\n"
        "<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n- one\n- two")
    assert "<h2>Title</h2>" in html  # the page's h1 is the article title
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://riverton.example/a" rel="noopener">ok</a>' in html
    assert 'href="javascript:' not in html and "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text, not run
    assert "<li>one</li>" in html


def test_each_save_is_a_revision_and_an_old_one_can_be_restored():
    editor = StaffFactory(role="supervisor")
    article = ArticleFactory()
    services.save_article(article, editor=editor, note="first")
    article.title = "Trash day moved"
    services.save_article(article, editor=editor, note="holiday")
    assert [(r.number, r.title, r.note) for r in article.revisions.all()] == [
        (2, "Trash day moved", "holiday"), (1, "When is my trash collected?", "first")]
    assert article.revisions.get(number=1).texts["es"]["title"] == "¿Cuándo recogen mi basura?"
    services.restore_revision(article.revisions.get(number=1), editor=editor)
    article.refresh_from_db()
    assert (article.title, article.revision) == ("When is my trash collected?", 3)


def test_article_page_in_english_and_spanish(client):
    article = ArticleFactory(slug="trash-day")
    service = ServiceFactory(name="Missed trash pickup", name_es="Basura no recogida")
    article.services.add(service)
    page = client.get("/help/trash-day/").content.decode()
    assert "When is my trash collected?" in page and "<strong>curb</strong>" in page
    assert f'href="/services/{service.service_code}/report/"' in page
    page_es = client.get("/help/trash-day/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Cuándo recogen mi basura?" in page_es and "<strong>acera</strong>" in page_es
    assert "¿Le fue útil?" in page_es


def test_an_article_not_yet_in_the_readers_language_says_so(client):
    ArticleFactory(slug="leaves", title="Leaf collection", title_es="", summary="Leaves in the fall.")
    page = client.get("/help/leaves/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Esta página aún no está disponible en su idioma. Idioma de esta página: Inglés." in page
    assert '<article class="tablet:grid-col-8" lang="en">' in page and "Leaf collection" in page
    assert 'data-testid="untranslated"' not in client.get("/help/leaves/").content.decode()


def test_drafts_are_not_public(client):
    ArticleFactory(slug="draft", status=Article.Status.DRAFT)
    assert client.get("/help/draft/").status_code == 404
    assert client.post("/help/draft/feedback/", {"helpful": "yes"}).status_code == 404


def test_helpful_feedback_is_counted_with_its_comment_and_personal_data_removed(client):
    article = ArticleFactory(slug="trash-day")
    r = client.post("/help/trash-day/feedback/", {"helpful": "no",
                                                  "comment": "Wrong day. My SSN is 123-45-6789"})
    assert r.status_code == 302 and r["Location"].endswith("?thanks=1#feedback")
    client.post("/help/trash-day/feedback/", {"helpful": "yes"})
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no) == (1, 1)
    fb = ArticleFeedback.objects.get(helpful=False)
    assert "Wrong day" in fb.comment and "123-45-6789" not in fb.comment
    assert "Thank you for your feedback" in client.get(r["Location"]).content.decode()


def test_feedback_without_a_choice_says_what_is_missing(client):
    ArticleFactory(slug="trash-day")
    r = client.post("/help/trash-day/feedback/", {"comment": "hm"}, follow=True)
    assert "Choose “Yes” or “No”." in r.content.decode()
    assert ArticleFeedback.objects.count() == 0


def test_least_helpful_ranks_by_share_of_yes_with_a_minimum_of_answers():
    good, bad, few = ArticleFactory(), ArticleFactory(), ArticleFactory()
    for article, yes, no in [(good, 9, 1), (bad, 1, 3), (few, 0, 2)]:
        for _ in range(yes):
            services.record_feedback(article, helpful=True)
        for _ in range(no):
            services.record_feedback(article, helpful=False)
    assert list(services.least_helpful(minimum=3)) == [bad, good]


def test_what_can_i_do_online_lists_every_active_service_and_its_answers(client):
    svc = ServiceFactory(name="Pothole", name_es="Bache")
    hidden = ServiceFactory(name="Retired service", active=False)
    article = ArticleFactory(title="How are potholes repaired?")
    article.services.add(svc)
    page = client.get("/online/").content.decode()
    assert f'href="/services/{svc.service_code}/report/"' in page
    assert "How are potholes repaired?" in page and svc.department.name in page
    assert hidden.name not in page
    assert "Bache" in client.get("/online/", HTTP_ACCEPT_LANGUAGE="es").content.decode()


def test_portal_search_page(client):
    ArticleFactory(slug="trash-day")
    page = client.get("/search/?q=trash").content.decode()
    assert "1 result for “trash”" in page and 'href="/help/trash-day/"' in page
    assert "Nothing matches" in client.get("/search/?q=zzzzqqq").content.decode()


def test_supervisor_writes_previews_and_publishes_an_article(client):

    cat = CategoryFactory(slug="streets", name="Streets")
    boss = StaffFactory(role="supervisor")
    client.force_login(boss)
    data = {"title_en": "Leaf collection", "slug": "leaf-collection", "category": cat.pk,
            "status": "published", "summary_en": "Leaves are vacuumed in the fall.",
            "body_en": "Rake to the **curb**.", "title_es": "Recolección de hojas",
            "summary_es": "Las hojas se aspiran en otoño.", "body_es": "Rastrille hasta la **acera**.", "note": "new"}
    preview = client.post("/console/articles/new/", {**data, "preview": "1"}).content.decode()
    assert "<strong>curb</strong>" in preview and "<strong>acera</strong>" in preview
    assert not Article.objects.exists()
    saved = client.post("/console/articles/new/", data)
    article = Article.objects.get(slug="leaf-collection")
    assert saved["Location"] == f"/console/articles/{article.pk}/"
    assert (article.revision, article.updated_by) == (1, boss)
    assert client.get("/help/leaf-collection/").status_code == 200
    assert "Recolección de hojas" in client.get("/help/leaf-collection/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    missing = client.post("/console/articles/new/", {**data, "slug": "other", "title_en": ""})
    assert "This field is required." in missing.content.decode()


def test_agents_cannot_edit_articles(client):
    client.force_login(StaffFactory(role="agent"))
    assert client.get("/console/articles/").status_code == 404


def test_the_editor_previews_as_residents_see_it_and_checks_links_to_articles_and_services(client):
    from civicdesk.knowledge.models import Article

    supervisor = StaffFactory(role="supervisor", all_departments=True)
    live = ArticleFactory(slug="bins", status=Article.Status.PUBLISHED)
    ArticleFactory(slug="draft-only", status=Article.Status.DRAFT)
    service = ServiceFactory(service_code="pothole")
    client.force_login(supervisor)
    text = ("## Bins\n\nSee [bins](/help/bins/), [the draft](/help/draft-only/), [nowhere](/no/such/page/), "
            "[pothole](/services/pothole/), [gone](/services/closed-service/), [x](javascript:alert), "
            "[city](https://example.org/).\n\n<script>alert(1)</script>")
    data = client.post("/console/articles/preview/", {"text": text}).json()
    assert "<h2>Bins</h2>" in data["html"] and "<script>" not in data["html"]
    assert data["problems"] == [
        "/help/draft-only/: no published article has this address.",
        "/no/such/page/: there is no such page on this site.",
        "/services/closed-service/: no service that takes requests has this address.",
        "javascript:alert: links must start with https://, / , mailto: or tel:."]
    page = client.get(f"/console/articles/{live.pk}/").content.decode()
    assert 'data-markdown="1"' in page and "Article: " in page and f"/services/{service.service_code}/" in page
    assert page.count('class="usa-fieldset cd-language"') == len(settings.LANGUAGES)  # each language side by side
    client.force_login(StaffFactory(role="agent"))
    assert client.post("/console/articles/preview/", {"text": "x"}).status_code == 404
