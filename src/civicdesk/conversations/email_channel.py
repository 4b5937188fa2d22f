"""Email into the inbox, and replies back out, threaded.

Inbound: the mail server hands us the raw MIME message, by piping it to
``python -m civicdesk.manage receive_email`` or by POSTing it to ``/inbound/email/`` with
the ``X-CivicDesk-Inbound-Token`` header (an inbound-mail webhook). ``receive()`` files it
into the right conversation, found by, in order: the reply address
(``reply+<conversation>.<signature>@…`` in To/Cc/Delivered-To), then In-Reply-To/References
naming one of our Message-IDs; otherwise it starts a new email conversation. Images are
validated and re-encoded like request photos; other attachments are kept in private
storage for staff. The same Message-ID delivered twice is stored once.

Outbound: an agent's reply in an email conversation is sent by the task worker with a
Message-ID of ours, In-Reply-To/References to the resident's last message, and the reply
address as Reply-To, so the resident's answer comes back to the same conversation.
"""

from __future__ import annotations

import email
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from email import policy
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils.html import strip_tags

from civicdesk.accounts.models import Resident
from civicdesk.cases.photos import clean_photo

from . import services
from .models import Conversation, Message

logger = logging.getLogger("civicdesk.email")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
REPLY_RE = re.compile(r"^[^+@]+\+(C[0-9A-F]{12})\.([0-9a-f]{16})@", re.I)
OUR_ID_RE = re.compile(r"<(?:conversation|msg)-(C[0-9A-F]{12})(?:-\d+)?@", re.I)


def domain() -> str:
    return settings.CIVICDESK_REPLY_EMAIL.rsplit("@", 1)[-1]


def _sig(public_id: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"reply:{public_id}".encode(), hashlib.sha256).hexdigest()[:16]


def reply_address(conv: Conversation) -> str:
    local, dom = settings.CIVICDESK_REPLY_EMAIL.rsplit("@", 1)
    return f"{local}+{conv.public_id}.{_sig(conv.public_id)}@{dom}"


def message_id(conv: Conversation, seq: int) -> str:
    return f"<msg-{conv.public_id}-{seq}@{domain()}>"


class Rejected(Exception):
    """The message cannot be filed (no usable sender); the reason says why."""


@dataclass
class Received:
    conversation: Conversation
    message: Message
    created: bool  # False: the same Message-ID had been filed before


def _find_conversation(msg) -> Conversation | None:
    for header in ("To", "Cc", "Delivered-To", "X-Original-To"):
        for _name, addr in getaddresses(msg.get_all(header, []) or []):
            m = REPLY_RE.match(addr or "")
            if m and hmac.compare_digest(m.group(2).lower(), _sig(m.group(1).upper())):
                conv = Conversation.objects.filter(public_id=m.group(1).upper()).first()
                if conv:
                    return conv
    refs = " ".join(str(msg.get(h, "")) for h in ("In-Reply-To", "References"))
    for public_id in OUR_ID_RE.findall(refs):
        conv = Conversation.objects.filter(public_id=public_id.upper()).first()
        if conv:
            return conv
    return None


def _text(msg) -> str:
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        content = part.get_content()
        if part.get_content_type() == "text/html":
            content = strip_tags(content)
    except (LookupError, UnicodeError, AttributeError, KeyError) as e:  # broken charset or structure
        logger.warning("unreadable email body", extra={"error": str(e)})
        payload = msg.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    # Keep what the resident wrote, not the quoted history below it.
    kept = []
    for line in content.splitlines():
        if line.startswith(">") or re.match(r"^On .+ wrote:$", line.strip()) or re.match(r"^El .+ escribió:$", line.strip()):
            break
        kept.append(line)
    return "\n".join(kept).strip()[: services.MAX_BODY]


def _attachments(msg):
    for part in msg.iter_attachments():
        try:
            data = part.get_payload(decode=True) or b""
        except (ValueError, TypeError):
            continue
        name = (part.get_filename() or "attachment")[:200]
        yield name, part.get_content_type(), data


def receive(raw: bytes) -> Received:
    """File one raw email. Raises Rejected when it has no usable sender."""
    msg = email.message_from_bytes(raw, policy=policy.default)
    try:
        sender_name, sender = parseaddr(str(msg.get("From", "")))
    except (ValueError, TypeError, IndexError):
        sender_name, sender = "", ""
    sender = (sender or "").strip().lower()
    try:
        validate_email(sender)
    except ValidationError as e:
        raise Rejected(f"no valid From address ({msg.get('From', '')!r:.80})") from e
    raw_id = str(msg.get("Message-ID", "")).strip()[:300]
    client_id = "email:" + hashlib.sha256((raw_id or hashlib.sha256(raw).hexdigest()).encode()).hexdigest()[:40]
    existing = Message.objects.filter(client_id=client_id).select_related("conversation").first()
    if existing:
        return Received(existing.conversation, existing, created=False)
    body = _text(msg)
    subject = str(msg.get("Subject", ""))[:200]
    with transaction.atomic():
        conv = _find_conversation(msg)
        if conv is None or conv.state == Conversation.State.CLOSED and conv.channel != Conversation.Channel.EMAIL:
            resident = Resident.objects.filter(email__iexact=sender).order_by("pk").first()
            if resident is None:
                resident = Resident.objects.create(email=sender, first_name=sender_name[:80])
            conv = services.start_conversation(channel=Conversation.Channel.EMAIL, resident=resident,
                                               subject=subject, language=resident.preferred_language or "en",
                                               greet=False).conversation
            Conversation.objects.filter(pk=conv.pk).update(contact_email=sender, contact_name=sender_name[:160])
        elif conv.state == Conversation.State.CLOSED:  # a reply to a closed email thread reopens it
            Conversation.objects.filter(pk=conv.pk).update(state=Conversation.State.WAITING)
        Conversation.objects.filter(pk=conv.pk).update(email_thread_id=raw_id)
        conv.refresh_from_db()
        message = services.post_message(conversation=conv, sender=Message.Sender.RESIDENT,
                                        body=body or f"({subject or 'no text'})", client_id=client_id)
        for name, ctype, data in _attachments(msg):
            _keep_attachment(conv, name, ctype, data, client_id)
    return Received(conv, message, created=True)


def _keep_attachment(conv: Conversation, name: str, ctype: str, data: bytes, client_id: str) -> None:
    if not data or len(data) > MAX_ATTACHMENT_BYTES:
        services.post_message(conversation=conv, sender=Message.Sender.SYSTEM,
                              body=f"Attachment {name!r} was not kept (empty or over 10 MB).")
        return
    suffix = hashlib.sha256(name.encode() + data[:64]).hexdigest()[:8]
    if ctype.startswith("image/"):
        try:
            photo = clean_photo(name, data)
        except ValidationError as e:
            services.post_message(conversation=conv, sender=Message.Sender.SYSTEM,
                                  body=f"Image {name!r} was not kept: {' '.join(e.messages)}")
            return
        services.post_message(conversation=conv, sender=Message.Sender.RESIDENT, body="",
                              attachment=photo.data, client_id=f"{client_id}:{suffix}")
        return
    with transaction.atomic():
        m = services.post_message(conversation=conv, sender=Message.Sender.SYSTEM,
                                  body=f"Attachment: {name}", client_id=f"{client_id}:{suffix}")
        m.file.save(f"{conv.public_id}-{m.seq}.bin", ContentFile(data), save=False)
        m.file_name = name
        m.save(update_fields=["file", "file_name"])
