"""The agent's workspace in a real browser, at a desk (1280 px) and on a tablet (768 px), with
axe-core on every screen: the inbox's previews and title badge, the keyboard, canned
responses by "/", suggested articles; the supervisor's bulk change and escalations; the audit
log's CSV opened by Python's csv module."""

import csv
import io
import json
import urllib.request
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from civicdesk.cases.escalation import escalate_due
from civicdesk.cases.models import ServiceRequest, Status
from civicdesk.conversations import services as chat
from civicdesk.conversations.models import CannedResponse, Conversation
from civicdesk.core.translation import save_translations
from tests.conversations.conftest import online, start
from tests.e2e.conftest import assert_accessible, staff_sign_in
from tests.factories import ArticleFactory, ServiceFactory, StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1280, 768]


def _waiting_chat(parks, words: str) -> Conversation:
    """A resident starts a chat (no assistant here: it goes straight to the queue) and asks."""
    started = start(Client(), department=parks.slug)
    conv = Conversation.objects.get(public_id=started["conversation"])
    assert conv.state == "waiting"
    chat.resident_message(conversation=conv, body=words)
    return conv


@pytest.mark.parametrize("width", WIDTHS)
def test_inbox_keyboard_canned_responses_and_suggested_articles(asgi_server, new_page, parks, width, settings):
    settings.CIVICDESK_ASSISTANT = False
    StaffFactory(username="maria", first_name="María", last_name="Lopez", departments=[parks])
    canned = CannedResponse.objects.create(title="Pool hours", department=None)
    save_translations(canned, {"en": {"body": "The pool is open from 6 a.m. to 9 p.m. every day."}})
    ArticleFactory(slug="pool", title="Swimming pool hours and fees",
                   summary="The pool opens at 6 a.m.; a swim costs $3.", body="Open all year.")
    # the one agent online is busy with a chat already: the next ones wait in the queue
    busy = online(StaffFactory(departments=[parks]), capacity=1)
    start(Client(), department=parks.slug)
    assert busy.conversations.count() == 1
    conv = _waiting_chat(parks, "When does the swimming pool open on Sunday?")

    page = new_page(width=width, height=900)
    staff_sign_in(page, asgi_server, "maria")
    page.goto(f"{asgi_server}/console/inbox/")
    row = page.locator("#inbox-rows tbody tr").first
    assert "When does the swimming pool open on Sunday?" in row.inner_text()
    assert "Anonymous" in row.inner_text() and "English" in row.inner_text()
    assert page.title().startswith("(1) ")  # the tab says how many wait
    assert_accessible(page)

    # a new chat arrives while she looks (started through the server, as the widget does)
    request = urllib.request.Request(f"{asgi_server}/chat/start/", method="POST", headers={
        "Content-Type": "application/json"}, data=json.dumps({"department": parks.slug, "language": "en"}).encode())
    with urllib.request.urlopen(request, timeout=10) as response:
        second = Conversation.objects.get(public_id=json.load(response)["conversation"])
    page.get_by_role("status").filter(has_text="A new chat is waiting.").wait_for()
    page.wait_for_function("document.title.startsWith('(2) ')")
    page.locator("#inbox-rows tbody tr").nth(1).wait_for()

    page.keyboard.press("?")  # the shortcuts, listed
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    dialog.wait_for()
    assert_accessible(page)
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.className") == "cd-inbox__open"
    first_href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.getAttribute('href')") != first_href
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first_href
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{first_href}")
    assert first_href.endswith(f"/{conv.public_id}/")

    page.get_by_role("log", name="Messages").get_by_text("When does the swimming pool open on Sunday?").wait_for()
    page.keyboard.press("t")  # she has read it: she takes it
    page.locator("#conv-agent", has_text="María Lopez").wait_for()
    conv.refresh_from_db()
    assert conv.assigned_to.username == "maria"

    suggestions = page.get_by_role("region", name="Suggested articles")
    suggestions.get_by_role("link", name="Swimming pool hours and fees").wait_for()
    page.keyboard.press("r")
    box = page.get_by_label("Reply", exact=True)
    assert page.evaluate("document.activeElement.id") == "chat-text"
    box.press_sequentially("Hello! /pool")
    listbox = page.get_by_role("listbox", name="Canned responses")
    listbox.get_by_role("option", name="Pool hours").wait_for()
    assert_accessible(page)  # with the list open
    box.press("Enter")
    assert box.input_value() == "Hello! The pool is open from 6 a.m. to 9 p.m. every day."
    suggestions.get_by_role("button", name="Insert the link to Swimming pool hours and fees in the reply").click()
    assert box.input_value().endswith(f"{asgi_server}/help/pool/")
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_role("log", name="Messages").get_by_text("The pool is open from 6 a.m.").wait_for()
    assert second.state == "waiting"


@pytest.mark.parametrize("width", WIDTHS)
def test_supervisor_sees_escalations_changes_requests_in_bulk_and_exports_the_audit_log(
        asgi_server, new_page, width):
    service = ServiceFactory(name="Pothole")
    StaffFactory(username="boss", role="supervisor", departments=[service.department])
    crew = StaffFactory(first_name="Crew", last_name="Seven", departments=[service.department])
    a, b, c = submit(service), submit(service), submit(service)
    ServiceRequest.objects.filter(pk=a.pk).update(sla_due_at=timezone.now() + timedelta(hours=27))
    # the clock moves a day on: the target of a is now three hours away
    assert [e.request_id for e in escalate_due(now=timezone.now() + timedelta(days=1))] == [a.pk]

    page = new_page(width=width, height=900)
    staff_sign_in(page, asgi_server, "boss")
    page.goto(f"{asgi_server}/console/")
    alert = page.get_by_role("region", name="1 request is about to miss its target")
    assert a.public_id in alert.inner_text()
    assert_accessible(page)
    page.get_by_label(f"Tick {a.public_id}").check()
    page.get_by_label(f"Tick {b.public_id}").check()
    form = page.get_by_role("group", name="Change the ticked requests")
    form.get_by_label("Assign to").select_option(label=crew.display_name)
    form.get_by_label("New status").select_option("in_progress")
    form.get_by_label("Public update, the same for each").fill("A crew will fix it this week.")
    form.get_by_role("button", name="Apply to the ticked requests").click()
    page.get_by_text("2 requests changed.").wait_for()
    assert_accessible(page)
    for req in (a, b):
        req.refresh_from_db()
        assert (req.status, req.assigned_to_id) == (Status.IN_PROGRESS, crew.pk)
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED and c.assigned_to_id is None

    page.goto(f"{asgi_server}/console/privacy/audit/?action=bulk_update")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these entries (CSV)").click()
    raw = open(download.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["When", "Who", "Action"]
    assert sorted((r[1], r[2], r[5]) for r in rows[1:]) == [  # one entry per request changed
        ("boss", "Changed several requests at once", a.public_id),
        ("boss", "Changed several requests at once", b.public_id)]
