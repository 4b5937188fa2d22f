"""The widget's HTTP side: after hours, leaving a message answered by email, transcripts,
images, and coming back from the emailed link."""

import json

import pytest

from civicdesk.conversations import services
from civicdesk.conversations.models import Conversation, Message
from civicdesk.conversations.tasks import resume_token
from tests.conversations.conftest import online, start
from tests.factories import DepartmentFactory, StaffFactory
from tests.helpers import jpeg_with_gps

pytestmark = pytest.mark.django_db(transaction=True)


def post(client, path, **data):
    return client.post(path, data=json.dumps(data), content_type="application/json")


def test_after_hours_the_widget_offers_a_message_answered_by_email(client, smtp, run_worker, ws_socket):
    closed = DepartmentFactory()
    closed.hours.all().delete()  # no business hours: never open
    online(StaffFactory(departments=[closed]))
    started = start(client, department=closed.slug)
    # one rule: nobody can answer now, so it waits as a message (not in the queue as well)
    assert started["open"] is False and started["state"] == "message"
    conv = Conversation.objects.get(public_id=started["conversation"])
    assert "Leave a message" in conv.messages.get().body
    response = post(client, f"/chat/{conv.public_id}/leave-message/", token=started["token"], email="nope")
    assert response.status_code == 400 and response.json()["errors"]["email"]
    response = post(client, f"/chat/{conv.public_id}/leave-message/", token=started["token"],
                    email="ana@example.org", name="Ana", body="When is bulk pickup?")
    assert response.status_code == 200
    conv.refresh_from_db()
    assert conv.state == "message" and conv.contact_email == "ana@example.org"
    agent = StaffFactory(departments=[closed])
    services.post_message(conversation=conv, sender="agent", author=agent, body="Every first Monday.")
    run_worker()
    [mail] = smtp.to("ana@example.org")
    assert "Every first Monday." in mail["body"]
    resume = mail["body"].split("open:")[1].split()[0]
    page = client.get(resume.replace("http://testserver", ""))
    assert page.status_code == 200 and f'data-conversation="{conv.public_id}"' in page.content.decode()
    # the emailed link's token opens the conversation's socket too
    sock = ws_socket()
    sock.send(type="hello", conversation=conv.public_id, token=resume_token(conv), last_seq=0)
    assert sock.recv()["type"] == "welcome"
    bodies = [m["body"] for m in sock.drain() if m["type"] == "message"]
    assert "When is bulk pickup?" in bodies and "Every first Monday." in bodies


def test_forged_resume_link_is_refused(client):
    started = start(client)
    assert client.get(f"/chat/resume/{started['conversation']}/?t=forged").status_code == 404


def test_transcript_by_email_leaves_out_internal_notes(client, department, smtp, run_worker):
    agent = online(StaffFactory(departments=[department]))
    started = start(client, department=department.slug)
    conv = Conversation.objects.get(public_id=started["conversation"])
    services.post_message(conversation=conv, sender="resident", body="Can I park on Elm St tonight?")
    services.post_message(conversation=conv, sender="agent", author=agent, body="Yes, after 6 pm.")
    services.post_message(conversation=conv, sender="note", author=agent, body="frequent caller")
    response = post(client, f"/chat/{conv.public_id}/transcript/", token=started["token"], email="ana@example.org")
    assert response.status_code == 200
    run_worker()
    [mail] = smtp.to("ana@example.org")
    assert "Can I park on Elm St tonight?" in mail["body"] and "Yes, after 6 pm." in mail["body"]
    assert "frequent caller" not in mail["body"]
    assert post(client, f"/chat/{conv.public_id}/transcript/", token="wrong", email="x@example.org").status_code == 404


def test_images_are_validated_like_request_photos(client):
    started = start(client)
    path = f"/chat/{started['conversation']}/attachment/"
    response = client.post(path, {"token": started["token"], "image": _upload("notes.txt", b"not an image")})
    assert response.status_code == 400
    assert "notes.txt" in response.json()["errors"]["image"][0]
    response = client.post(path, {"token": started["token"], "image": _upload("p.jpg", jpeg_with_gps()),
                                  "client_id": "img1"})
    assert response.status_code == 201
    msg = Message.objects.get(client_id="img1")
    assert msg.attachment.name.endswith(".jpg")
    from PIL import Image

    assert not Image.open(msg.attachment.path).getexif()  # GPS and camera data stripped


def test_errors_in_spanish(client):
    started = start(client, language="es")
    response = post(client, f"/chat/{started['conversation']}/leave-message/", token=started["token"], email="x")
    assert response.json()["errors"]["email"] == ["Escriba un correo electrónico como nombre@ejemplo.com."]


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_nul_character_in_a_json_field_is_refused_plainly_in_the_residents_language(client, department):
    # PostgreSQL refuses NUL in text outright; the widget's endpoints say so instead of failing.
    before = Conversation.objects.count()
    response = client.post("/chat/start/", data=json.dumps({"language": "es", "department": "parks\u0000"}),
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert "carácter NUL" in response.json()["errors"]["__all__"][0]
    started = start(client, department=department.slug)
    response = post(client, f"/chat/{started['conversation']}/leave-message/", token=started["token"],
                    email="ana@example.com", body="hola\u0000")
    assert response.status_code == 400 and "NUL character" in response.json()["errors"]["__all__"][0]
    assert Conversation.objects.count() == before + 1  # only the clean start made one


def test_chat_starts_are_limited_per_client_by_a_setting(client, settings, department):
    settings.CIVICDESK_RATE_CHAT_PER_MINUTE = 2
    body = json.dumps({"language": "en", "department": department.slug})
    codes = [client.post("/chat/start/", body, content_type="application/json").status_code for _ in range(3)]
    assert codes[-1] == 429
    refused = client.post("/chat/start/", body, content_type="application/json")
    assert "Too many chats" in refused.json()["errors"]["__all__"][0]
    other = client.post("/chat/start/", body, content_type="application/json", REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 201  # another client is not affected
