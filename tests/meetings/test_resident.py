"""What a resident does with meetings: browse and filter, read the agenda and documents, add
a meeting to a calendar, register (with interpretation asked for in time), comment, sign up
to speak, and follow a body; each error in their language, each retry harmless."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from icalendar import Calendar

from civicdesk.meetings import services
from civicdesk.meetings.models import Comment, Meeting, Registration, Speaker
from tests.conversations.test_channels import sms_provider  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _register(client, meeting, language="en", **fields):
    data = {"name": "Ana Ruiz", "email": "ana@example.org", "attend": "online", "interpretation": "",
            "accommodation": "", "consent": "on", **fields}
    return client.post(f"/meetings/{meeting.pk}/register/", data, HTTP_ACCEPT_LANGUAGE=language)


def test_the_list_shows_public_meetings_by_body_topic_and_time(client, council):
    body = council["body"]
    Meeting.objects.create(body=body, starts_at=timezone.now() + timedelta(days=3), state=Meeting.State.DRAFT)
    past = Meeting.objects.create(body=body, starts_at=timezone.now() - timedelta(days=20), state=Meeting.State.ENDED)
    past.set_current_language("en")
    past.title = "Last month meeting"
    past.save()
    page = client.get("/meetings/").content.decode()
    assert "Budget hearing" in page and "Last month" not in page
    assert page.count('class="cd-meeting"') == 1  # the draft is not public
    assert "Last month meeting" in client.get("/meetings/?when=past").content.decode()
    assert "Budget hearing" in client.get("/meetings/?topic=parks").content.decode()
    assert "Budget hearing" not in client.get("/meetings/?topic=nothing-yet&body=council&when=past").content.decode()
    es = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Audiencia del presupuesto" in es and "Concejo Municipal" in es


def test_the_meeting_page_has_the_agenda_documents_published_comments_and_map(client, council):
    meeting, items = council["meeting"], council["items"]
    services.submit_comment(meeting=meeting, item=items[1], public_name="Dana", email="dana@example.org",
                            position="support", body="Please build the playground.", language="en", key="k1")
    pending = services.submit_comment(meeting=meeting, item=items[1], public_name="Lee", email="lee@example.org",
                                      position="oppose", body="Not this year.", language="en", key="k2")
    Comment.objects.filter(submission_key="k1").update(state=Comment.State.PUBLISHED)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "1. Operating budget" in page and "3. Library hours" in page
    assert "Please build the playground." in page and "Dana" in page
    assert pending.body not in page and "dana@example.org" not in page  # the email is never shown
    assert f"/meetings/documents/{council['document'].pk}/" in page and "Budget summary" in page
    assert 'data-lat="41.850000"' in page
    doc = client.get(f"/meetings/documents/{council['document'].pk}/")
    assert doc["Content-Type"] == "application/pdf" and b"".join(doc.streaming_content).startswith(b"%PDF-")
    draft = Meeting.objects.create(body=council["body"], starts_at=timezone.now(), state=Meeting.State.DRAFT)
    assert client.get(f"/meetings/{draft.pk}/").status_code == 404


def test_a_calendar_app_gets_the_meeting_and_sees_it_move(client, council):
    meeting = council["meeting"]
    event = Calendar.from_ical(client.get(f"/meetings/{meeting.pk}/meeting.ics").content).walk("VEVENT")[0]
    assert str(event["uid"]) == f"meeting-{meeting.pk}@civicdesk"
    assert event.decoded("dtstart") == meeting.starts_at and "City Hall" in str(event["location"])
    meeting.starts_at += timedelta(hours=1)
    meeting.save()
    services.save_meeting(meeting, changed_fields={"starts_at"})
    feed = Calendar.from_ical(client.get("/meetings/bodies/council/meetings.ics").content)
    moved = feed.walk("VEVENT")[0]
    assert moved.decoded("dtstart") == meeting.starts_at and int(moved["sequence"]) == 1
    services.cancel(Meeting.objects.get(pk=meeting.pk))
    gone = Calendar.from_ical(client.get(f"/meetings/{meeting.pk}/meeting.ics").content).walk("VEVENT")[0]
    assert str(gone["status"]) == "CANCELLED"


def test_registering_sends_the_personal_link_and_nobody_else_can_change_it(client, council, smtp, run_worker):
    meeting = council["meeting"]
    page = _register(client, meeting, language="es", interpretation="es").content.decode()
    assert "Está inscrito" in page
    reg = Registration.objects.get()
    assert f"/meetings/attend/{reg.token}/" in page  # the first registration sees its link
    # Someone else types the same email: nothing changes, the page shows no link, and the
    # owner is emailed their link again (once, however often it is tried).
    for _ in range(3):
        again = _register(client, meeting, name="Mallory", interpretation="").content.decode()
        assert reg.token not in again and "Nothing has changed" in again
    kept = Registration.objects.get()
    assert (Registration.objects.count(), kept.name, kept.interpretation) == (1, "Ana Ruiz", "es")
    run_worker()
    mails = smtp.to("ana@example.org")
    assert len(mails) == 2 and all(f"/meetings/attend/{reg.token}/" in m["body"] for m in mails)
    assert mails[0]["language"] == "es" and "Mallory" not in mails[1]["body"]
    attend = client.get(f"/meetings/attend/{reg.token}/")
    assert "no-store" in attend["Cache-Control"]
    client.post(f"/meetings/attend/{reg.token}/", {"action": "cancel"})
    assert Registration.objects.get().cancelled_at is not None
    client.post(f"/meetings/attend/{reg.token}/", {"action": "restore"})  # changed their mind
    assert Registration.objects.get().active


def test_interpretation_must_be_asked_for_in_time_and_the_form_says_why(client, council):
    soon = council["meeting"]
    soon.starts_at = timezone.now() + timedelta(days=1)
    soon.save()
    response = _register(client, soon, language="es", interpretation="es")
    assert response.status_code == 400
    assert "intérprete" in response.content.decode() or "interpretación" in response.content.decode().lower()
    assert not Registration.objects.exists()
    assert _register(client, soon, interpretation="").status_code == 200  # without it: registered
    blank = _register(client, soon, name="", email="not-an-email", consent="")
    text = blank.content.decode()
    assert "Enter your name" in text and "name@example.com" in text and "Tick the box" in text


def test_a_stream_for_registered_attendees_is_only_on_their_page_and_the_csp_frames_only_providers(
        client, council, settings):
    meeting = council["meeting"]
    meeting.stream_audience = Meeting.Audience.REGISTERED
    meeting.save()
    page = client.get(f"/meetings/{meeting.pk}/")
    assert "youtube" not in page.content.decode() and "registered attendees" in page.content.decode()
    assert "frame-src https://player.vimeo.com https://www.youtube-nocookie.com" in page["Content-Security-Policy"]
    assert "frame-src" not in client.get("/")["Content-Security-Policy"]
    reg, _ = services.register(meeting=meeting, name="Ana", email="ana@example.org", language="en", attend="online")
    mine = client.get(f"/meetings/attend/{reg.token}/").content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/abcDEF12345"' in mine
    settings.CIVICDESK_STREAM_PROVIDERS = ["vimeo"]  # YouTube no longer allowed: a link, not a frame
    mine = client.get(f"/meetings/attend/{reg.token}/")
    assert "<iframe" not in mine.content.decode() and "youtube.com/watch" in mine.content.decode()
    assert "youtube" not in mine["Content-Security-Policy"]


def test_a_comment_waits_for_the_clerk_and_a_double_submit_is_one_comment(client, council, smtp, run_worker):
    meeting, item = council["meeting"], council["items"][0]
    form = client.get(f"/meetings/{meeting.pk}/comment/?item={item.pk}").content.decode()
    key = form.split('name="submission_key" value="')[1].split('"')[0]
    data = {"item": item.pk, "position": "oppose", "body": "Too many cuts to libraries.", "public_name": "A resident",
            "email": "ana@example.org", "submission_key": key}
    first = client.post(f"/meetings/{meeting.pk}/comment/", data)
    second = client.post(f"/meetings/{meeting.pk}/comment/", data)
    assert first.status_code == second.status_code == 200 and "comment is received" in second.content.decode()
    assert Comment.objects.count() == 1 and Comment.objects.get().state == Comment.State.PENDING
    assert "Too many cuts" not in client.get(f"/meetings/{meeting.pk}/").content.decode()
    empty = client.post(f"/meetings/{meeting.pk}/comment/", {"item": item.pk, "position": "support",
                                                             "submission_key": "x2"}, HTTP_ACCEPT_LANGUAGE="es")
    assert empty.status_code == 400 and "Escriba su comentario" in empty.content.decode()
    meeting.state = Meeting.State.ENDED
    meeting.save()
    closed = client.post(f"/meetings/{meeting.pk}/comment/", {**data, "submission_key": "x3"})
    assert closed.status_code == 400 and "has ended" in closed.content.decode()


def test_signing_up_to_speak_gives_a_place_in_the_queue(client, council, smtp, run_worker):
    meeting, item = council["meeting"], council["items"][1]
    data = {"item": item.pk, "public_name": "Chris", "email": "chris@example.org", "phone": "",
            "submission_key": "s1"}
    response = client.post(f"/meetings/{meeting.pk}/speak/", data)
    speaker = Speaker.objects.get()
    assert response["Location"] == f"/meetings/speaker/{speaker.token}/"
    assert client.post(f"/meetings/{meeting.pk}/speak/", data)["Location"] == response["Location"]  # the retry
    client.post(f"/meetings/{meeting.pk}/speak/", {**data, "public_name": "Amina", "email": "amina@example.org",
                                                   "submission_key": "s2"})
    amina = Speaker.objects.get(public_name="Amina")
    assert "Your place in the queue: 2." in client.get(f"/meetings/speaker/{amina.token}/").content.decode()
    assert "You are next." in client.get(f"/meetings/speaker/{speaker.token}/").content.decode()
    again = client.post(f"/meetings/{meeting.pk}/speak/", {**data, "submission_key": "s3"})
    assert again.status_code == 400 and "already in the queue" in again.content.decode()
    bad = client.post(f"/meetings/{meeting.pk}/speak/", {**data, "phone": "12", "submission_key": "s4"})
    assert bad.status_code == 400 and "area code" in bad.content.decode()
    run_worker()
    assert f"/meetings/speaker/{speaker.token}/" in smtp.to("chris@example.org")[0]["body"]
    client.post(f"/meetings/speaker/{speaker.token}/", {"action": "withdraw"})
    assert "You are next." in client.get(f"/meetings/speaker/{amina.token}/").content.decode()


def test_following_a_body_confirms_then_announces_each_new_meeting_once(client, council, smtp, run_worker):
    response = client.post("/meetings/bodies/council/follow/", {"channel": "email", "email": "ana@example.org",
                                                                 "phone": "", "consent": "on"})
    assert "Check your email" in response.content.decode()
    run_worker()
    link = next(w for w in smtp.to("ana@example.org")[0]["body"].split() if "/follow/confirm/" in w)
    client.post(urlparse(link).path)
    draft = Meeting.objects.create(body=council["body"], starts_at=timezone.now() + timedelta(days=9),
                                   state=Meeting.State.DRAFT, place="City Hall")
    draft.set_current_language("en")
    draft.title = "Special session"
    draft.save()
    services.announce(draft)
    services.announce(Meeting.objects.get(pk=draft.pk))  # twice: still one message
    run_worker()
    from civicdesk.meetings.tasks import announce_meeting

    announce_meeting.call(draft.pk)
    news = [m for m in smtp.to("ana@example.org") if "Special session" in m["subject"]]
    assert len(news) == 1 and f"/meetings/{draft.pk}/" in news[0]["body"]
    stop = next(w for w in news[0]["body"].split() if "/follow/stop/" in w)
    client.post(urlparse(stop).path)
    assert "stopped" in client.get(urlparse(stop).path).content.decode()


def test_a_change_of_time_reaches_everyone_registered_once(council, smtp, run_worker):
    meeting = council["meeting"]
    services.register(meeting=meeting, name="Ana", email="ana@example.org", language="es", attend="online")
    services.register(meeting=meeting, name="Bo", email="bo@example.org", language="en", attend="in_person")
    run_worker()
    meeting.starts_at += timedelta(days=1)
    meeting.save()
    services.save_meeting(meeting, changed_fields={"starts_at"})
    run_worker()
    from civicdesk.meetings.tasks import send_change

    assert send_change.call(meeting.pk)["already"] == 2  # run again: nobody told twice
    changed = [m for m in smtp.messages if m["subject"].startswith(("Changed", "Cambi"))]
    assert sorted(m["to"][0] for m in changed) == ["ana@example.org", "bo@example.org"]


def test_following_by_text_confirms_by_text_announces_once_and_stop_ends_it(
        client, council, sms_provider, run_worker):  # noqa: F811
    refused = client.post("/meetings/bodies/council/follow/", {"channel": "sms", "email": "", "phone": "12",
                                                                "consent": "on"}, HTTP_ACCEPT_LANGUAGE="es")
    assert refused.status_code == 400 and "código de área" in refused.content.decode()
    client.post("/meetings/bodies/council/follow/", {"channel": "sms", "email": "", "phone": "(555) 555-0142",
                                                      "consent": "on"})
    run_worker()
    [confirm] = sms_provider.sent
    assert confirm["json"]["to"] == "+15555550142"
    link = next(w for w in confirm["json"]["body"].split() if "/follow/confirm/" in w)
    client.post(urlparse(link).path)
    draft = Meeting.objects.create(body=council["body"], starts_at=timezone.now() + timedelta(days=9),
                                   state=Meeting.State.DRAFT)
    services.announce(draft)
    run_worker()
    from civicdesk.meetings.tasks import announce_meeting

    assert announce_meeting.call(draft.pk)["already"] == 1
    texts = [s for s in sms_provider.sent if f"/meetings/{draft.pk}/" in s["json"]["body"]]
    assert len(texts) == 1
    from civicdesk.core.sms import stop_requested

    stop_requested.send(sender=None, phone="+15555550142")  # the resident texted STOP
    second = Meeting.objects.create(body=council["body"], starts_at=timezone.now() + timedelta(days=12),
                                    state=Meeting.State.DRAFT)
    services.announce(second)
    run_worker()
    assert not [s for s in sms_provider.sent if f"/meetings/{second.pk}/" in s["json"]["body"]]


def test_a_form_key_left_by_someone_else_never_shows_their_comment_or_place(client, council):
    """A library computer: the next person's browser sends back the previous person's key."""
    meeting, item = council["meeting"], council["items"][0]
    data = {"item": item.pk, "position": "support", "body": "First person's words.", "public_name": "Ana",
            "email": "ana@example.org", "submission_key": "shared-key"}
    client.post(f"/meetings/{meeting.pk}/comment/", data)
    second = client.post(f"/meetings/{meeting.pk}/comment/", {**data, "body": "Second person's words.",
                                                               "public_name": "Bo", "email": "bo@example.org"})
    assert "Second person" in second.content.decode() and "First person" not in second.content.decode()
    assert Comment.objects.count() == 2
    speak = {"item": "", "public_name": "Ana", "email": "ana@example.org", "phone": "", "submission_key": "k9"}
    first = client.post(f"/meetings/{meeting.pk}/speak/", speak)["Location"]
    other = client.post(f"/meetings/{meeting.pk}/speak/", {**speak, "public_name": "Bo", "email": "bo@example.org"})
    assert other["Location"] != first and Speaker.objects.count() == 2


def test_an_erasure_removes_meeting_contacts_and_keeps_only_the_public_record(client, council):
    from civicdesk.accounts.models import Resident
    from civicdesk.privacy.data_rights import erase_resident, export_data

    resident = Resident.objects.create(email="ana@example.org", first_name="Ana")
    meeting, item = council["meeting"], council["items"][0]
    services.register(meeting=meeting, name="Ana", email="ana@example.org", language="en", attend="online",
                      accommodation="A wheelchair space")
    said = services.submit_comment(meeting=meeting, item=item, public_name="Ana Ruiz", email="ana@example.org",
                                   position="support", body="Public words.", language="en", key="p")
    services.submit_comment(meeting=meeting, item=item, public_name="Ana Ruiz", email="ana@example.org",
                            position="oppose", body="Words never published.", language="en", key="q")
    Comment.objects.filter(pk=said.pk).update(state=Comment.State.PUBLISHED)
    services.sign_up_to_speak(meeting=meeting, item=None, public_name="Ana", email="ana@example.org",
                              phone="+15555550142", language="en", key="s")
    exported = export_data(resident)["meetings"]
    assert exported["registrations"][0]["accommodation"] == "A wheelchair space"
    assert {c["comment"] for c in exported["comments"]} == {"Public words.", "Words never published."}
    erase_resident(resident)
    assert not Registration.objects.exists()
    assert set(Comment.objects.values_list("body", "email", "public_name")) == {
        ("Public words.", "", ""), ("[removed at the resident's request]", "", "")}
    assert list(Speaker.objects.values_list("email", "phone", "public_name")) == [("", "", "")]
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Public words." in page and "Ana Ruiz" not in page and "A resident" in page
