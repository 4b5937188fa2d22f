"""The clerk's side: building a meeting and its agenda, documents checked on upload,
moderating comments, running the live queue (seen on the residents' socket), minutes, the
CX counts; every step in the audit log; other staff kept out."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfWriter

from civicdesk.meetings import services
from civicdesk.meetings.demo import pdf
from civicdesk.meetings.documents import clean_pdf
from civicdesk.meetings.models import AgendaItem, Comment, Document, Meeting, Speaker
from civicdesk.privacy.models import AuditEntry
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _actions() -> list[str]:
    return list(AuditEntry.objects.exclude(action__in=["sign_in", "sign_out"]).order_by("id").values_list("action", flat=True))


def test_only_clerks_and_administrators_reach_the_meetings_console(client, council, clerk):
    client.force_login(StaffFactory(role="supervisor"))
    assert client.get("/console/meetings/").status_code == 404
    client.force_login(clerk)
    page = client.get("/console/meetings/").content.decode()
    assert "Budget hearing" in page and 'href="/console/meetings/"' in page


def test_the_clerk_creates_a_meeting_builds_its_agenda_and_announces_it(client, council, clerk):
    client.force_login(clerk)
    start = (timezone.localtime() + timedelta(days=14)).strftime("%Y-%m-%dT18:00")
    data = {"body": council["body"].pk, "starts_at": start, "ends_at": "", "mode": "online", "place": "",
            "address": "", "lat": "", "long": "", "stream_url": "", "stream_audience": "everyone",
            "speakers_open": "on", "title_en": "Special session", "description_en": "", "title_es": "Sesión especial"}
    refused = client.post("/console/meetings/new/", data)
    assert "An online meeting needs its stream or meeting link." in refused.content.decode()
    response = client.post("/console/meetings/new/", {**data, "stream_url": "https://vimeo.com/123456"})
    meeting = Meeting.objects.get(translations__title="Special session")
    assert response["Location"] == f"/console/meetings/{meeting.pk}/" and meeting.state == Meeting.State.DRAFT
    for _ in range(2):
        client.post(f"/console/meetings/{meeting.pk}/action/", {"action": "add_item"})
    first, second = AgendaItem.objects.filter(meeting=meeting).order_by("number")
    client.post(f"/console/meetings/{meeting.pk}/items/{second.pk}/", {
        "kind_of": "item", "item-title_en": "Parking rates", "item-title_es": "Tarifas", "item-topic": "",
        "item-accepts_comments": "on"})
    client.post(f"/console/meetings/{meeting.pk}/action/", {"action": "up", "item": second.pk})
    assert AgendaItem.objects.get(pk=second.pk).number == 1
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404  # a draft is not public
    client.post(f"/console/meetings/{meeting.pk}/action/", {"action": "announce"})
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "1. Parking rates" in page and 'src="https://player.vimeo.com/video/123456"' in page
    assert {"meeting_create", "meeting_item_add", "meeting_item_update", "meeting_up", "meeting_announce"} <= set(_actions())


def test_documents_are_checked_on_upload_and_refusals_say_why(client, council, clerk):
    client.force_login(clerk)
    meeting, item = council["meeting"], council["items"][1]
    url = f"/console/meetings/{meeting.pk}/items/{item.pk}/"

    def upload(name, data):
        return client.post(url, {"kind_of": "document", "doc-title": "Report", "doc-file": io.BytesIO(data) and
                                 _file(name, data)})

    ok = upload("report.pdf", pdf("Staff report", ["Line one"]))
    assert ok.status_code == 302 and Document.objects.filter(item=item).count() == 1
    assert "is not a PDF" in upload("report.pdf", b"<html><script>alert(1)</script></html>").content.decode()
    assert "is empty" in upload("empty.pdf", b"").content.decode()
    js = pdf("Hi", ["x"]).replace(b"<< /Type /Catalog /Pages 2 0 R >>",
                                  b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>")
    assert "contains scripts" in upload("js.pdf", js).content.decode()
    locked = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt("secret")
    writer.write(locked)
    assert "protected by a password" in upload("locked.pdf", locked.getvalue()).content.decode()
    assert "damaged or incomplete" in upload("cut.pdf", pdf("Cut", ["x"])[:200]).content.decode()
    assert Document.objects.filter(item=item).count() == 1  # nothing refused was kept
    assert "meeting_document_add" in _actions()


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_active_content_with_disguised_names_is_found_in_the_parsed_document():
    """PDF names may be written with #xx escapes: /J#61vaScript is /JavaScript to a reader,
    but not to a byte search. The parsed structure is what is checked."""
    from django.core.exceptions import ValidationError

    raw = pdf("Hi", ["x"]).replace(b"<< /Type /Catalog /Pages 2 0 R >>",
                                   b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>")
    assert b"/JavaScript" not in raw and b"/JS" not in raw
    with pytest.raises(ValidationError, match="scripts"):
        clean_pdf("x.pdf", raw)
    assert clean_pdf("plain.pdf", pdf("Hi", ["x"])).pages == 1
    page = b"/Contents 5 0 R >>"
    link = pdf("Hi", ["x"]).replace(page, b"/Contents 5 0 R /Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
                                          b"/A << /S /Launch /F (cmd.exe) >> >>] >>")
    field = pdf("Hi", ["x"]).replace(page, b"/Contents 5 0 R /Annots [<< /Subtype /Widget /AA << /K << /S /J#61vaScript "
                                           b"/J#53 (x) >> >> >>] >>")
    outline = pdf("Hi", ["x"]).replace(b"<< /Type /Catalog /Pages 2 0 R >>",
                                       b"<< /Type /Catalog /Pages 2 0 R /Outlines << /First << /Title (a) /A << /S "
                                       b"/Rendition /J#53 (x) >> >> >> >>")
    for name, raw in [("link.pdf", link), ("field.pdf", field), ("outline.pdf", outline)]:
        with pytest.raises(ValidationError, match="scripts"):
            clean_pdf(name, raw)
    opens_at_page_one = pdf("Hi", ["x"]).replace(b"<< /Type /Catalog /Pages 2 0 R >>",
                                                 b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>")
    assert clean_pdf("word.pdf", opens_at_page_one).pages == 1


def test_moderation_publishes_or_refuses_with_a_reason_the_writer_hears(client, council, clerk, smtp, run_worker):
    meeting, item = council["meeting"], council["items"][0]
    good = services.submit_comment(meeting=meeting, item=item, public_name="Dana", email="dana@example.org",
                                   position="support", body="Fund the libraries.", language="es", key="a")
    bad = services.submit_comment(meeting=meeting, item=item, public_name="X", email="x@example.org",
                                  position="oppose", body="Call my neighbour at 555-0100, he is a crook.",
                                  language="en", key="b")
    client.force_login(clerk)
    assert "Fund the libraries." in client.get(f"/console/meetings/{meeting.pk}/comments/").content.decode()
    client.post(f"/console/meetings/{meeting.pk}/comments/", {"comment": good.pk, "decision": "publish"})
    refused = client.post(f"/console/meetings/{meeting.pk}/comments/", {"comment": bad.pk, "decision": "reject",
                                                                         "reason": ""}, follow=True)
    assert "Say why" in refused.content.decode() and Comment.objects.get(pk=bad.pk).state == Comment.State.PENDING
    client.post(f"/console/meetings/{meeting.pk}/comments/", {"comment": bad.pk, "decision": "reject",
                                                               "reason": "Personal details of another person."})
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Fund the libraries." in page and "crook" not in page
    run_worker()
    assert "Personal details of another person." in smtp.to("x@example.org")[0]["body"]
    assert smtp.to("dana@example.org")[0]["language"] == "es"
    assert {"meeting_comments_view", "meeting_comment_publish", "meeting_comment_reject"} <= set(_actions())


def test_the_live_queue_moves_on_the_residents_socket_as_the_clerk_calls_speakers(client, council, clerk, ws_socket):
    meeting, items = council["meeting"], council["items"]
    chris = services.sign_up_to_speak(meeting=meeting, item=items[0], public_name="Chris", email="c@example.org",
                                      phone="", language="en", key="1")
    amina = services.sign_up_to_speak(meeting=meeting, item=None, public_name="Amina", email="a@example.org",
                                      phone="", language="en", key="2")
    sock = ws_socket(f"/ws/meetings/{meeting.pk}/", headers=[(b"origin", b"http://testserver")])
    first = sock.recv()
    # before the meeting no item is discussed: a general comment comes before an item's
    assert first["state"] == "scheduled" and [r["name"] for r in first["queue"]] == ["Amina", "Chris"]
    assert "c@example.org" not in str(first)  # nothing private on the public socket
    client.force_login(clerk)
    client.post(f"/console/meetings/{meeting.pk}/run/", {"action": "start"})
    started = sock.recv_until(lambda m: m["state"] == "live")
    assert started["item"] == items[0].pk  # item 1 is discussed: its speaker is first now
    assert [(r["name"], r["place"]) for r in started["queue"]] == [("Chris", 1), ("Amina", 2)]
    client.post(f"/console/meetings/{meeting.pk}/run/", {"action": "next", "after": ""})
    called = sock.recv_until(lambda m: m["queue"] and m["queue"][0]["state"] == "speaking")
    assert called["queue"][0]["id"] == chris.public_id and called["queue"][1]["place"] == 1
    # a double click (the page still showed nobody speaking) moves nobody on
    moved = client.post(f"/console/meetings/{meeting.pk}/run/", {"action": "next", "after": ""}, follow=True)
    assert "The queue has moved" in moved.content.decode()
    assert Speaker.objects.get(pk=chris.pk).state == Speaker.State.SPEAKING
    client.post(f"/console/meetings/{meeting.pk}/run/", {"action": "next", "after": str(chris.pk)})
    after = sock.recv_until(lambda m: m["finished"].get(chris.public_id) == "done")
    assert [r["id"] for r in after["queue"]] == [amina.public_id] and after["queue"][0]["state"] == "speaking"
    client.post(f"/console/meetings/{meeting.pk}/run/", {"action": "missed", "speaker": amina.pk})
    sock.recv_until(lambda m: m["finished"].get(amina.public_id) == "missed" and not m["queue"])
    client.post(f"/console/meetings/{meeting.pk}/run/", {"action": "item", "item": items[2].pk})
    assert sock.recv_until(lambda m: m["item"] == items[2].pk)
    client.post(f"/console/meetings/{meeting.pk}/run/", {"action": "end"})
    assert sock.recv_until(lambda m: m["state"] == "ended")["item"] is None
    assert Speaker.objects.get(pk=chris.pk).state == Speaker.State.DONE
    draft = Meeting.objects.create(body=council["body"], starts_at=timezone.now(), state=Meeting.State.DRAFT)
    refused = ws_socket(f"/ws/meetings/{draft.pk}/", headers=[(b"origin", b"http://testserver")])
    assert not refused.connected
    assert {"meeting_live_start", "meeting_live_next", "meeting_live_end"} <= set(_actions())


def test_minutes_are_published_after_the_meeting_with_decisions_and_counts(client, council, clerk):
    meeting, item = council["meeting"], council["items"][0]
    services.register(meeting=meeting, name="Ana", email="ana@example.org", language="en", attend="online")
    client.force_login(clerk)
    data = {"minutes_en": "Called to order at 6 p.m. The budget passed 5 to 2.", "recording_url":
            "https://www.youtube.com/watch?v=rec0001", "attendance_in_room": "40", "publish": "1"}
    early = client.post(f"/console/meetings/{meeting.pk}/minutes/", data, follow=True)
    assert "after the meeting has ended" in early.content.decode()
    meeting.state = Meeting.State.ENDED
    meeting.save()
    client.post(f"/console/meetings/{meeting.pk}/items/{item.pk}/", {
        "kind_of": "item", "item-title_en": "Operating budget", "item-decision_en": "Passed, 5 votes to 2.",
        "item-accepts_comments": "on"})
    client.post(f"/console/meetings/{meeting.pk}/minutes/", data)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "The budget passed 5 to 2." in page and "Passed, 5 votes to 2." in page
    assert "40 people in the room" in page and "1 person registered" in page and "rec0001" in page
    assert "meeting_minutes_publish" in _actions()


def test_the_cx_dashboard_counts_participation_per_meeting_and_topic(client, council):
    meeting, items = council["meeting"], council["items"]
    services.register(meeting=meeting, name="Ana", email="ana@example.org", language="en", attend="online")
    services.submit_comment(meeting=meeting, item=items[0], public_name="Dana", email="d@example.org",
                            position="support", body="Yes.", language="en", key="c1")
    speaker = services.sign_up_to_speak(meeting=meeting, item=items[0], public_name="Chris", email="c@example.org",
                                        phone="", language="en", key="s1")
    Speaker.objects.filter(pk=speaker.pk).update(state=Speaker.State.DONE)
    client.force_login(StaffFactory(role="supervisor"))
    end = (timezone.localdate() + timedelta(days=30)).isoformat()
    page = client.get(f"/console/cx/?end={end}").content.decode()
    assert "1 registrations, 1 written comments, 1 remote speakers" in page
    table = page.split('data-testid="participation"')[1].split("</table>")[0]
    assert "Budget hearing" in table
    topics = page.split("By topic")[1].split("</table>")[0]
    assert "Budget" in topics
    csv = client.get(f"/console/cx/?end={end}&export=participation").content.decode("utf-8-sig")
    assert "Budget hearing,1,1,1" in csv


def test_states_move_only_forward_and_decisions_are_made_once(client, council, clerk, smtp, run_worker):
    meeting, item = council["meeting"], council["items"][0]
    client.force_login(clerk)
    draft = Meeting.objects.create(body=council["body"], starts_at=timezone.now() + timedelta(days=3))
    refused = client.post(f"/console/meetings/{draft.pk}/action/", {"action": "cancel"}, follow=True)
    assert "Only a scheduled meeting can be cancelled." in refused.content.decode()
    assert Meeting.objects.get(pk=draft.pk).state == Meeting.State.DRAFT  # still not public
    assert client.post(f"/console/meetings/{draft.pk}/run/", {"action": "end"}, follow=True).status_code == 200
    assert Meeting.objects.get(pk=draft.pk).state == Meeting.State.DRAFT
    late = services.sign_up_to_speak(meeting=meeting, item=None, public_name="Lee", email="lee@example.org",
                                     phone="", language="en", key="l")
    comment = services.submit_comment(meeting=meeting, item=item, public_name="Dana", email="dana@example.org",
                                      position="support", body="Yes.", language="en", key="c")
    for _ in range(2):  # a double click
        client.post(f"/console/meetings/{meeting.pk}/comments/", {"comment": comment.pk, "decision": "publish"})
    client.post(f"/console/meetings/{meeting.pk}/comments/", {"comment": comment.pk, "decision": "reject",
                                                               "reason": "Changed my mind"})
    assert Comment.objects.get(pk=comment.pk).state == Comment.State.PUBLISHED
    client.post(f"/console/meetings/{meeting.pk}/run/", {"action": "start"})
    client.post(f"/console/meetings/{meeting.pk}/run/", {"action": "end"})
    assert Speaker.objects.get(pk=late.pk).state == Speaker.State.NOT_REACHED
    assert "ended before your turn" in client.get(f"/meetings/speaker/{late.token}/").content.decode()
    client.post(f"/console/meetings/{meeting.pk}/run/", {"action": "start"})  # no restart
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.ENDED
    client.post(f"/console/meetings/{meeting.pk}/action/", {"action": "cancel"})
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.ENDED
    run_worker()
    assert len(smtp.to("dana@example.org")) == 1


def test_the_clerk_adds_a_body_and_a_topic_with_their_names_in_every_language(client, council, clerk):
    from civicdesk.meetings.models import Body, Topic

    client.force_login(clerk)
    refused = client.post("/console/meetings/", {"kind_of": "body", "body-slug": "", "body-kind": "board",
                                                  "body-order": "0", "body-name_en": ""})
    assert refused.status_code == 200 and not Body.objects.filter(kind="board").exists()
    client.post("/console/meetings/", {"kind_of": "body", "body-slug": "library-board", "body-kind": "board",
                                        "body-order": "3", "body-active": "on", "body-name_en": "Library Board",
                                        "body-name_es": "Junta de Bibliotecas"})
    client.post("/console/meetings/", {"kind_of": "topic", "topic-slug": "libraries", "topic-name_en": "Libraries",
                                        "topic-name_es": "Bibliotecas"})
    assert Body.objects.get(slug="library-board").safe_translation_getter("name", language_code="es") == \
        "Junta de Bibliotecas"
    assert Topic.objects.filter(slug="libraries").exists()
    assert "Junta de Bibliotecas" in client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert {"meeting_body_create", "meeting_topic_create"} <= set(_actions())
