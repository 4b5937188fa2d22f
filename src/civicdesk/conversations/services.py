"""Conversations: start, post (persist, then publish), assign, transfer, close.

Every message is written with the conversation's next sequence number inside a
transaction that locks the conversation row; only after commit is it published to the
channel layer. A client that reconnects asks for everything after the last sequence
number it saw (``messages_after``), so nothing is lost and, as clients drop sequence
numbers they already have, nothing is shown twice. A retry of the same message carries
the same ``client_id`` and returns the stored message instead of a second one.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicdesk.accounts.models import Resident, User
from civicdesk.accounts.selectors import is_person, people
from civicdesk.catalog.models import Department
from civicdesk.core import languages
from civicdesk.core.business_hours import is_open
from civicdesk.core.db import insert_columns
from civicdesk.core.tasks import enqueue_on_commit
from civicdesk.core.translation import localized
from civicdesk.core.translator import translator
from civicdesk.privacy.redaction import explanation, redact

from . import responder
from .models import AgentPresence, CannedResponse, Conversation, Message

logger = logging.getLogger("civicdesk.chat")
MAX_BODY = 4000
NEVER = datetime.min.replace(tzinfo=UTC)
Sender = Message.Sender
State = Conversation.State


# --- groups and publishing -------------------------------------------------------------

def resident_group(conv: Conversation) -> str:
    return f"conv-{conv.public_id}-resident"


def staff_group(conv: Conversation) -> str:
    return f"conv-{conv.public_id}-staff"


def inbox_groups(department_id: int | None) -> list[str]:
    return ["inbox-all"] + ([f"inbox-dept-{department_id}"] if department_id else [])


def _send(group: str, event: dict) -> None:
    """Publish after commit. If the channel layer (Redis) is away, the message is stored
    anyway: it is logged here, and clients get it when they reconnect and ask for what came
    after their last sequence number (docs/chat.md)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception as e:  # noqa: BLE001 - whatever the layer raises, the write stands
        logger.warning("channel layer unavailable: not relayed", extra={"group": group, "error": str(e)[:200]})


_local = threading.local()


@contextmanager
def collecting():
    """Collect what would be published (after commit) instead of sending it, so an async
    caller (a websocket consumer) can send it from its own event loop without a thread hop.
    Yields the list of (groups, payload) pairs."""
    _local.sink = []
    try:
        yield _local.sink
    finally:
        del _local.sink


def publish(groups: list[str], payload: dict) -> None:
    """Send ``payload`` to the groups once the current transaction commits."""
    sink = getattr(_local, "sink", None)
    if sink is not None:
        transaction.on_commit(lambda: sink.append((groups, payload)))
        return
    transaction.on_commit(lambda: [_send(g, {"type": "relay", "payload": payload}) for g in groups])


def message_payload(m: Message) -> dict:
    return {"type": "message", "conversation": m.conversation.public_id, "seq": m.seq, "sender": m.sender,
            "author": m.author_label, "body": m.body, "client_id": m.client_id,
            "attachment": m.attachment.url if m.attachment else None,
            "created_at": m.created_at.isoformat(),
            # machine translation for the other side, if any (tasks.translate_message)
            "translation": m.translation, "translation_language": m.translation_language}


def _webhook(event_type: str, conv: Conversation) -> None:
    """Tell integrations (docs/api.md) about the conversation: no contact details, no text."""
    from civicdesk.integrations import webhooks

    if not webhooks.active_endpoints():
        return
    webhooks.emit(event_type, {"conversation": {
        "id": conv.public_id, "channel": conv.channel, "state": conv.state,
        "department": conv.department.slug if conv.department_id else None,
        "assigned_to": conv.assigned_to.username if conv.assigned_to_id else None,
        "request": conv.request.public_id if conv.request_id else None,
        "resolution_code": conv.resolution_code or None,
        "created_at": conv.created_at.isoformat(), "closed_at": conv.closed_at.isoformat() if conv.closed_at else None,
    }})


