"""Emails from conversations: replies to messages left after hours, and transcripts."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from civicdesk.core import mail
from civicdesk.core.languages import AGENCY_NAME
from civicdesk.core.tasks import retrying_task

from .models import Conversation, Message

RESUME_SALT = "civicdesk.conversations.resume"


def resume_token(conv: Conversation) -> str:
    return signing.dumps(conv.public_id, salt=RESUME_SALT, compress=True)


def check_resume_token(conv: Conversation, token: str, max_age_days: int = 90) -> bool:
    try:
        return signing.loads(token, salt=RESUME_SALT, max_age=max_age_days * 86400) == conv.public_id
    except signing.BadSignature:
        return False


def resume_url(conv: Conversation) -> str:
    return settings.SITE_URL + reverse("chat:resume", args=[conv.public_id]) + "?t=" + resume_token(conv)


def _send(conv: Conversation, to: str, template: str, context: dict, *, seq: int | None = None) -> None:
    """Send with threading headers: our Message-ID, In-Reply-To/References to the thread,
    and the conversation's reply address, so an answer comes back to this conversation."""
    from .email_channel import domain, message_id, reply_address

    context = {"agency_name": AGENCY_NAME, "conv": conv, "resume_url": resume_url(conv), **context}
    with translation.override(conv.language):
        subject = mail.render_text(f"conversations/email/{template}_subject.txt", context).strip()
        body = mail.render_text(f"conversations/email/{template}.txt", context)
    root = f"<conversation-{conv.public_id}@{domain()}>"
    parent = conv.email_thread_id or root
    headers = {"Message-ID": message_id(conv, seq) if seq else f"<transcript-{conv.public_id}-{conv.last_seq}@{domain()}>",
               "In-Reply-To": parent, "References": f"{root} {parent}" if parent != root else root,
               "Reply-To": reply_address(conv)}
    mail.send(subject=subject, body=body, to=[to], language=conv.language, headers=headers)


def _translate_if_possible(message_id: int) -> None:
    """The translation for the resident, before the message is locked for sending; a
    translator that is down must not hold the answer back: it then goes in the original."""
    from civicdesk.core.translator import TranslationError

    msg = Message.objects.select_related("conversation__assigned_to", "author").get(pk=message_id)
    try:
        ensure_translation(msg)
    except TranslationError:
        pass


@retrying_task()
def email_reply(message_id: int) -> bool:
    """Email an agent's answer to a resident who left a message. Sent at most once."""
    _translate_if_possible(message_id)
    with transaction.atomic():
        msg = Message.objects.select_for_update().select_related("conversation").get(pk=message_id)
        conv = msg.conversation
        if msg.emailed_at or not conv.contact_email:
            return False
        _send(conv, conv.contact_email, "reply", {"message": msg}, seq=msg.seq)  # with its translation, if any
        msg.emailed_at = timezone.now()
        msg.save(update_fields=["emailed_at"])
    return True


@retrying_task()
def email_transcript(conversation_id: int, email: str) -> int:
    conv = Conversation.objects.get(pk=conversation_id)
    messages = list(conv.messages.exclude(sender=Message.Sender.NOTE).order_by("seq"))
    _send(conv, email, "transcript", {"messages": messages})
    return len(messages)


def translation_languages(msg: Message) -> tuple[str, str]:
    """(source, target): a resident's words go to the staff's language (the assigned
    agent's, else the agency's default); an agent's go to the conversation's language."""
    from civicdesk.core.languages import normalize

    conv = msg.conversation
    staff = normalize((conv.assigned_to.language if conv.assigned_to_id else "") or settings.LANGUAGE_CODE)
    if msg.sender == Message.Sender.RESIDENT:
        return normalize(conv.language), staff
    author = normalize(msg.author.language) if msg.author_id else staff
    return author, normalize(conv.language)


def ensure_translation(msg: Message) -> bool:
    """Translate the message for the other side if they read another language and a
    translator is configured; stored beside the original. True when it has one."""
    from civicdesk.core.translator import translator

    if msg.translation:
        return True
    engine = translator()
    if not engine.enabled or not msg.body or msg.sender not in (Message.Sender.RESIDENT, Message.Sender.AGENT):
        return False
    source, target = translation_languages(msg)
    if source == target:
        return False
    text = engine.translate(msg.body, source, target).strip()
    if not text:
        return False
    msg.translation, msg.translation_language = text, target
    Message.objects.filter(pk=msg.pk).update(translation=text, translation_language=target)
    return True


@retrying_task()
def translate_message(message_id: int) -> bool:
    """Machine-translate a chat message for the other side, then show it to both (the
    original stays one click away). Retried with backoff when the translator is down."""
    from .services import publish, resident_group, staff_group

    msg = Message.objects.select_related("conversation__assigned_to", "author").get(pk=message_id)
    if not ensure_translation(msg):
        return False
    conv = msg.conversation
    publish([staff_group(conv), resident_group(conv)], {
        "type": "translation", "conversation": conv.public_id, "seq": msg.seq, "text": msg.translation,
        "language": msg.translation_language})
    return True


@retrying_task()
def send_sms(message_id: int) -> bool:
    """Text an agent's reply to the resident through the SMS provider. Sent at most once."""
    from civicdesk.core.sms import provider

    sms = provider()
    if sms is None:
        raise RuntimeError("SMS is not configured (CIVICDESK_SMS_API_URL)")
    _translate_if_possible(message_id)
    with transaction.atomic():
        msg = Message.objects.select_for_update().select_related("conversation").get(pk=message_id)
        if msg.emailed_at:  # "sent by its channel" marker, for texts too
            return False
        sms.send(msg.conversation.contact_phone, msg.translation or msg.body)  # their language, if translated
        msg.emailed_at = timezone.now()
        msg.save(update_fields=["emailed_at"])
    return True
