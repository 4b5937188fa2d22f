"""Collection reminders: subscribing from the schedule page (email and text), the errors a
resident can make, confirming, the evening run (once per subscriber and day, in the
resident's language, not in the quiet hours), stopping by link, by one-click and by texting
STOP, and a crashed worker's tasks queued again when it restarts.

The worker killed in the middle of a run, with the SMTP server counting, is
`test_reminder_worker_restart.py` (PostgreSQL pass)."""

import email
from datetime import date, datetime, timedelta
from email import policy
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from civicdesk.schedules import reminders
from civicdesk.schedules.models import Reminder, Subscription
from tests.helpers import ProviderServer

pytestmark = pytest.mark.django_db(transaction=True)
THURSDAY = date(2026, 12, 3)  # trash day in the West zone, not in the East


@pytest.fixture(autouse=True)
def _evening(settings):
    settings.CIVICDESK_QUIET_HOURS = ""  # tests run at any hour; the quiet test sets its own


def remind(client, **fields):
    data = {"address_id": "A-1", "channel": "email", "email": "ana@example.org", "consent": "on", **fields}
    return client.post("/schedules/remind/", {k: v for k, v in data.items() if v is not None},
                       HTTP_ACCEPT_LANGUAGE=fields.pop("lang", "en") if "lang" in fields else "en")


def confirm_link(message) -> str:
    return next(w for w in message["body"].split() if "/schedules/remind/confirm/" in w)


def test_subscribe_confirm_and_receive_one_reminder_with_a_way_to_stop(client, riverton, smtp, run_worker):
    page = client.get("/schedules/", {"address_id": "A-1"}).content.decode()
    assert "Get a reminder the evening before" in page and 'name="consent"' in page

    response = remind(client)
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    run_worker()
    [confirmation] = smtp.to("ana@example.org")
    assert "1228 N Elm St" in confirmation["body"]
    sub = Subscription.objects.get()
    assert sub.confirmed_at is None and "Email me the evening before" in sub.consent_wording

    reminders.reminder_batch.call(THURSDAY.isoformat(), sub.pk, sub.pk)
    assert len(smtp.messages) == 1  # nothing before the resident confirms

    link = urlparse(confirm_link(confirmation)).path
    assert "Start my reminders" in client.get(link).content.decode()  # opening it confirms nothing
    assert Subscription.objects.get().confirmed_at is None
    assert "Reminders are on" in client.post(link).content.decode()

    reminders.reminder_run.call(THURSDAY.isoformat())
    run_worker()
    reminders.reminder_run.call(THURSDAY.isoformat())  # the run again: nobody gets a second one
    run_worker()
    mails = smtp.to("ana@example.org")
    assert len(mails) == 2
    reminder = mails[1]
    assert reminder["subject"] == "Tomorrow, Thursday, December 3: Trash"
    assert "Carts at the curb by 6 a.m." in reminder["body"]
    assert "Street sweeping" not in reminder["body"]  # not that day
    raw = email.message_from_bytes(smtp.raw[1], policy=policy.default)
    stop_url = raw["List-Unsubscribe"].strip().strip("<>")
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert stop_url in reminder["body"]
    assert Reminder.objects.get().day == THURSDAY

    # the mail client's one-click unsubscribe (RFC 8058): a POST with no CSRF token
    path = urlparse(stop_url).path
    stopped = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert stopped.status_code == 200 and "Reminders are stopped" in stopped.content.decode()
    reminders.reminder_run.call((THURSDAY + timedelta(days=7)).isoformat())
    run_worker()
    assert len(smtp.to("ana@example.org")) == 2


def test_spanish_reminders_name_the_services_in_spanish(client, riverton, smtp, run_worker):
    client.post("/schedules/remind/", {"address_id": "A-1", "channel": "email", "email": "luz@example.org",
                                       "consent": "on"}, HTTP_ACCEPT_LANGUAGE="es")
    run_worker()
    [confirmation] = smtp.to("luz@example.org")
    assert confirmation["language"] == "es" and "recordatorio" in confirmation["subject"].lower()
    Subscription.objects.update(confirmed_at=timezone.now())
    reminders.reminder_run.call(date(2026, 12, 9).isoformat())  # 2nd Wednesday: sweeping
    run_worker()
    reminder = smtp.to("luz@example.org")[1]
    assert reminder["subject"].strip() == "Mañana, miércoles, 9 de diciembre: Barrido de calles"
    assert "No estacionar de 7 a 15 h." in reminder["body"]


def test_only_the_chosen_services_are_reminded(client, riverton, smtp, run_worker):
    remind(client, services=str(riverton["sweeping"].pk))
    run_worker()
    Subscription.objects.update(confirmed_at=timezone.now())
    reminders.reminder_run.call(THURSDAY.isoformat())  # trash only that day
    run_worker()
    assert len(smtp.messages) == 1  # the confirmation, no reminder
    reminders.reminder_run.call(date(2026, 12, 9).isoformat())
    run_worker()
    assert smtp.messages[-1]["subject"].endswith("Street sweeping")


