"""Issue 21: the plain-text part of an email says what was written: an apostrophe, an
ampersand, angle brackets and quotes arrive as they are, not as HTML entities
(``city&#x27;s``); the HTML part, made from the same words by core/mail.py, escapes them.
Sent by the real task worker to a real SMTP server."""

import json
from pathlib import Path

import pytest

from civicdesk.accounts.models import Resident
from civicdesk.cases import services as cases
from civicdesk.cases.models import Status
from civicdesk.conversations import services
from civicdesk.conversations.models import Conversation
from tests.conversations.conftest import online, start
from tests.factories import StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)

TRICKY = 'It\'s the city\'s "big" fix & it\'s <soon>'
AGENCY = "O'Brien & Sons <Parish>"


@pytest.fixture(autouse=True)
def _agency_with_an_apostrophe(settings):
    settings.CIVICDESK_AGENCY_NAME = AGENCY
    settings.CIVICDESK_AGENCY_NAMES = {}


def as_html(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


def assert_literal_in_text_escaped_in_html(mail, *texts):
    for text in texts:
        assert text in mail["body"], mail["body"]
        assert as_html(text) in mail["html"], mail["html"]
    for entity in ("&#x27;", "&#39;", "&amp;", "&lt;", "&gt;", "&quot;"):
        assert entity not in mail["body"], mail["body"]
    assert "<soon>" not in mail["html"] and "<Parish>" not in mail["html"]  # never markup


def test_a_chat_transcript_shows_the_words_as_written(client, department, smtp, run_worker):
    agent = online(StaffFactory(departments=[department]))
    started = start(client, department=department.slug)
    conv = Conversation.objects.get(public_id=started["conversation"])
    services.post_message(conversation=conv, sender="resident", body="Can I park on O'Neil & 3rd <tonight>?")
    services.post_message(conversation=conv, sender="agent", author=agent, body=TRICKY)
    response = client.post(f"/chat/{conv.public_id}/transcript/", content_type="application/json",
                           data=json.dumps({"token": started["token"], "email": "ana@example.org"}))
    assert response.status_code == 200
    run_worker()
    [mail] = smtp.to("ana@example.org")
    assert_literal_in_text_escaped_in_html(mail, "Can I park on O'Neil & 3rd <tonight>?", TRICKY, AGENCY)
    assert AGENCY in mail["subject"]


def test_an_emailed_answer_shows_the_words_as_written(client, department, smtp, run_worker):
    department.hours.all().delete()  # closed: the resident leaves a message, answered by email
    started = start(client, department=department.slug)
    conv = Conversation.objects.get(public_id=started["conversation"])
    response = client.post(f"/chat/{conv.public_id}/leave-message/", content_type="application/json",
                           data=json.dumps({"token": started["token"], "email": "ana@example.org", "name": "Ana",
                                            "body": "When?"}))
    assert response.status_code == 200
    services.post_message(conversation=conv, sender="agent", author=StaffFactory(departments=[department]),
                          body=TRICKY)
    run_worker()
    [mail] = smtp.to("ana@example.org")
    assert_literal_in_text_escaped_in_html(mail, TRICKY, AGENCY)
    assert AGENCY in mail["subject"]


def test_a_request_update_shows_the_words_as_written(service, agent, smtp, run_worker):
    resident = Resident.objects.create(email="ana@example.org")
    req = submit(service, email="ana@example.org", resident=resident)
    run_worker()
    smtp.messages.clear()
    cases.change_status(request=req, actor=agent, status=Status.IN_PROGRESS, message=TRICKY)
    run_worker()
    [mail] = smtp.to("ana@example.org")
    assert_literal_in_text_escaped_in_html(mail, TRICKY)


def test_a_sign_in_email_names_the_agency_as_written(client, smtp, run_worker):
    Resident.objects.create(email="ana@example.org")
    client.post("/account/signin/", {"email": "ana@example.org"})
    run_worker()
    [mail] = smtp.to("ana@example.org")
    assert mail["subject"] == f"Your sign-in link for {AGENCY}"
    assert_literal_in_text_escaped_in_html(mail, AGENCY)


def test_every_plain_text_template_is_rendered_without_html_escaping():
    """One way for all of them (core.mail.render_text): no .txt template goes through the
    HTML-escaping render_to_string or get_template."""
    root = Path(__file__).resolve().parents[2] / "src" / "civicdesk"
    offenders = [f"{path.relative_to(root)}:{n}" for path in root.rglob("*.py")
                 for n, line in enumerate(path.read_text().splitlines(), 1)
                 if ".txt" in line and ("render_to_string(" in line or "get_template(" in line)]
    assert offenders == []
