"""Email and SMS into the same inbox: real MIME messages (some broken), a real SMTP server
for replies, and a small HTTP server in the SMS provider's role."""

import hashlib
import hmac
import io
import json
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from civicdesk.conversations import services
from civicdesk.conversations.email_channel import Rejected, receive, reply_address
from civicdesk.conversations.models import Conversation, Message
from tests.factories import StaffFactory
from tests.helpers import jpeg_with_gps

pytestmark = pytest.mark.django_db(transaction=True)


def mime(*, sender="Ana Ruiz <ana@example.org>", to="311@civicdesk.localhost", subject="Broken streetlight",
         body="The light on Elm St is out.", msg_id="<a1@mail.example.org>", in_reply_to=None, attachments=()):
    m = EmailMessage()
    if sender:
        m["From"] = sender
    m["To"] = to
    m["Subject"] = subject
    m["Message-ID"] = msg_id
    if in_reply_to:
        m["In-Reply-To"] = in_reply_to
        m["References"] = in_reply_to
    m.set_content(body)
    for name, maintype, subtype, data in attachments:
        m.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return m.as_bytes()


def test_new_email_starts_a_conversation_with_its_attachments(settings):
    raw = mime(body="The light on Elm St is out.\n\nOn Mon, Bob wrote:\n> old quoted text", attachments=[
        ("pole.jpg", "image", "jpeg", jpeg_with_gps()), ("letter.pdf", "application", "pdf", b"%PDF-1.4 test")])
    result = receive(raw)
    conv = result.conversation
    assert result.created and conv.channel == "email" and conv.contact_email == "ana@example.org"
    assert conv.resident.email == "ana@example.org" and conv.subject == "Broken streetlight"
    texts = list(conv.messages.values_list("sender", "body"))
    assert ("resident", "The light on Elm St is out.") in texts  # quoted history left out
    image = conv.messages.exclude(attachment="").get()
    from PIL import Image

    assert not Image.open(image.attachment.path).getexif()
    pdf = conv.messages.exclude(file="").get()
    assert pdf.file_name == "letter.pdf" and pdf.file.read() == b"%PDF-1.4 test"
    assert str(settings.MEDIA_ROOT) not in pdf.file.path  # private, not served as media


def test_same_email_delivered_twice_is_filed_once():
    first = receive(mime())
    again = receive(mime())
    assert not again.created and again.message.pk == first.message.pk
    assert Message.objects.filter(sender="resident").count() == 1


def test_agent_reply_is_threaded_and_the_answer_comes_back(smtp, run_worker, department):
    conv = receive(mime()).conversation
    agent = StaffFactory(all_departments=True)
    services.assign(conversation=conv, agent=agent, by=agent)
    reply = services.post_message(conversation=conv, sender="agent", author=agent, body="A crew will fix it Friday.")
    run_worker()
    [mail] = smtp.to("ana@example.org")
    assert "A crew will fix it Friday." in mail["body"]
    import email
    from email import policy

    sent = email.message_from_bytes(smtp.raw[-1], policy=policy.default)
    assert sent["In-Reply-To"] == "<a1@mail.example.org>"
    assert sent["Reply-To"] == reply_address(conv)
    assert sent["Message-ID"] == f"<msg-{conv.public_id}-{reply.seq}@civicdesk.localhost>"
    # the resident answers from their mail program: threaded by In-Reply-To ...
    back = receive(mime(msg_id="<a2@mail.example.org>", subject="Re: Broken streetlight",
                        body="Thanks!\n\n> A crew will fix it Friday.", in_reply_to=sent["Message-ID"]))
    assert back.conversation == conv and back.message.body == "Thanks!"
    # ... or by the reply address alone
    again = receive(mime(msg_id="<a3@mail.example.org>", to=reply_address(conv), body="One more thing"))
    assert again.conversation == conv
    # a forged reply address starts a new conversation instead
    forged = receive(mime(msg_id="<a4@mail.example.org>", to=f"311+{conv.public_id}.0000000000000000@x.org"))
    assert forged.conversation != conv