@pytest.mark.parametrize(("fields", "field", "error"), [
    ({"consent": None}, "consent", "Tick the box to agree to receive reminders."),
    ({"email": "not-an-address"}, "email", "Enter an email address like name@example.com."),
    ({"email": ""}, "email", "Enter the email address for the reminders."),
    ({"channel": "sms", "phone": "555-0100"}, "phone", "Enter a mobile phone number with its area code"),
    ({"channel": "sms", "phone": ""}, "phone", "Enter the mobile phone number for the reminders."),
])
def test_bad_input_says_what_is_wrong_and_subscribes_nobody(client, riverton, fields, field, error):
    response = remind(client, **fields)
    page = response.content.decode()
    assert response.status_code == 400
    assert error in page and "Please correct the marked fields below." in page
    assert "Schedule for 1228 N Elm St" in page  # the schedule is still there
    assert not Subscription.objects.exists()


def test_errors_are_in_the_residents_language(client, riverton):
    response = client.post("/schedules/remind/", {"address_id": "A-1", "channel": "email", "email": "x"},
                           HTTP_ACCEPT_LANGUAGE="es")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Marque la casilla" in page and "nombre@ejemplo.com" in page


def test_asking_twice_is_one_subscription_and_an_unknown_address_is_refused(client, riverton, smtp, run_worker):
    remind(client)
    remind(client, email="ANA@example.org ")
    assert Subscription.objects.count() == 1
    assert remind(client, address_id="NOPE").status_code == 404


def test_a_signed_in_resident_asking_for_their_own_email_needs_no_confirmation(client, riverton, smtp, run_worker):
    from civicdesk.accounts.models import Resident
    from tests.privacy.test_data_rights import signed_in

    resident = Resident.objects.create(email="rosa@example.org", first_name="Rosa")
    signed_in(client, resident)
    assert 'value="rosa@example.org"' in client.get("/schedules/", {"address_id": "A-1"}).content.decode()
    assert "Reminders are on" in remind(client, email="rosa@example.org").content.decode()
    run_worker()
    assert smtp.messages == []  # no confirmation needed
    assert Subscription.objects.get().resident == resident


def test_text_reminders_and_stop_by_text(client, riverton, settings, run_worker):
    import hashlib
    import hmac
    import json

    provider = ProviderServer(lambda method, path, query, body, headers: (200, {"id": "m1"}))
    settings.CIVICDESK_SMS_API_URL = provider.url + "/messages"
    settings.CIVICDESK_SMS_WEBHOOK_SECRET = "hooksecret"
    try:
        remind(client, channel="sms", phone="(555) 555-0123", email="")
        run_worker()
        [(_, confirm)] = provider.calls
        assert confirm["to"] == "+15555550123" and "/schedules/remind/confirm/" in confirm["body"]
        Subscription.objects.update(confirmed_at=timezone.now())
        reminders.reminder_run.call(THURSDAY.isoformat())
        run_worker()
        text = provider.calls[-1][1]["body"]
        assert "tomorrow, Thursday, December 3: Trash" in text and "/schedules/remind/stop/" in text

        body = json.dumps({"id": "in-9", "from": "+15555550123", "to": "+15550100", "body": "STOP"}).encode()
        sig = hmac.new(b"hooksecret", body, hashlib.sha256).hexdigest()
        client.post("/inbound/sms/", data=body, content_type="application/json", headers={"X-Signature": sig})
        assert Subscription.objects.get().stopped_at is not None
        reminders.reminder_run.call((THURSDAY + timedelta(days=7)).isoformat())
        run_worker()
        assert len(provider.calls) == 2
    finally:
        provider.stop()


def test_nothing_is_sent_in_the_quiet_hours(client, riverton, settings, smtp, run_worker):
    remind(client)
    Subscription.objects.update(confirmed_at=timezone.now())
    settings.CIVICDESK_QUIET_HOURS = "21-8"
    late = timezone.make_aware(datetime(2026, 12, 2, 22, 30))
    assert reminders.quiet(late) and not reminders.quiet(timezone.make_aware(datetime(2026, 12, 2, 17, 0)))
    assert reminders.quiet(timezone.make_aware(datetime(2026, 12, 3, 7, 59)))
    settings.CIVICDESK_QUIET_HOURS = "0-24"  # now is quiet, whatever the hour
    assert reminders.reminder_batch.call(THURSDAY.isoformat(), 1, 10**9)["quiet"] == 1
    assert not Reminder.objects.exists()


