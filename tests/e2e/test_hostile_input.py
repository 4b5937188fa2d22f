"""Hostile text sent into the resident-facing fields comes back as text: no element is
created from it and no script runs, on the public page, in the console and in the chat
(checked in Chromium). Escaping is checked by the DOM, not only by the CSP blocking it."""

import threading

import pytest
from django.db import connection

from civicdesk.cases import services
from tests.e2e.conftest import staff_sign_in
from tests.factories import StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOADS = [
    '<img src=x id="pwn1" onerror="window.__pwned=1">',
    '<script id="pwn2">window.__pwned=1</script>',
    '"><svg id="pwn3" onload="window.__pwned=1">',
    "javascript:window.__pwned=1//<a id=pwn4 href=javascript:alert(1)>x</a>",
]
TEXT = " ".join(PAYLOADS)


def _no_injection(page):
    assert page.evaluate("window.__pwned") is None
    for i in range(1, 5):
        assert page.locator(f"#pwn{i}").count() == 0


def test_request_fields_render_as_text_on_public_and_staff_pages(live_server, page, new_page, service):
    req = submit(service, description=TEXT, address=PAYLOADS[2][:200], email="ana@example.org")
    agent = StaffFactory(all_departments=True)
    services.add_note(request=req, actor=agent, message=TEXT, public=True)
    page.goto(f"{live_server.url}/requests/{req.public_id}/")
    assert PAYLOADS[0] in page.locator("main").inner_text()  # shown, as text
    _no_injection(page)
    staff = new_page(width=1280)
    staff_sign_in(staff, live_server.url, agent.username)
    staff.goto(f"{live_server.url}/console/requests/{req.public_id}/")
    assert PAYLOADS[1] in staff.locator("main").inner_text()
    _no_injection(staff)
    staff.goto(f"{live_server.url}/console/?q=%3Cscript%3E")
    _no_injection(staff)


def test_search_boxes_echo_queries_as_text(live_server, page):
    page.goto(f"{live_server.url}/services/?q=" + "%3Cimg%20src%3Dx%20id%3Dpwn1%20onerror%3Dwindow.__pwned%3D1%3E")
    assert page.locator("#pwn1").count() == 0 and page.evaluate("window.__pwned") is None


def test_stored_text_renders_as_text_on_the_knowledge_cx_and_resident_pages(live_server, page, new_page, service):
    """Markdown articles (sanitised), article comments, survey comments, the assistant's
    log, canned responses and the resident panel, in Chromium."""
    from civicdesk.accounts.models import Resident
    from civicdesk.assistant.models import Turn
    from civicdesk.conversations import services as chat
    from civicdesk.conversations.models import CannedResponse
    from civicdesk.knowledge.models import ArticleFeedback
    from civicdesk.knowledge.services import save_article
    from civicdesk.surveys.models import Response, Survey
    from civicdesk.surveys.services import ensure_built_in
    from tests.factories import ArticleFactory

    made = {}

    def setup():  # outside Playwright's event loop: starting a chat publishes to the channel layer
        ensure_built_in()
        article = ArticleFactory(slug="hostile", body=f"Hello\n\n{TEXT}\n\n[link](javascript:window.__pwned=1)",
                                 summary=PAYLOADS[0][:200])
        save_article(article)
        ArticleFeedback.objects.create(article=article, helpful=False, comment=TEXT)
        resident = Resident.objects.create(first_name=PAYLOADS[1][:150], email="ana@example.org")
        conv = chat.start_conversation(resident=resident).conversation
        Turn.objects.create(conversation=conv, question=TEXT, language="en", outcome="unsure", answer=TEXT)
        Response.objects.create(survey=Survey.objects.get(slug="feedback"), channel="web", comment=TEXT,
                                conversation=conv)
        CannedResponse.objects.create(title=PAYLOADS[2][:120], body=TEXT)
        made.update(article=article, conv=conv)
        connection.close()

    worker = threading.Thread(target=setup)
    worker.start()
    worker.join()
    article, conv = made["article"], made["conv"]

    page.goto(f"{live_server.url}/help/hostile/")
    assert "Hello" in page.locator("main").inner_text()
    assert page.locator("[onerror], [onload], [onclick]").count() == 0
    _no_injection(page)
    assert page.locator("main a[href^='javascript']").count() == 0  # the Markdown link lost its scheme

    admin = StaffFactory(role="administrator")
    staff = new_page(width=1280)
    staff_sign_in(staff, live_server.url, admin.username)
    for path in ["/console/articles/", f"/console/articles/{article.pk}/", "/console/assistant/", "/console/cx/",
                 f"/console/conversations/{conv.public_id}/", "/console/canned-responses/"]:
        staff.goto(f"{live_server.url}{path}")
        assert staff.locator("main").count() == 1, path
        assert staff.locator("[onerror], [onload], [onclick]").count() == 0, path
        _no_injection(staff)