def _inbox_ping(conv: Conversation) -> None:
    publish(inbox_groups(conv.department_id), {"type": "inbox", "conversation": conv.public_id,
                                               "state": conv.state})


# --- the resident's side ------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_token(conv: Conversation, token: str) -> bool:
    return bool(token) and bool(conv.browser_key_hash) and secrets.compare_digest(conv.browser_key_hash,
                                                                                  token_hash(token))


def queue_is_open(department: Department | None, at=None) -> bool:
    """Someone can answer now: business hours (for a department) and an agent online."""
    at = at or timezone.now()
    agents = available_agents(department, include_full=True)
    if department is not None and not is_open(at, department.schedule(), department.timezone):
        return False
    return bool(agents)


@dataclass
class Started:
    conversation: Conversation
    token: str
    open: bool


def assistant_enabled(channel: str) -> bool:
    return bool(settings.CIVICDESK_ASSISTANT and responder.current() is not None
                and channel in (Conversation.Channel.CHAT, Conversation.Channel.SMS))


def start_conversation(*, department: Department | None = None, language: str = "en", resident: Resident | None = None,
                       channel: str = Conversation.Channel.CHAT, subject: str = "", greeting: str = "",
                       greet: bool = True, assistant: bool | None = None) -> Started:
    """A new conversation. With the assistant (the default for chat and SMS when
    CIVICDESK_ASSISTANT is on) it starts in the assistant's hands and joins a queue only
    when the assistant hands it over."""
    token = secrets.token_urlsafe(24)
    with_assistant = assistant_enabled(channel) if assistant is None else assistant
    open_now = queue_is_open(department)
    now = timezone.now()
    with transaction.atomic():
        conv = Conversation.objects.create(
            department=department, language=languages.normalize(language), resident=resident, channel=channel,
            state=State.ASSISTANT if with_assistant else State.WAITING,
            subject=subject.replace("\x00", "")[:200], browser_key_hash=token_hash(token), waiting_since=now, created_at=now, updated_at=now,
            contact_name=resident.full_name if resident else "", contact_email=resident.email if resident else "")
        _webhook("conversation.created", conv)
        if with_assistant:
            if greet:
                post_assistant_message(conv, greeting or responder.current().greeting(conv.language))
        else:
            if not open_now and channel == Conversation.Channel.CHAT:
                # one rule for live chat (docs/chat.md): nobody can answer now, so it waits as a
                # message (email, texts and staff follow-ups wait in the queue as they always do)
                conv.state = State.MESSAGE
                conv.save(update_fields=["state"])
            if greet:
                post_message(conversation=conv, sender=Sender.SYSTEM, body=greeting or (
                    waiting_words(conv) if open_now else
                    _("No one is available to chat right now. Leave a message and we will answer by email.")))
            _inbox_ping(conv)
    if open_now and not with_assistant:
        auto_assign(department)
    conv.refresh_from_db()
    return Started(conv, token, open_now or with_assistant)


def post_assistant_message(conv: Conversation, body: str) -> Message:
    """A message from the automated responder, signed "Assistant"."""
    msg = post_message(conversation=conv, sender=Sender.ASSISTANT, body=body)
    Message.objects.filter(pk=msg.pk).update(author_label=_("Assistant"))
    msg.author_label = _("Assistant")
    return msg


def queue_position(conv: Conversation) -> int:
    """1 for the next conversation an agent of this queue will get."""
    return Conversation.objects.filter(
        state=State.WAITING, department=conv.department, waiting_since__lte=conv.waiting_since).count()


