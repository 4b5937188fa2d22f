"""Emails on creation and on public updates, sent by the task worker to a real SMTP server."""

import pytest

from civicdesk.accounts.models import Resident
from civicdesk.cases import services
from civicdesk.cases.models import Notification, Status
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits, as in production


def submit_confirmed(service, email, **kwargs):
    """A request filed by a signed-in resident with their own address (confirmed at once)."""
    resident = Resident.objects.get_or_create(email=email)[0]
    return submit(service, email=email, resident=resident, **kwargs)


def test_submitter_gets_confirmation_with_private_link(service, smtp, run_worker):
    req = submit_confirmed(service, "ana@example.org")
    assert smtp.messages == []  # nothing is sent inside the request
    run_worker()
    [mail] = smtp.to("ana@example.org")
    assert req.public_id in mail["subject"]
    assert f"/requests/{req.public_id}/?key={services.access_token_for(req)}" in mail["body"]


def test_spanish_submitter_gets_spanish_email(service, smtp, run_worker):
    req = submit_confirmed(service, "luis@example.org", language="es")
    run_worker()
    [mail] = smtp.to("luis@example.org")
    assert mail["subject"] == f"Recibimos su solicitud {req.public_id}"


def test_an_arabic_email_is_laid_out_right_to_left(service, smtp, run_worker, settings):
    """A plain-text part cannot say its direction: the HTML part says lang="ar" dir="rtl", so a
    paragraph that starts with a request number or a link still reads from the right."""
    from civicdesk.core import languages

    settings.LANGUAGES = languages.parse("en,es,ar")
    req = submit_confirmed(service, "amal@example.org", language="ar")
    run_worker()
    [mail] = smtp.to("amal@example.org")
    assert mail["language"] == "ar"
    assert req.public_id in mail["subject"] and "طلب" in mail["subject"]
    assert '<html lang="ar" dir="rtl">' in mail["html"]
    link = f"/requests/{req.public_id}/?key={services.access_token_for(req)}"
    assert link in mail["body"] and f'{link}">' in mail["html"]  # the link is a link
    # Spanish, left to right, the same way
    req = submit_confirmed(service, "luis@example.org", language="es")
    run_worker()
    [mail] = smtp.to("luis@example.org")
    assert '<html lang="es" dir="ltr">' in mail["html"] and mail["language"] == "es"


def test_a_typed_address_is_asked_first_and_joins_no_account_until_it_says_yes(client, service, agent, smtp,
                                                                              run_worker):
    """Probe finding: a report filed with someone else's email showed in their "My requests"
    and mailed them every update. Now the address gets one question, with no private link."""
    victim = Resident.objects.create(email="victim@example.org", first_name="Vic")
    req = submit(service, email="victim@example.org")  # filed by a stranger, not signed in
    run_worker()
    [mail] = smtp.to("victim@example.org")
    assert "?key=" not in mail["body"] and services.access_token_for(req) not in mail["body"]
    confirm_path = f"/requests/{req.public_id}/confirm-email/{services.contact_token_for(req)}/"
    assert confirm_path in mail["body"]
    req.refresh_from_db()
    assert req.resident is None and not victim.requests.exists()  # not in their account
    smtp.messages.clear()
    services.change_status(request=req, actor=agent, status=Status.IN_PROGRESS, message="Crew on the way")
    run_worker()
    assert smtp.to("victim@example.org") == []  # no updates to an unconfirmed address
    # A forged or other request's token confirms nothing.
    assert client.post(f"/requests/{req.public_id}/confirm-email/{'0' * 32}/").status_code == 404
    # The owner of the address says yes (a GET only shows the button: mail scanners open links).
    assert "Yes, I filed it" in client.get(confirm_path).content.decode()
    req.refresh_from_db()
    assert req.contact_confirmed_at is None
    response = client.post(confirm_path)
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.contact_confirmed and req.resident == victim
    services.change_status(request=req, actor=agent, status=Status.RESOLVED, message="Filled")
    run_worker()
    [update] = smtp.to("victim@example.org")
    assert "Filled" in update["body"]


def test_status_change_emails_submitter_and_confirmed_followers_only(service, agent, smtp, run_worker):
    req = submit_confirmed(service, "ana@example.org")
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
    req = submit_confirmed(service, "ana@example.org")
    run_worker()
    smtp.messages.clear()
    services.add_note(request=req, actor=agent, message="internal only", public=False)
    run_worker()
    assert smtp.messages == []


def test_a_retried_notification_does_not_send_twice(service, agent, smtp, run_worker):
    from civicdesk.cases.tasks import notify_request_event

    req = submit_confirmed(service, "ana@example.org")
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


def test_updates_follow_the_language_the_resident_chose_since(client, service, agent, smtp, run_worker):
    """Filed in English; the resident then switched to Spanish on their profile. The next
    update is written in Spanish, and staff see which language the resident reads."""
    req = submit_confirmed(service, "rosa@example.org")
    run_worker()
    smtp.messages.clear()
    from civicdesk.accounts.services import update_profile

    resident = Resident.objects.get(email="rosa@example.org")
    update_profile(resident=resident, first_name="Rosa", last_name="", phone="", preferred_language="es",
                   preferred_channel="email")  # her choice on her profile
    services.change_status(request=req, actor=agent, status=Status.IN_PROGRESS, message="Equipo en camino")
    run_worker()
    [mail] = smtp.to("rosa@example.org")
    assert "Hay novedades en la solicitud" in mail["body"] and "Equipo en camino" in mail["body"]
    client.force_login(agent)
    page = client.get(f"/console/requests/{req.public_id}/").content.decode()
    assert 'data-testid="resident-language">Spanish' in page  # named in the staff member's language
