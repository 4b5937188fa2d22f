"""The demo city reads right: every service's reports are written for that service, in the
filer's language, and the console has conversations, canned responses and calls to show."""

from __future__ import annotations

import random
import re
from io import StringIO

import pytest
from django.core.management import call_command

from civicdesk.catalog import demo_conversations, demo_reports
from civicdesk.catalog.demo_data import DEPARTMENTS, SERVICES
from civicdesk.catalog.management.commands.seed_demo import describe

PLACE = {"street": "Elm St", "cross": "Park Ave"}
CODES = [s[0] for s in SERVICES]
QUESTIONS = {s[0]: {q[0]: q for q in s[10]} for s in SERVICES}


def texts(entries):
    return [e[0] if isinstance(e, tuple) else e for e in entries]


def valid_answer(question, value) -> bool:
    code, datatype, _required, _text, _text_es, values = question
    keys = {k for k, _n, _n_es in values}
    if datatype == "multivaluelist":
        return bool(value) and set(value) <= keys
    if datatype == "number":
        return isinstance(value, int)
    return value in keys


@pytest.mark.parametrize("code", CODES)
def test_every_demo_service_has_its_own_reports_in_english_and_spanish(code):
    words = demo_reports.DESCRIPTIONS[code]
    assert len(words["en"]) >= 4 and len(words["es"]) >= 4
    for entry in words["en"] + words["es"]:
        text, answers = entry if isinstance(entry, tuple) else (entry, {})
        assert text.format(**PLACE) and "{" not in text.format(**PLACE)
        for key, value in answers.items():  # what the words say agrees with the form
            assert key in QUESTIONS[code] and valid_answer(QUESTIONS[code][key], value), (code, text)
    for status in ("in_progress", "resolved"):  # the crew's updates name the work
        update = demo_reports.SERVICE_UPDATES[code][status]
        assert update["en"] and update["es"]
        assert all(u.format(**PLACE) for u in update["en"] + update["es"])


@pytest.mark.parametrize("slug", [d[0] for d in DEPARTMENTS])
def test_every_department_has_updates_and_survey_comments_in_both_languages(slug):
    for status in ("acknowledged", "on_hold"):
        assert demo_reports.DEPARTMENT_UPDATES[slug][status]["en"]
        assert demo_reports.DEPARTMENT_UPDATES[slug][status]["es"]
    for mood in ("good", "bad"):
        assert demo_reports.SURVEY_COMMENTS[slug][mood]["en"] and demo_reports.SURVEY_COMMENTS[slug][mood]["es"]


def test_an_animal_bite_report_is_about_a_bite_not_about_cars():
    rng = random.Random(1)
    for language in ("en", "es"):
        own = {t.format(**PLACE) for t in texts(demo_reports.DESCRIPTIONS["animal-bite"][language])}
        for _ in range(50):
            text, answers = describe(rng, "animal-bite", language, PLACE)
            assert text == "" or text in own
            assert not re.search(r"swerv|\bcars?\b|carros", text, re.I)
            assert set(answers) <= {"animal"}


def test_the_chat_scripts_use_real_services_departments_and_answers():
    slugs = {d[0] for d in DEPARTMENTS}
    for script in [*demo_conversations.CHATS, *demo_conversations.MESSAGES_LEFT, demo_conversations.WAITING]:
        assert script["language"] in ("en", "es") and (script["department"] is None or script["department"] in slugs)
        for line in script.get("lines", []):
            if line[0] == "file":
                _file, code, _description, answers = line
                assert all(valid_answer(QUESTIONS[code][k], v) for k, v in answers.items()), line
            else:
                assert line[0] in ("resident", "agent", "note")
    assert all(slug is None or slug in slugs for _title, slug, _en, _es in demo_conversations.CANNED)


def template(text: str) -> re.Pattern:
    return re.compile(re.escape(text).replace(re.escape("{street}"), ".+").replace(re.escape("{cross}"), ".+") + r"\Z")


@pytest.mark.django_db
def test_seeded_requests_read_right_and_the_console_has_something_on_every_screen(settings, tmp_path, monkeypatch):
    from civicdesk.cases.models import ServiceRequest
    from civicdesk.conversations.models import CallLog, CannedResponse, Conversation
    from civicdesk.surveys.models import Response

    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # ten staff users, fast
    monkeypatch.setattr("civicdesk.knowledge.demo.seed_knowledge", lambda editor=None: 0)  # tested elsewhere
    call_command("seed_demo", requests=60, stdout=StringIO())

    scripted = {line[2] for chat in demo_conversations.CHATS for line in chat["lines"] if line[0] == "file"}
    requests = list(ServiceRequest.objects.select_related("service"))
    assert len(requests) >= 60
    for req in requests:
        if req.channel == "chat":
            assert req.description in scripted
            continue
        own = texts(demo_reports.DESCRIPTIONS[req.service.service_code][req.language])
        assert req.description == "" or any(template(t).match(req.description) for t in own), (
            req.service.service_code, req.language, req.description)
    bites = [r for r in requests if r.service.service_code == "animal-bite" and r.description]
    assert bites, "no animal bite among the seeded requests: change the number of requests"
    assert not any(re.search(r"swerv|\bcars?\b|carros", r.description, re.I) for r in bites)
    languages = [r.language for r in requests]
    assert 0.15 <= languages.count("es") / len(languages) <= 0.4

    spanish = Conversation.objects.filter(language="es", state=Conversation.State.CLOSED).first()
    assert spanish and "se unió a la conversación" in " ".join(spanish.messages.values_list("body", flat=True))
    states = set(Conversation.objects.values_list("state", flat=True))
    assert {"closed", "message", "waiting"} <= states
    assert CannedResponse.objects.count() == len(demo_conversations.CANNED)
    assert CallLog.objects.exists() and Response.objects.filter(conversation__isnull=False).exists()
    counts = (ServiceRequest.objects.count(), Conversation.objects.count(), CannedResponse.objects.count())

    out = StringIO()
    call_command("seed_demo", stdout=out)  # again: nothing added twice
    assert "already seeded" in out.getvalue()
    assert counts == (ServiceRequest.objects.count(), Conversation.objects.count(), CannedResponse.objects.count())