def expected_wait_minutes(conv: Conversation) -> int:
    """About how long until an agent joins: the median wait of this queue's last 20 chats an
    agent took in the past two weeks, for each conversation ahead, shared by the agents online;
    three minutes each where there is no history yet."""
    since = timezone.now() - timedelta(days=14)
    waits = sorted(
        (c.assigned_at - c.waiting_since).total_seconds() for c in Conversation.objects.filter(
            department=conv.department, assigned_at__gte=since, waiting_since__isnull=False,
        ).order_by("-assigned_at")[:20] if c.assigned_at >= c.waiting_since)
    per_chat = waits[len(waits) // 2] / 60 if waits else 3.0
    agents = max(1, len(available_agents(conv.department, include_full=True)))
    return max(1, round(per_chat * queue_position(conv) / agents))


def waiting_words(conv: Conversation) -> str:
    return _("You are number %(position)s in the queue; the expected wait is about %(minutes)s minutes. "
             "You can wait here, or leave a message and we will answer by email.") % {
        "position": queue_position(conv), "minutes": expected_wait_minutes(conv)}


def resident_message(*, conversation: Conversation, body: str = "", client_id: str = "") -> Message:
    """A resident's message; while the assistant has the conversation, it answers."""
    msg = post_message(conversation=conversation, sender=Sender.RESIDENT, body=body, client_id=client_id)
    bot = responder.current()
    if msg.seq == conversation.last_seq and msg.conversation.state == State.ASSISTANT and bot is not None:
        bot.reply(conversation, msg)
    return msg


def announce_waiting(conv: Conversation, *, offer_message: bool = False) -> None:
    """The conversation joined a queue (the assistant handed it over)."""
    payload = {"type": "state", "conversation": conv.public_id, "state": conv.state,
               "agent": None, "offer_message": offer_message}
    publish([resident_group(conv), staff_group(conv)], payload)
    _inbox_ping(conv)


def clean_body(body: str) -> str:
    body = (body or "").replace("\x00", "").strip()  # NUL bytes cannot be stored (PostgreSQL)
    if len(body) > MAX_BODY:
        raise ValidationError({"body": _("Keep a message under %(limit)s characters (it has %(n)s).")
                               % {"limit": MAX_BODY, "n": len(body)}})
    return body


def post_message(*, conversation: Conversation, sender: str, body: str = "", author: User | None = None,
                 client_id: str = "", attachment: bytes | None = None) -> Message:
    """Store the next message of the conversation, then (after commit) publish it.

    One UPDATE … RETURNING takes the next sequence number (and locks the conversation row
    until commit, so numbers are never shared or skipped) and one INSERT stores the
    message; a retry with the same ``client_id`` hits the unique constraint and gets the
    stored message back (published again, for the sender's echo).
    """
    body = clean_body(body)
    client_id = (client_id or "")[:64]
    if not body and attachment is None:
        raise ValidationError({"body": _("Write a message first.")})
    redacted: set[str] = set()
    if sender in (Sender.RESIDENT, Sender.AGENT, Sender.NOTE):
        body, redacted = redact(body)
    now = timezone.now()
    if sender == Sender.RESIDENT and attachment is None and not redacted and connection.vendor == "postgresql":
        return _post_plain_resident_message(conversation, body, client_id, now)
    read_field = {Sender.RESIDENT: "resident_read_seq", Sender.AGENT: "agent_read_seq"}.get(sender)
    qn = connection.ops.quote_name
    sql = (f"UPDATE {qn(Conversation._meta.db_table)} SET last_seq = last_seq + 1, updated_at = %s"
           + (f", {qn(read_field)} = last_seq + 1" if read_field else "")
           + " WHERE id = %s RETURNING last_seq, state, channel, contact_name, contact_email, contact_phone, language")
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [now, conversation.pk])
                row = cursor.fetchone()
            if row is None:
                raise Conversation.DoesNotExist
            seq, state, channel, contact_name, contact_email, contact_phone, language = row
            if state == State.CLOSED and sender in (Sender.RESIDENT, Sender.AGENT):
                raise ValidationError({"body": _("This conversation is closed.")})
            label = author.display_name if author else ("" if sender != Sender.RESIDENT else
                                                        (contact_name or _("Resident")))
            conversation.state = state
            msg = Message(conversation=conversation, seq=seq, sender=sender, author=author, author_label=label,
                          body=body, client_id=client_id, created_at=now)
            if attachment is not None:
                msg.attachment.save(f"{secrets.token_hex(12)}.jpg", ContentFile(attachment), save=False)
            msg.save(force_insert=True)
            _publish_message(conversation, msg)
            if redacted:  # tell them why their words changed, in their language
                with translation.override(language):
                    post_message(conversation=conversation, sender=Sender.SYSTEM, body=explanation(redacted))
            if sender in (Sender.AGENT, Sender.ASSISTANT):
                _deliver_elsewhere(Conversation(pk=conversation.pk, state=state, channel=channel,
                                                contact_email=contact_email, contact_phone=contact_phone), msg)
    except IntegrityError:
        existing = _stored_already(conversation, client_id)
        if existing is None:
            raise
        return existing
    conversation.last_seq = max(conversation.last_seq, msg.seq)
    return msg