@pytest.mark.parametrize("raw, reason", [
    (mime(sender=None), "From"),
    (b"\x00\xff garbage that is not an email at all", "From"),
    (mime(sender="not an address"), "From"),
])
def test_unusable_emails_are_rejected_with_the_reason(raw, reason):
    with pytest.raises(Rejected, match=reason):
        receive(raw)
    assert not Conversation.objects.exists()


def test_broken_charset_and_html_only_emails_are_still_filed():
    broken = (b"From: ana@example.org\r\nTo: 311@civicdesk.localhost\r\nSubject: hi\r\nMessage-ID: <b1@x>\r\n"
              b"Content-Type: text/plain; charset=no-such-charset\r\n\r\nHola \xe9 mundo\r\n")
    assert "Hola" in receive(broken).message.body
    html = (b"From: ana@example.org\r\nTo: 311@civicdesk.localhost\r\nSubject: hi\r\nMessage-ID: <b2@x>\r\n"
            b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>Trash <b>missed</b> again</p>\r\n")
    assert receive(html).message.body == "Trash missed again"


def test_inbound_email_endpoint_and_command(client, settings):
    settings.CIVICDESK_INBOUND_EMAIL_TOKEN = "s3cret"
    response = client.post("/inbound/email/", data=mime(), content_type="message/rfc822")
    assert response.status_code == 403
    response = client.post("/inbound/email/", data=mime(), content_type="message/rfc822",
                           headers={"X-CivicDesk-Inbound-Token": "s3cret"})
    assert response.status_code == 201
    response = client.post("/inbound/email/", data=mime(sender=None, msg_id="<c9@x>"), content_type="message/rfc822",
                           headers={"X-CivicDesk-Inbound-Token": "s3cret"})
    assert response.status_code == 422 and "From" in response.json()["error"]
    import sys

    stdin, out = sys.stdin, io.StringIO()
    sys.stdin = io.TextIOWrapper(io.BytesIO(mime(msg_id="<c10@x>", body="via the pipe")))
    try:
        call_command("receive_email", stdout=out)
    finally:
        sys.stdin = stdin
    assert "filed in" in out.getvalue() and Message.objects.filter(body="via the pipe").exists()


class Provider:
    """The SMS provider's API: records what we send."""

    def __init__(self):
        self.sent = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.sent.append({"auth": self.headers["Authorization"], "json": json.loads(body)})
                out = json.dumps({"id": f"out-{len(outer.sent)}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/messages"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def sms_provider(settings):
    p = Provider()
    settings.CIVICDESK_SMS_API_URL = p.url
    settings.CIVICDESK_SMS_API_TOKEN = "tok"
    settings.CIVICDESK_SMS_FROM = "+15550100"
    settings.CIVICDESK_SMS_WEBHOOK_SECRET = "hooksecret"
    yield p
    p.server.shutdown()


def inbound(client, payload, secret="hooksecret"):
    body = json.dumps(payload).encode()
    sig = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post("/inbound/sms/", data=body, content_type="application/json", headers={"X-Signature": sig})


def test_sms_in_and_out(client, sms_provider, run_worker):
    response = inbound(client, {"id": "in-1", "from": "+15551234567", "to": "+15550100", "body": "Is the dump open?"})
    assert response.status_code == 201
    conv = Conversation.objects.get(public_id=response.json()["conversation"])
    assert conv.channel == "sms" and conv.contact_phone == "+15551234567"
    assert inbound(client, {"id": "in-1", "from": "+15551234567", "body": "Is the dump open?"}).status_code == 201
    assert conv.messages.filter(sender="resident").count() == 1  # the provider's retry is not a second message
    inbound(client, {"id": "in-2", "from": "+15551234567", "body": "Saturday?"})
    assert conv.messages.filter(sender="resident").count() == 2  # same conversation
    agent = StaffFactory(all_departments=True)
    services.post_message(conversation=conv, sender="agent", author=agent, body="Yes, 8 to 4.")
    run_worker()
    assert sms_provider.sent == [{"auth": "Bearer tok", "json": {"from": "+15550100", "to": "+15551234567",
                                                                  "body": "Yes, 8 to 4."}}]


def test_sms_webhook_signature_is_checked(client, sms_provider):
    response = inbound(client, {"id": "x", "from": "+1555", "body": "hi"}, secret="wrong")
    assert response.status_code == 403 and not Conversation.objects.exists()
