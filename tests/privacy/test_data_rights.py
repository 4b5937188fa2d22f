"""Consent, export, erasure (nothing personal left anywhere) and retention, end to end."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.utils import timezone

from civicdesk.accounts.middleware import SESSION_KEY
from civicdesk.accounts.models import Resident
from civicdesk.assistant.models import Turn
from civicdesk.cases import services as cases
from civicdesk.cases.models import ServiceRequest, Status
from civicdesk.conversations import services as chat
from civicdesk.conversations.models import Conversation, Message
from civicdesk.privacy import data_rights
from civicdesk.privacy.models import AuditEntry, Consent, ErasureRequest, RetentionRule
from civicdesk.surveys import services as surveys
from civicdesk.surveys.models import Response, Survey
from civicdesk.surveys.services import ensure_built_in
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

NAME, EMAIL, PHONE = "Zenobia Quillfeather", "zenobia.q@example.org", "555-0199-7733"


@pytest.fixture
def zenobia(service):
    resident = Resident.objects.create(first_name="Zenobia", last_name="Quillfeather", email=EMAIL, phone=PHONE)
    req = cases.submit_request(
        service=service, description=f"I am {NAME}, call {PHONE}", answers={},
        location=cases.clean_location(lat=41.85, long=-89.48), contact=cases.clean_contact(
            email=EMAIL, first_name="Zenobia", last_name="Quillfeather", phone=PHONE),
        resident=resident, submission_key="z" * 20).request
    conv = chat.start_conversation(resident=resident).conversation
    chat.post_message(conversation=conv, sender="resident", body=f"This is {NAME}, {EMAIL}")
    cases.follow(request=req, email=EMAIL)
    Turn.objects.create(conversation=conv, question=f"I am {NAME}, where is my bin?", language="en",
                        outcome="unsure", answer=f"Sorry {NAME}, I did not understand.")
    ensure_built_in()
    survey = Survey.objects.get(slug="a11-cx")
    inv, _token = surveys.invite(survey, channel="email", request=req, resident=resident, email=EMAIL)
    comment_q = survey.questions.get(kind="text")
    satisfaction_q = survey.questions.get(measure="satisfaction")
    surveys.record(survey=survey, invitation=inv, raw={f"q{comment_q.pk}": f"Thanks, signed {NAME} {PHONE}",
                                                       f"q{satisfaction_q.pk}": "5"})
    return resident, req, conv


def signed_in(client, resident):
    session = client.session
    session[SESSION_KEY] = resident.pk
    session.save()
    return client


def test_withdrawn_contact_consent_stops_request_emails(zenobia, agent, smtp, run_worker):
    resident, req, _conv = zenobia
    run_worker()
    smtp.messages.clear()
    data_rights.record_consent(resident=resident, purpose=Consent.Purpose.CONTACT, granted=False,
                               wording="Contact me…", source="web")
    cases.change_status(request=req, actor=agent, status=Status.IN_PROGRESS, message="Crew on the way")
    run_worker()
    assert smtp.to(EMAIL) == []


def test_account_page_choices_are_recorded_with_their_wording(client, zenobia):
    resident, _req, _conv = zenobia
    signed_in(client, resident)
    client.post("/account/choices/", {"consent_contact": "on"})  # surveys off, remember off
    state = data_rights.current_consents(resident)
    assert state == {"contact": True, "remember": False, "surveys": False}
    row = resident.consents.get(purpose="remember")
    assert row.source == "web" and "Remember me" in row.wording


def test_export_has_profile_requests_and_conversations(client, zenobia):
    resident, req, conv = zenobia
    signed_in(client, resident)
    data = json.loads(client.get("/account/my-data.json").content)
    assert data["profile"]["email"] == EMAIL
    assert [r["public_id"] for r in data["requests"]] == [req.public_id]
    assert any(NAME in m["text"] for c in data["conversations"] for m in c["messages"])
    [answered] = data["survey_answers"]
    assert answered["request"] == req.public_id
    assert any(a["value"] == 5 for a in answered["answers"])
    assert any(NAME in a["text"] for a in answered["answers"])
    page = client.get("/account/my-data.html").content.decode()
    assert NAME in page and "Survey answers" in page
    client.logout()
    assert client.get("/account/my-data.json").status_code == 404


def _every_text_value():
    for model in apps.get_models():
        fields = [f.column for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | models.EmailField | models.JSONField)]
        if not fields:
            continue
        with connection.cursor() as c:
            c.execute(f"SELECT {', '.join(connection.ops.quote_name(f) for f in fields)} "
                      f"FROM {connection.ops.quote_name(model._meta.db_table)}")
            for row in c.fetchall():
                for value in row:
                    if value:
                        yield model.__name__, str(value)


def test_approved_erasure_leaves_nothing_personal_anywhere(client, zenobia):
    resident, req, conv = zenobia
    signed_in(client, resident)
    client.post("/account/erase/", {"reason": "Moving away"})
    erasure = ErasureRequest.objects.get()
    officer = StaffFactory(role="supervisor")
    staff_browser = Client()
    staff_browser.force_login(officer)
    r = staff_browser.post("/console/privacy/erasures/",
                           {"id": erasure.pk, "approve": "1", "decision_reason": "Verified by phone"})
    assert r.status_code == 302
    erasure.refresh_from_db()
    assert erasure.state == "approved" and erasure.decided_by == officer
    leftovers = [(m, v) for m, v in _every_text_value() if "Zenobia" in v or "Quillfeather" in v
                 or EMAIL in v or PHONE in v]
    assert leftovers == []
    req.refresh_from_db()
    assert req.public_id and req.status == "submitted"  # the public record stays
    assert not Resident.objects.filter(pk=resident.pk).exists()
    assert AuditEntry.objects.filter(action="erasure_approved").exists()
    # The survey's scores stay for the figures, anonymous; the assistant's log keeps no words.
    response = Response.objects.get()
    assert response.satisfaction == 5 and response.invitation.resident is None
    assert Turn.objects.get().question == data_rights.REMOVED


def test_refused_erasure_keeps_the_data_and_the_reason(client, zenobia):
    resident, _req, _conv = zenobia
    erasure = data_rights.request_erasure(resident=resident)
    data_rights.decide_erasure(erasure=erasure, by=StaffFactory(role="supervisor"), approve=False,
                               reason="Open legal hold")
    assert Resident.objects.filter(pk=resident.pk).exists()
    assert ErasureRequest.objects.get().decision_reason == "Open legal hold"


def test_retention_dry_run_then_apply(zenobia, agent):
    _resident, req, conv = zenobia
    cases.change_status(request=req, actor=agent, status=Status.CLOSED)
    chat.close(conversation=conv, by=agent, resolution_code="answered")
    RetentionRule.objects.create(kind="chat", days=30)
    RetentionRule.objects.create(kind="contacts", days=30)
    later = timezone.now() + timedelta(days=31)
    report = data_rights.apply_retention(dry_run=True, now=later)
    assert report["chat"] > 0 and report["contacts"] == 1
    assert ServiceRequest.objects.get(pk=req.pk).contact_email == EMAIL  # a dry run changes nothing
    assert data_rights.apply_retention(now=later) == report
    assert ServiceRequest.objects.get(pk=req.pk).contact_email == ""
    assert not Message.objects.filter(conversation=conv).exclude(body="[removed by retention]").exists()
    assert data_rights.apply_retention(dry_run=True, now=timezone.now()) == {
        "chat": 0, "contacts": 0, "idempotency_records": 0}
    assert Conversation.objects.filter(pk=conv.pk).exists()


def test_stored_api_responses_go_after_a_day():
    from civicdesk.integrations.models import IdempotencyRecord

    IdempotencyRecord.objects.create(scope="s", key="old", method="POST", path="/api/v1/residents", body_hash="h",
                                     status=201, body=b'{"email": "x@example.org"}',
                                     created_at=timezone.now() - timedelta(days=2))
    IdempotencyRecord.objects.create(scope="s", key="new", method="POST", path="/api/v1/residents", body_hash="h")
    assert data_rights.apply_retention(dry_run=True)["idempotency_records"] == 1
    data_rights.apply_retention()
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_retention_of_assistant_logs_feedback_text_webhooks_and_revisions(zenobia):
    from civicdesk.integrations.models import WebhookDelivery, WebhookEndpoint
    from civicdesk.knowledge.models import Article, ArticleFeedback, ArticleRevision, Category
    from civicdesk.knowledge.services import save_article

    article = Article(slug="bins", title="Bins", summary="When bins go out", body="Tuesdays.",
                      category=Category.objects.create(slug="trash", name="Trash"))
    for text in ["Tuesdays.", "Wednesdays.", "Thursdays."]:
        article.body = text
        save_article(article)
    ArticleFeedback.objects.create(article=article, helpful=False, comment=f"Call me, {NAME}")
    endpoint = WebhookEndpoint.objects.create(name="crm", url="http://127.0.0.1:9/hook", events=["*"])
    for state in ["succeeded", "failed", "pending"]:
        WebhookDelivery.objects.create(endpoint=endpoint, event_type="request.created", payload={}, state=state)
    for kind in ["assistant", "feedback", "webhooks", "revisions"]:
        RetentionRule.objects.create(kind=kind, days=90)
    later = timezone.now() + timedelta(days=91)
    report = data_rights.apply_retention(dry_run=True, now=later)
    # One turn; the survey comment (on the response and on its text answer) and the article
    # comment; two finished
    # deliveries (a pending one still has work to do); two of three revisions (the latest stays).
    assert {k: report[k] for k in ["assistant", "feedback", "webhooks", "revisions"]} == {
        "assistant": 1, "feedback": 3, "webhooks": 2, "revisions": 2}
    assert data_rights.apply_retention(now=later) == report
    assert not Turn.objects.exists()
    response = Response.objects.get()
    assert response.satisfaction == 5 and not response.answers.exclude(text="").exists()
    assert ArticleFeedback.objects.get().comment == "" and ArticleFeedback.objects.get().helpful is False
    assert list(WebhookDelivery.objects.values_list("state", flat=True)) == ["pending"]
    assert [(r.number, r.texts["en"]["body"]) for r in ArticleRevision.objects.all()] == [(3, "Thursdays.")]
    assert not [v for _m, v in _every_text_value() if NAME in v and _m in {"Turn", "Answer", "ArticleFeedback"}]


def test_staff_record_a_residents_choices_on_request(zenobia):
    resident, _req, conv = zenobia
    resident.preferred_language = "es"
    resident.save()
    officer = StaffFactory(role="administrator")
    browser = Client()
    browser.force_login(officer)
    page = browser.get(f"/console/conversations/{conv.public_id}/").content.decode()
    # The panel shows the resident's choices (in their language) and their survey answers.
    assert "Invítenme a encuestas breves" in page and f"signed {NAME}" in page, page[page.find("resident-title"):][:3000]
    before = Consent.objects.count()
    r = browser.post(f"/console/residents/{resident.pk}/consents/",
                     {"consent_contact": "on", "source": "", "note": "", "next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == "/console/inbox/"  # refused, and never off-site
    assert Consent.objects.count() == before
    r = browser.post(f"/console/residents/{resident.pk}/consents/",
                     {"consent_contact": "on", "source": "phone", "note": "Asked to stop the surveys",
                      "next": f"/console/conversations/{conv.public_id}/"})
    assert r["Location"] == f"/console/conversations/{conv.public_id}/"
    assert data_rights.current_consents(resident) == {"contact": True, "remember": False, "surveys": False}
    row = resident.consents.get(purpose="surveys")
    assert row.source == "staff" and row.recorded_by == officer
    assert "encuestas" in row.wording and "Por teléfono: Asked to stop the surveys" in row.wording
    entry = AuditEntry.objects.filter(action="change_consent").get()
    assert entry.actor == officer and entry.object_id == str(resident.pk) and "surveys=no" in entry.detail
    # And the choice is obeyed: no survey invitation for this resident any more.
    assert surveys.invite(Survey.objects.get(slug="csat"), channel="email", resident=resident,
                          email=EMAIL) is None