def _stored_already(conversation: Conversation, client_id: str) -> Message | None:
    """A retry: the message with this ``client_id`` is stored already. It is published
    again (the sender's echo) and returned; None when the failure was something else."""
    existing = Message.objects.filter(conversation=conversation, client_id=client_id).first() if client_id else None
    if existing is not None:
        existing.conversation = conversation
        _publish_message(conversation, existing)
    return existing


def _post_plain_resident_message(conversation: Conversation, body: str, client_id: str, now) -> Message:
    """``post_message`` for the commonest message, a resident's text with nothing else to
    write (no photo, nothing redacted), on PostgreSQL: one statement takes the next sequence
    number and stores the message (an ``UPDATE … RETURNING`` and an ``INSERT`` joined by a
    ``WITH``, atomic on its own: no BEGIN and COMMIT round trips). Same rows, same rules."""
    msg = Message(conversation_id=conversation.pk, sender=Sender.RESIDENT, body=body, client_id=client_id,
                  created_at=now)
    computed = {"conversation_id", "seq", "author_label"}  # from the conversation row, in SQL
    columns, marks, params = insert_columns(msg, connection, skip=computed)
    qn = connection.ops.quote_name
    sql = (
        f"WITH c AS (UPDATE {qn(Conversation._meta.db_table)} SET last_seq = last_seq + 1, updated_at = %s, "
        f"resident_read_seq = last_seq + 1 WHERE id = %s AND state <> %s RETURNING id, last_seq, state, contact_name), "
        f"m AS (INSERT INTO {qn(Message._meta.db_table)} ({', '.join(columns)}, conversation_id, seq, author_label) "
        f"SELECT {', '.join(marks)}, c.id, c.last_seq, COALESCE(NULLIF(c.contact_name, ''), %s) FROM c "
        f"RETURNING id, seq, author_label) "
        f"SELECT c.state, m.id, m.seq, m.author_label FROM c, m"
    )
    try:
        # In a caller's transaction, a savepoint keeps it usable after a failed statement.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            with connection.cursor() as cursor:
                cursor.execute(sql, [now, conversation.pk, State.CLOSED, *params, str(_("Resident"))])
                row = cursor.fetchone()
    except IntegrityError:
        existing = _stored_already(conversation, client_id)
        if existing is None:
            raise
        return existing
    if row is None:  # closed, or gone
        if Conversation.objects.filter(pk=conversation.pk).exists():
            raise ValidationError({"body": _("This conversation is closed.")})
        raise Conversation.DoesNotExist
    conversation.state, msg.pk, msg.seq, msg.author_label = row
    msg.conversation = conversation
    msg._state.adding, msg._state.db = False, connection.alias
    _publish_message(conversation, msg)
    conversation.last_seq = max(conversation.last_seq, msg.seq)
    return msg


def _publish_message(conv: Conversation, msg: Message) -> None:
    # Internal notes go to staff only. (No inbox ping per message: the inbox changes when a
    # conversation starts, is assigned, transferred or closed; pinging every agent on every
    # message was the largest cost in the chat benchmark.)
    publish([staff_group(conv)] + ([resident_group(conv)] if msg.public else []), message_payload(msg))
    if msg.body and msg.sender in (Sender.RESIDENT, Sender.AGENT) and translator().enabled:
        from .tasks import translate_message

        enqueue_on_commit(translate_message, msg.pk)


