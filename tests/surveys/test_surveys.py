"""Surveys: delivery on each trigger (real SMTP and the real worker), single-use links,
consent, the frequency cap, partial answers, translations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicdesk.accounts.models import Resident
from civicdesk.cases import services as cases
from civicdesk.privacy.data_rights import Purpose, record_consent
from civicdesk.surveys import services
from civicdesk.surveys.models import Invitation, Question, Response, Survey
from tests.conversations.test_channels import sms_provider  # noqa: F401
from tests.factories import ServiceFactory, StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def resolved(db):
    """A request whose submitter gave their (confirmed) email, then resolved by staff."""
    def make(email="ana@example.org", language="en"):
        service = ServiceFactory(name="Pothole", name_es="Bache")
        resident = Resident.objects.get_or_create(email=email)[0]
        req = submit(service, email=email, language=language, resident=resident)
        staff = StaffFactory(all_departments=True)
        cases.change_status(request=req, actor=staff, status="acknowledged")
        cases.change_status(request=req, actor=staff, status="in_progress")
        cases.change_status(request=req, actor=staff, status="resolved", message="Filled today.")
        return req
    return make


def link_in(message) -> str:
    return next(line for line in message["body"].splitlines() if "/feedback/" in line).strip()


def test_resolution_emails_a_single_use_survey_link(client, resolved, smtp, run_worker):
    req = resolved()
    run_worker()
    invite = next(m for m in smtp.messages if "How did we do" in m["subject"])
    assert req.public_id in invite["subject"] and invite["to"] == ["ana@example.org"]
    url = link_in(invite)
    path = url.replace("http://testserver", "")
    page = client.get(path).content.decode()
    assert "I am satisfied with the service I received from Pothole." in page
    assert "This interaction increased my confidence in Pothole." in page
    survey = Survey.objects.get(slug="a11-cx")
    q = {x.measure: f"q{x.pk}" for x in survey.questions.all()}
    r = client.post(path, {q["satisfaction"]: "5", q["trust"]: "4", q["comment"]: "Quick, thanks"})
    assert r.status_code == 302 and r["Location"] == "/feedback/thanks/"
    response = Response.objects.get()
    assert (response.satisfaction, response.trust, response.comment, response.complete) == (5, 4, "Quick, thanks", True)
    assert (response.request, response.service, response.department, response.channel) == (
        req, req.service, req.department, "web")
    assert client.get(path).status_code == 410  # single use
    # another worker run (a retry) sends nothing new
    run_worker()
    assert Invitation.objects.count() == 1


def test_survey_in_spanish(client, resolved, smtp, run_worker):
    resolved(language="es")
    run_worker()
    invite = next(m for m in smtp.messages if "/feedback/" in m["body"])
    assert "¿Cómo lo hicimos" in invite["subject"]
    path = link_in(invite).replace("http://testserver", "")
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Estoy satisfecho con el servicio que recibí de Bache." in page
    assert "Totalmente de acuerdo" in page


def test_a_resident_who_said_no_gets_no_survey(resolved, smtp, run_worker):
    resident = Resident.objects.create(email="ana@example.org")
    record_consent(resident=resident, purpose=Purpose.SURVEYS, granted=False, wording="no", source="web")
    resolved()
    run_worker()
    assert not Invitation.objects.exists()
    assert not any("How did we do" in m["subject"] for m in smtp.messages)


def test_nobody_is_surveyed_twice_within_the_cap(resolved, smtp, run_worker, settings):
    settings.CIVICDESK_SURVEY_CAP_DAYS = 30
    resolved()
    resolved()  # a second request by the same person, resolved the same month
    run_worker()
    assert Invitation.objects.count() == 1
    Invitation.objects.update(created_at=timezone.now() - timedelta(days=31))
    resolved()
    run_worker()
    assert Invitation.objects.count() == 2


def test_partial_answers_are_kept_and_can_be_finished_later(client):
    survey = Survey.objects.get(slug="feedback")
    q = {x.measure: f"q{x.pk}" for x in survey.questions.all()}
    r = client.post("/feedback/", {q["csat"]: "2", "save": "1"})
    assert "Your answers so far are saved" in r.content.decode()
    response = Response.objects.get()
    assert (response.csat, response.complete, response.channel) == (2, False, "web")
    page = client.get("/feedback/").content.decode()
    assert f'name="{q["csat"]}" value="2" checked' in page
    client.post("/feedback/", {q["csat"]: "2", q["comment"]: "The form was long"})
    response.refresh_from_db()
    assert (response.complete, response.comment, Response.objects.count()) == (True, "The form was long", 1)


def test_out_of_range_answers_are_refused_with_a_message(client):
    survey = Survey.objects.get(slug="feedback")
    q = {x.measure: f"q{x.pk}" for x in survey.questions.all()}
    r = client.post("/feedback/", {q["csat"]: "9"})
    assert r.status_code == 400 and "Choose one of the options." in r.content.decode()
    assert not Response.objects.filter(csat__isnull=False).exists()


def test_a_wrong_or_expired_link_says_so(client, resolved, smtp, run_worker):
    assert client.get("/feedback/not-a-token/").status_code == 404
    resolved()
    run_worker()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    path = link_in(next(m for m in smtp.messages if "How did we do" in m["subject"])).replace("http://testserver", "")
    r = client.get(path)
    assert r.status_code == 404 and "The link is wrong or has expired." in r.content.decode()


def test_a_survey_holds_at_most_15_questions():
    from django.core.exceptions import ValidationError

    survey = Survey.objects.create(slug="long", name="Long")
    for i in range(15):
        Question.objects.create(survey=survey, order=i, kind="yesno", text=f"Q{i}")
    extra = Question(survey=survey, kind="yesno", text="One too many")
    with pytest.raises(ValidationError, match="at most 15"):
        extra.full_clean()


def test_a_closed_chat_offers_the_survey_in_the_widget(client, ws_socket, settings):
    from civicdesk.conversations import services as chat
    from tests.conversations.conftest import start

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "civicdesk.conversations.layers.InMemoryChannelLayer"}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    started = start(client)
    sock = ws_socket()
    sock.send(type="hello", conversation=started["conversation"], token=started["token"], last_seq=0)
    sock.recv()
    from civicdesk.conversations.models import Conversation

    conv = Conversation.objects.get(public_id=started["conversation"])
    chat.close(conversation=conv, by=StaffFactory(all_departments=True), resolution_code="answered")
    offer = sock.recv_until(lambda m: m.get("type") == "survey")
    assert offer["url"].startswith("/feedback/")
    page = client.get(offer["url"]).content.decode()
    assert "Overall, how satisfied are you with" in page
    assert Invitation.objects.get().conversation == conv
    channel_layers.backends.clear()


def test_staff_turn_a_comment_into_a_follow_up_conversation(client):
    from civicdesk.conversations.models import Conversation

    response = Response.objects.create(survey=Survey.objects.get(slug="feedback"), channel="web",
                                       comment="Nobody called me back")
    client.force_login(StaffFactory(role="supervisor", all_departments=True))
    r = client.post(f"/console/cx/responses/{response.pk}/follow-up/")
    conv = Conversation.objects.get()
    assert r["Location"] == f"/console/conversations/{conv.public_id}/"
    assert "Nobody called me back" in conv.messages.get(sender="note").body
    assert conv.state == "waiting"


def test_no_follow_up_for_a_resident_who_asked_not_to_be_contacted(client):
    from civicdesk.accounts.models import Resident
    from civicdesk.conversations.models import Conversation
    from civicdesk.privacy.data_rights import record_consent

    resident = Resident.objects.create(email="ana@example.org")
    record_consent(resident=resident, purpose="contact", granted=False, wording="Contact me", source="web")
    survey = Survey.objects.get(slug="feedback")
    invitation, _token = services.invite(survey, channel="email", resident=resident, email="ana@example.org")
    response = Response.objects.create(survey=survey, channel="email", comment="Too slow", invitation=invitation)
    client.force_login(StaffFactory(role="supervisor", all_departments=True))
    r = client.post(f"/console/cx/responses/{response.pk}/follow-up/", follow=True)
    assert "asked not to be contacted" in r.content.decode()
    assert not Conversation.objects.exists()


def test_supervisor_edits_a_survey_and_previews_it_in_both_languages(client):
    survey = Survey.objects.get(slug="csat")
    client.force_login(StaffFactory(role="supervisor", all_departments=True))
    page = client.get(f"/console/surveys/{survey.pk}/").content.decode()
    assert "Overall, how satisfied are you with Pothole repair?" in page  # the preview
    assert "En general, ¿qué tan satisfecho está con" in page
    questions = list(survey.questions.all())
    data = {"name_en": survey.get_translation("en").name, "name_es": survey.get_translation("es").name,
            "intro_en": "", "intro_es": "", "trigger": survey.trigger, "active": "on",
            "questions-TOTAL_FORMS": str(len(questions) + 1), "questions-INITIAL_FORMS": str(len(questions)),
            "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "15"}
    for i, q in enumerate(questions):
        data.update({f"questions-{i}-id": q.pk, f"questions-{i}-order": q.order, f"questions-{i}-kind": q.kind,
                     f"questions-{i}-measure": q.measure, f"questions-{i}-text_en": q.get_translation("en").text,
                     f"questions-{i}-text_es": q.get_translation("es").text, f"questions-{i}-choices": "[]"})
    n = len(questions)
    data.update({f"questions-{n}-order": 9, f"questions-{n}-kind": "yesno", f"questions-{n}-measure": "",
                 f"questions-{n}-text_en": "Did you find what you needed?",
                 f"questions-{n}-text_es": "¿Encontró lo que necesitaba?", f"questions-{n}-choices": "[]"})
    missing = {**data, "name_en": ""}
    page = client.post(f"/console/surveys/{survey.pk}/", missing).content.decode()
    assert "This field is required." in page  # the default language's name
    r = client.post(f"/console/surveys/{survey.pk}/", data)
    assert r.status_code == 302
    added = survey.questions.get(translations__language_code="en",
                                 translations__text="Did you find what you needed?")
    assert added.get_translation("es").text == "¿Encontró lo que necesitaba?"
    page = client.get(f"/console/surveys/{survey.pk}/").content.decode()
    assert "¿Encontró lo que necesitaba?" in page  # the Spanish preview
    client.force_login(StaffFactory(role="agent"))
    assert client.get(f"/console/surveys/{survey.pk}/").status_code == 404


def test_resolution_texts_the_survey_link_when_the_resident_gave_only_a_phone(client, sms_provider, run_worker,  # noqa: F811
                                                                               smtp, settings):
    settings.CIVICDESK_AGENCY_NAME = "Maple Falls"
    service = ServiceFactory(name="Pothole")
    req = services_cases_submit(service, phone="+15551234567")
    staff = StaffFactory(all_departments=True)
    cases.change_status(request=req, actor=staff, status="resolved", message="Filled today.")
    run_worker()
    [sent] = [s["json"] for s in sms_provider.sent if "/feedback/" in s["json"]["body"]]
    assert sent["to"] == "+15551234567" and req.public_id in sent["body"] and "Maple Falls" in sent["body"]
    path = sent["body"].split("http://testserver", 1)[1].split()[0]
    assert "I am satisfied with the service I received from Pothole." in client.get(path).content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.sent_via, invitation.phone, invitation.email) == ("sms", "+15551234567", "")
    assert not [m for m in smtp.messages if "/feedback/" in m["body"]]
    # The frequency cap counts the phone number too: a second resolved request texts nothing.
    other = services_cases_submit(service, phone="+15551234567")
    cases.change_status(request=other, actor=staff, status="resolved")
    run_worker()
    assert Invitation.objects.count() == 1


def services_cases_submit(service, phone):
    import uuid

    return cases.submit_request(
        service=service, description="Hole", answers={},
        location=cases.clean_location(lat=41.85, long=-89.48),
        contact=cases.clean_contact(phone=phone), submission_key=uuid.uuid4().hex).request
