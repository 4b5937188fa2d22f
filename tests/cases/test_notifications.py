"""Emails on creation and on public updates, sent by the task worker to a real SMTP server."""

import pytest

from civicdesk.cases import services
from civicdesk.cases.models import Notification, Status
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits, as in production


def test_submitter_gets_confirmation_with_private_link(service, smtp, run_worker):
    req = submit(service, email="ana@example.org")
    assert smtp.messages == []  # nothing is sent inside the request
    run_worker()
    [mail] = smtp.to("ana@example.org")
    assert req.public_id in mail["subject"]
    assert f"/requests/{req.public_id}/?key={services.access_token_for(req)}" in mail["body"]


def test_spanish_submitter_gets_spanish_email(service, smtp, run_worker):
    req = submit(service, email="luis@example.org", language="es")
    run_worker()
    [mail] = smtp.to("luis@example.org")
    assert mail["subject"] == f"Recibimos su solicitud {req.public_id}"


def test_status_change_emails_submitter_and_confirmed_followers_only(service, agent, smtp, run_worker):
    req = submit(service, email="ana@example.org")
    confirmed = services.follow(request=req, email="neighbor@example.org")
    services.confirm_follow(token=confirmed.token)
    services.follow(request=req, email="stranger@example.org")  # never confirms
    run_worker()
    smtp.messages.clear()
    services.change_status(request=req, actor=agent, status=Status.IN_PROGRESS, message="Crew on the way")
    run_worker()
    assert sorted(m["to"][0] for m in smtp.messages) == ["ana@example.org", "neighbor@example.org"]
    assert all("Crew on the way" in m["body"] for m in smtp.messages)
    assert "/follow/" in smtp.to("neighbor@example.org")[0]["body"]  # a way to stop


def test_follow_by_stranger_sends_confirmation_first(service, smtp, run_worker):
    req = submit(service)
    follower = services.follow(request=req, email="new@example.org", language="es")
    run_worker()
    [mail] = smtp.to("new@example.org")
    assert f"/follow/{follower.token}/confirm/" in mail["body"]
    assert mail["subject"].startswith("Confirme")


def test_internal_note_sends_nothing(service, agent, smtp, run_worker):
    req = submit(service, email="ana@example.org")
    run_worker()
    smtp.messages.clear()
    services.add_note(request=req, actor=agent, message="internal only", public=False)
    run_worker()
    assert smtp.messages == []


def test_a_retried_notification_does_not_send_twice(service, agent, smtp, run_worker):
    from civicdesk.cases.tasks import notify_request_event

    req = submit(service, email="ana@example.org")
    run_worker()
    event = req.events.get(kind="submitted")
    notify_request_event.call(event.pk)  # as if a worker crashed after sending and the task ran again
    assert len(smtp.to("ana@example.org")) == 1
    assert Notification.objects.filter(event=event).count() == 1


def test_smtp_failure_is_retried_later(service, settings, run_worker):
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    submit(service, email="ana@example.org")
    run_worker()
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["kwargs"] == {"_attempt": 2}
    assert retry.run_after is not None
    assert Notification.objects.count() == 0