def _deliver_elsewhere(conv: Conversation, msg: Message) -> None:
    """An agent's reply on a conversation that is not a live chat goes out by its channel."""
    from .tasks import email_reply, send_sms

    if conv.channel == Conversation.Channel.SMS and conv.contact_phone:
        enqueue_on_commit(send_sms, msg.pk)
    elif (conv.channel == Conversation.Channel.EMAIL or conv.state == State.MESSAGE) and conv.contact_email:
        enqueue_on_commit(email_reply, msg.pk)


def receive_sms(*, sender: str, body: str, provider_id: str) -> Message:
    """An inbound text: into the sender's open SMS conversation, or a new one."""
    from .models import Message as M

    client_id = f"sms:{provider_id}"[:64]
    existing = M.objects.filter(client_id=client_id).first()
    if existing:
        return existing
    with transaction.atomic():
        conv = (Conversation.objects.select_for_update().filter(channel=Conversation.Channel.SMS, contact_phone=sender)
                .exclude(state=State.CLOSED).order_by("-updated_at").first())
        if conv is None:
            resident = Resident.objects.filter(phone=sender).order_by("pk").first()
            conv = start_conversation(channel=Conversation.Channel.SMS, resident=resident, greet=False,
                                      language=(resident.preferred_language if resident else "en")).conversation
            Conversation.objects.filter(pk=conv.pk).update(contact_phone=sender)
            conv.contact_phone = sender
        return resident_message(conversation=conv, body=body or "(empty)", client_id=client_id)


BACKLOG_LIMIT = 1000  # messages per catch-up; the client asks again from where it stopped


def messages_after(conv: Conversation, seq: int, *, staff: bool) -> list[Message]:
    qs = conv.messages.filter(seq__gt=seq).select_related("conversation")
    if not staff:
        qs = qs.exclude(sender=Sender.NOTE)
    return list(qs.order_by("seq")[:BACKLOG_LIMIT])


def mark_read(conv: Conversation, *, side: str, seq: int) -> None:
    field = "resident_read_seq" if side == "resident" else "agent_read_seq"
    seq = max(0, int(seq))
    # Only forward, and never past the last message (``conv`` may be a stale copy).
    updated = Conversation.objects.filter(pk=conv.pk, last_seq__gte=seq, **{f"{field}__lt": seq}).update(**{field: seq})
    if updated:
        publish([resident_group(conv), staff_group(conv)],
                {"type": "read", "conversation": conv.public_id, "side": side, "seq": seq})


def typing(conv: Conversation, *, side: str) -> None:
    target = staff_group(conv) if side == "resident" else resident_group(conv)
    _send(target, {"type": "relay", "payload": {"type": "typing", "conversation": conv.public_id, "side": side}})


def leave_message(*, conversation: Conversation, email: str, name: str = "", body: str = "") -> Conversation:
    """Outside hours (or no agent came): the team answers by email."""
    from django.core.validators import validate_email

    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as e:
        raise ValidationError({"email": _("Enter an email address like name@example.com.")}) from e
    with transaction.atomic():
        conv = Conversation.objects.select_for_update().get(pk=conversation.pk)
        conv.contact_email = email
        conv.contact_name = (name or conv.contact_name).replace("\x00", "")[:160]
        conv.state = State.MESSAGE
        conv.save(update_fields=["contact_email", "contact_name", "state"])
        if body.strip():
            post_message(conversation=conv, sender=Sender.RESIDENT, body=body)
        post_message(conversation=conv, sender=Sender.SYSTEM,
                     body=_("Thank you. We will answer by email at %(email)s.") % {"email": email})
        _publish_state(conv)
    return conv


# --- agents ----------------------------------------------------------------------------------