def test_the_next_run_is_queued_once_for_the_evening(db, settings):
    from django_tasks_db.models import DBTaskResult

    settings.CIVICDESK_REMINDER_HOUR = 17
    noon = timezone.make_aware(datetime(2026, 12, 2, 12, 0))
    assert timezone.localtime(reminders.next_run_at(noon)).replace(tzinfo=None) == datetime(2026, 12, 2, 17, 0)
    night = timezone.make_aware(datetime(2026, 12, 2, 18, 0))
    assert timezone.localtime(reminders.next_run_at(night)).replace(tzinfo=None) == datetime(2026, 12, 3, 17, 0)
    reminders.schedule_next(noon)
    reminders.schedule_next(noon)
    assert DBTaskResult.objects.filter(task_path__endswith="reminder_run", status="READY").count() == 1


def test_a_restarting_worker_queues_again_what_it_left_running(db, settings):
    from django_tasks_db.models import DBTaskResult

    from civicdesk.core.management.commands.worker import requeue_abandoned

    mine = reminders.reminder_batch.enqueue("2026-12-03", 1, 10)
    theirs = reminders.reminder_batch.enqueue("2026-12-03", 11, 20)
    old = reminders.reminder_batch.enqueue("2026-12-03", 21, 30)
    now = timezone.now()
    DBTaskResult.objects.filter(pk=mine.id).update(status="RUNNING", worker_ids=["w1"], started_at=now)
    DBTaskResult.objects.filter(pk=theirs.id).update(status="RUNNING", worker_ids=["w2"], started_at=now)
    DBTaskResult.objects.filter(pk=old.id).update(status="RUNNING", worker_ids=["w3"],
                                                  started_at=now - timedelta(hours=2))
    assert requeue_abandoned("w1") == 2
    state = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
    assert (state[mine.id], state[theirs.id], state[old.id]) == ("READY", "RUNNING", "READY")


def test_a_batch_of_texts_and_emails_sends_each_by_its_own_channel(client, riverton, settings, smtp, run_worker):
    provider = ProviderServer(lambda method, path, query, body, headers: (200, {"id": "m1"}))
    settings.CIVICDESK_SMS_API_URL = provider.url + "/messages"
    try:
        remind(client, channel="sms", phone="(555) 555-0123", email="")
        remind(client, email="after@example.org")
        run_worker()
        Subscription.objects.update(confirmed_at=timezone.now())
        smtp.messages.clear()
        provider.calls.clear()
        report = reminders.reminder_batch.call(THURSDAY.isoformat(), 1, 10**9)
        assert report["sent"] == 2
        assert [c[1]["to"] for c in provider.calls] == ["+15555550123"]
        assert [m["to"] for m in smtp.messages] == [["after@example.org"]]
    finally:
        provider.stop()


def test_a_refused_recipient_does_not_stop_the_others(riverton, smtp):
    from aiosmtpd.smtp import SMTP  # noqa: F401 (the server is aiosmtpd)

    now = timezone.now()
    for i, contact in enumerate(["a@example.org", "bounce@example.org", "c@example.org"]):
        Subscription.objects.create(address_ref="A-1", address_label="1228 N Elm St", lat=41.85, long=-89.50,
                                    channel="email", contact=contact, token=f"t{i}", consent_wording="yes",
                                    confirmed_at=now)

    async def refuse(server, session, envelope, address, rcpt_options):
        if address.startswith("bounce@"):
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"
    smtp.handle_RCPT = refuse
    report = reminders.reminder_batch.call(THURSDAY.isoformat(), 1, 10**9)
    assert (report["sent"], report["failed"]) == (2, 1)
    assert sorted(m["to"][0] for m in smtp.messages) == ["a@example.org", "c@example.org"]
    assert set(Reminder.objects.values_list("subscription__contact", flat=True)) == {"a@example.org", "c@example.org"}


def test_asking_again_for_reminders_that_are_on_changes_nothing_and_tells_the_owner(
        client, riverton, smtp, run_worker):
    remind(client)
    run_worker()
    Subscription.objects.update(confirmed_at=timezone.now())
    smtp.messages.clear()
    from django.core.cache import cache

    cache.clear()  # the ten-minute window of the first confirmation
    page = remind(client, services=str(riverton["sweeping"].pk)).content.decode()
    assert "Check your email" in page and "Reminders are on" not in page  # says nothing to a stranger
    assert not Subscription.objects.get().services.exists()  # nothing changed
    run_worker()
    [note] = smtp.to("ana@example.org")
    assert "You already get them, and nothing was changed." in note["body"]
    remind(client)  # again at once: no second message within the window
    run_worker()
    assert len(smtp.to("ana@example.org")) == 1


def test_texts_only_to_the_agencys_country(client, riverton):
    response = remind(client, channel="sms", phone="+44 7700 900123", email="")
    assert response.status_code == 400
    assert "We can send texts only to mobile numbers in this country." in response.content.decode()
    assert not Subscription.objects.exists()
