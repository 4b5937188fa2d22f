"""Emergencies: the service's notice where residents look first, and answer-driven priority
rules that make a request urgent and alert the on-call contacts by email (a real SMTP server)
and text (a real HTTP server in the SMS provider's role)."""

from datetime import timedelta

import pytest
from django.test import Client

from civicdesk.cases.models import Notification, Priority, TimelineEvent
from civicdesk.catalog.models import PriorityRule
from tests.conversations.test_channels import sms_provider  # noqa: F401 (a fixture)
from tests.factories import QuestionFactory, ServiceFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits, as in production

NOTICE = ("If someone is hurt or in danger right now, call 911 first.",
          "Si alguien está herido o en peligro ahora mismo, llame primero al 911.")


@pytest.fixture
def tree(department):
    department.on_call_emails = "oncall@riverton.example, chief@riverton.example"
    department.on_call_phones = "+15555550100"
    department.save()
    service = ServiceFactory(department=department, service_code="tree-down", name="Fallen tree",
                             sla_hours=24, emergency_notice=NOTICE[0], emergency_notice_es=NOTICE[1])
    hazard = QuestionFactory(service=service, code="hazard", datatype="singlevaluelist", required=True,
                             description="Is it a danger to people right now?",
                             values=[{"key": "no", "name": "No"}, {"key": "yes", "name": "Yes"}])
    PriorityRule.objects.create(service=service, question=hazard, answer="yes", target_hours=4)
    return service


@pytest.mark.parametrize("lang, text", [("en", NOTICE[0]), ("es", NOTICE[1])])
def test_the_notice_is_on_the_service_page_and_on_top_of_the_form(tree, lang, text):
    client = Client(headers={"Accept-Language": lang})
    for path, first_thing_after in ((f"/services/{tree.service_code}/", "usa-button--big"),
                                    (f"/services/{tree.service_code}/report/", 'id="id_description"')):
        page = client.get(path).content.decode()
        assert 'data-testid="emergency-notice"' in page and text in page
        assert page.index("emergency-notice") < page.index(first_thing_after)  # before anything to do


def test_a_dangerous_answer_makes_the_request_urgent_with_a_short_target(tree):
    calm = submit(tree, answers={"hazard": "no"})
    assert calm.priority == Priority.NORMAL and not calm.events.filter(kind="priority").exists()
    req = submit(tree, answers={"hazard": "yes"})
    req.refresh_from_db()
    assert req.priority == Priority.URGENT
    assert req.sla_due_at - req.submitted_at == timedelta(hours=4)  # clock hours, not business hours
    event = req.events.get(kind=TimelineEvent.Kind.PRIORITY)
    assert event.public and "urgent" in event.message and "4 hours" in event.message
    assert "Marked urgent" in Client().get(f"/requests/{req.public_id}/").content.decode()


def test_on_call_contacts_are_alerted_once_by_email_and_text(tree, smtp, sms_provider, run_worker):  # noqa: F811
    req = submit(tree, answers={"hazard": "yes"}, address="12 Elm St")
    run_worker()
    assert sorted(m["to"][0] for m in smtp.messages) == ["chief@riverton.example", "oncall@riverton.example"]
    mail = smtp.to("oncall@riverton.example")[0]
    assert "URGENT" in mail["subject"] and req.public_id in mail["subject"]
    assert f"/console/requests/{req.public_id}/" in mail["body"] and "12 Elm St" in mail["body"]
    [text] = sms_provider.sent
    assert text["json"]["to"] == "+15555550100" and req.public_id in text["json"]["body"]
    note = req.events.get(kind=TimelineEvent.Kind.NOTE)
    assert not note.public and "oncall@riverton.example" in note.message and "+15555550100" in note.message
    # A retry of the task (a worker that died after sending) alerts nobody twice.
    from civicdesk.cases.tasks import alert_on_call

    alert_on_call.call(req.events.get(kind="priority").pk)
    assert len(smtp.messages) == 2 and len(sms_provider.sent) == 1
    assert Notification.objects.filter(event__request=req).count() == 3


def test_an_import_of_old_requests_pages_nobody(tree, smtp, run_worker):
    from django.utils import timezone

    req = submit(tree, answers={"hazard": "yes"}, submitted_at=timezone.now() - timedelta(days=3))
    run_worker()
    assert smtp.messages == []
    assert req.priority == Priority.URGENT


def test_a_rule_must_use_one_of_the_questions_answers(tree):
    from django.core.exceptions import ValidationError

    rule = PriorityRule(service=tree, question=tree.questions.get(), answer="maybe")
    with pytest.raises(ValidationError) as e:
        rule.full_clean()
    assert "no, yes" in str(e.value)