def set_presence(user: User, *, status: str | None = None, capacity: int | None = None) -> AgentPresence:
    presence, _created = AgentPresence.objects.get_or_create(user=user)
    if status is not None:
        if status not in AgentPresence.Status.values:
            raise ValidationError({"status": _("Unknown status.")})
        presence.status = status
    if capacity is not None:
        if not 1 <= capacity <= 20:
            raise ValidationError({"capacity": _("Choose between 1 and 20 chats.")})
        presence.capacity = capacity
    presence.updated_at = timezone.now()
    presence.save()
    if presence.status == AgentPresence.Status.ONLINE:
        transaction.on_commit(lambda: auto_assign_all(user))
    return presence


def agents_for(department: Department | None):
    qs = people()
    if department is None:
        return qs.filter(Q(all_departments=True) | Q(role="administrator"))
    return qs.filter(Q(departments=department) | Q(all_departments=True)).distinct()


def available_agents(department: Department | None, *, include_full: bool = False) -> list[User]:
    """Online agents who may take this queue, least loaded first, then longest since their
    last assignment (round-robin among equals)."""
    qs = (agents_for(department).filter(presence__status=AgentPresence.Status.ONLINE)
          .annotate(load=Count("conversations", filter=Q(conversations__state=State.ASSIGNED)))
          .select_related("presence"))
    agents = [a for a in qs if include_full or a.load < a.presence.capacity]
    agents.sort(key=lambda a: (a.load, a.presence.last_assigned_at or NEVER))
    return agents


def auto_assign(department: Department | None) -> list[Conversation]:
    """Give waiting conversations of this queue, oldest first, to available agents."""
    assigned = []
    while True:
        with transaction.atomic():
            conv = (Conversation.objects.select_for_update(skip_locked=True)
                    .filter(state=State.WAITING, department=department).order_by("waiting_since", "id").first())
            if conv is None:
                return assigned
            agents = available_agents(department)
            if not agents:
                return assigned
            _assign(conv, agents[0], by=None)
            assigned.append(conv)


def auto_assign_all(user: User) -> None:
    queues = [None] if user.sees_all_departments else []
    queues += list(Department.objects.all() if user.sees_all_departments else user.departments.all())
    for q in queues:
        auto_assign(q)


def _assign(conv: Conversation, agent: User, *, by: User | None, note: str = "") -> None:
    conv.assigned_to = agent
    conv.state = State.ASSIGNED
    conv.assigned_at = timezone.now()
    conv.save(update_fields=["assigned_to", "state", "assigned_at"])
    AgentPresence.objects.filter(user=agent).update(last_assigned_at=timezone.now())
    text = _("%(agent)s joined the conversation.") % {"agent": agent.display_name}
    post_message(conversation=conv, sender=Sender.SYSTEM, body=text)
    if note:
        post_message(conversation=conv, sender=Sender.NOTE, body=note, author=by)
    _publish_state(conv)
    _inbox_ping(conv)
    _webhook("conversation.assigned", conv)


def _publish_state(conv: Conversation) -> None:
    payload = {"type": "state", "conversation": conv.public_id, "state": conv.state,
               "agent": conv.assigned_to.display_name if conv.assigned_to_id else None}
    publish([resident_group(conv), staff_group(conv)], payload)


def can_work(user: User, conv: Conversation) -> bool:
    if not (user.is_authenticated and user.is_staff and user.is_active):
        return False
    if user.sees_all_departments:
        return True
    return conv.department_id is not None and user.departments.filter(pk=conv.department_id).exists()


def visible_conversations(user: User):
    qs = Conversation.objects.all()
    if user.sees_all_departments:
        return qs
    return qs.filter(department__in=user.departments.all())


def assign(*, conversation: Conversation, agent: User, by: User, note: str = "") -> Conversation:
    if not is_person(agent):
        raise ValidationError({"agent": _("Conversations go to people, not to integration accounts.")})
    if not can_work(agent, conversation):
        raise ValidationError({"agent": _("%(name)s does not work this queue.") % {"name": agent.display_name}})
    with transaction.atomic():
        conv = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if conv.state == State.CLOSED:
            raise ValidationError(_("This conversation is closed."))
        _assign(conv, agent, by=by, note=note)
    return conv


def transfer(*, conversation: Conversation, by: User, to_agent: User | None = None,
             to_department: Department | None = None, note: str = "") -> Conversation:
    """Hand over to another agent, or back to another department's queue, with a note."""
    if to_agent is None and to_department is None:
        raise ValidationError({"to": _("Choose an agent or a department.")})
    if to_agent is not None:
        return assign(conversation=conversation, agent=to_agent, by=by, note=note)
    with transaction.atomic():
        conv = Conversation.objects.select_for_update().get(pk=conversation.pk)
        conv.department = to_department
        conv.assigned_to = None
        conv.state = State.WAITING
        conv.waiting_since = timezone.now()
        conv.save(update_fields=["department", "assigned_to", "state", "waiting_since"])
        post_message(conversation=conv, sender=Sender.SYSTEM, body=_("You are being transferred to %(dept)s.")
                     % {"dept": to_department.display_name})
        if note:
            post_message(conversation=conv, sender=Sender.NOTE, body=note, author=by)
        _publish_state(conv)
        _inbox_ping(conv)
    transaction.on_commit(lambda: auto_assign(to_department))
    return conv


RESOLUTION_CODES = {
    "answered": _("Question answered"),
    "request_filed": _("Service request filed"),
    "referred": _("Referred elsewhere"),
    "no_response": _("Resident left"),
    "spam": _("Spam or abuse"),
}


def close(*, conversation: Conversation, by: User | None, resolution_code: str) -> Conversation:
    if resolution_code not in RESOLUTION_CODES:
        raise ValidationError({"resolution_code": _("Choose how the conversation ended.")})
    with transaction.atomic():
        conv = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if conv.state == State.CLOSED:
            return conv
        post_message(conversation=conv, sender=Sender.SYSTEM, body=_("The conversation was closed."))
        conv.state = State.CLOSED
        conv.resolution_code = resolution_code
        conv.closed_at = timezone.now()
        conv.save(update_fields=["state", "resolution_code", "closed_at"])
        _publish_state(conv)
        _offer_survey(conv)
        _inbox_ping(conv)
        _webhook("conversation.closed", conv)
    if conv.assigned_to_id:
        agent = conv.assigned_to
        transaction.on_commit(lambda: auto_assign_all(agent))
    return conv


def _offer_survey(conv: Conversation) -> None:
    """Before the chat goes, the widget offers the chat survey (consent and cap respected)."""
    from civicdesk.surveys import services as surveys
    from civicdesk.surveys.models import Survey

    survey = Survey.objects.filter(trigger=Survey.Trigger.CHAT_CLOSED, active=True).first()
    if survey is None or conv.channel != Conversation.Channel.CHAT:
        return
    made = surveys.invite(survey, channel="chat", conversation=conv, resident=conv.resident,
                          email=conv.contact_email, language=conv.language)
    if made is not None:
        from django.urls import reverse

        url = reverse("surveys:answer", args=[made[1]])
        publish([resident_group(conv)], {"type": "survey", "conversation": conv.public_id, "url": url})


def fill_canned(canned: CannedResponse, conv: Conversation) -> str:
    text = localized(canned, "body", conv.language)
    name = conv.contact_name or (conv.resident.full_name if conv.resident_id else "") or _("there")
    return text.replace("{name}", name).replace("{request_id}", conv.request.public_id if conv.request_id else "")


def send_transcript(*, conversation: Conversation, email: str) -> None:
    from django.core.validators import validate_email

    try:
        validate_email((email or "").strip())
    except ValidationError as e:
        raise ValidationError({"email": _("Enter an email address like name@example.com.")}) from e
    from .tasks import email_transcript

    with transaction.atomic():
        enqueue_on_commit(email_transcript, conversation.pk, email.strip())


def link_request(*, conversation: Conversation, request) -> None:
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).update(request=request)
        conversation.request = request
        post_message(conversation=conversation, sender=Sender.SYSTEM,
                     body=_("Service request %(id)s was filed for you.") % {"id": request.public_id})


def settings_wait_offer_seconds() -> int:
    return settings.CIVICDESK_CHAT_WAIT_OFFER_S
