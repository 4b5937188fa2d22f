"""Websocket endpoints: the resident's chat widget and the agent console.

Protocol (JSON both ways), documented in docs/chat.md:
  resident → {"type": "hello", "conversation": id, "token": t, "last_seq": n}
             {"type": "message", "body": "...", "client_id": "..."} | {"type": "typing"} | {"type": "read", "seq": n}
  agent    → {"type": "join", "conversation": id, "last_seq": n}
             {"type": "message", "conversation": id, "body": "...", "client_id": "...", "internal": false}
             {"type": "typing", "conversation": id} | {"type": "read", "conversation": id, "seq": n}
  server   → {"type": "welcome"|"message"|"typing"|"read"|"state"|"inbox"|"error", ...}

Every message is checked: a resident's socket is bound to the one conversation its token
opens; an agent reaches only conversations of their departments.

The consumers are async: relaying a message to a socket costs no thread. Database work
(checking a token, storing a message) runs in a worker thread (``_db``), not serialized
on one shared thread as Channels' sync consumers would be, and what it publishes is sent
from the event loop after the transaction committed (``services.collecting``).
"""

from __future__ import annotations

import logging
import time

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import ValidationError
from django.db import close_old_connections

from civicdesk.accounts.sessions import user_group
from civicdesk.accounts.sso import second_factor_missing
from civicdesk.core import metrics
from civicdesk.privacy.services import VISIT, record_access

from . import services
from .models import Conversation, Message
from .tasks import check_resume_token

logger = logging.getLogger("civicdesk.chat")


def _run_with_connections(fn, *args, **kwargs):
    close_old_connections()
    try:
        with services.collecting() as events:
            result = fn(*args, **kwargs)
        return result, events
    finally:
        close_old_connections()


async def _db(fn, *args, **kwargs):
    """Run ``fn`` in a worker thread; return its result and what it published."""
    return await sync_to_async(_run_with_connections, thread_sensitive=False)(fn, *args, **kwargs)


def _errors(e: ValidationError) -> str:
    return " ".join(e.messages)


def _last_seq(value) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


class _Base(AsyncJsonWebsocketConsumer):
    async def dispatch(self, message):
        """Channels' own dispatch first closes stale database connections, a hop to the
        shared sync thread for every frame received and every message relayed. These
        consumers never use a connection on the event loop (``_db`` opens and closes its own
        in the worker thread), so the hop is skipped."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    socket_kind = "chat"

    async def connect(self):
        self.joined: set[str] = set()
        await self.accept()
        metrics.socket_opened(self.socket_kind)
        self.counted = True

    async def join_group(self, group: str) -> None:
        if group not in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.add(group)

    async def disconnect(self, code):
        if getattr(self, "counted", False):
            metrics.socket_closed(self.socket_kind)
            self.counted = False
        for group in getattr(self, "joined", ()):
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # noqa: BLE001, S110 - the layer is away; the subscription went with it
                pass

    async def relay(self, event):
        await self.send_json(event["payload"])

    SYNC_EVERY = 2.0  # seconds: at most one catch-up per socket in this time

    async def sync(self, conv, content, *, staff: bool) -> None:
        """{"type": "sync", "last_seq": n}: every message after n, again. Clients send it now
        and then while connected: the channel layer is a relay with no memory, so a message
        published while a subscriber was reconnecting to Redis is caught up this way."""
        now = time.monotonic()
        if now - getattr(self, "synced_at", 0.0) < self.SYNC_EVERY:
            return
        self.synced_at = now
        backlog, _events = await _db(_backlog, conv, _last_seq(content.get("last_seq")), staff)
        await self.send_backlog(conv, backlog)

    async def publish(self, events) -> None:
        """Relay what was stored. If the channel layer (Redis) is away, the socket is closed
        with 1013 ("try again later"): the widget says it is reconnecting, and its next
        connection gets the stored messages from the database."""
        try:
            for groups, payload in events:
                for group in groups:
                    await self.channel_layer.group_send(group, {"type": "relay", "payload": payload})
        except Exception as e:  # noqa: BLE001 - whatever the layer raises, the message is stored
            logger.warning("channel layer unavailable: socket closed for a reconnect", extra={"error": str(e)[:200]})
            await self.close(code=1013)

    async def send_backlog(self, conv: Conversation, backlog: tuple[list[dict], int]) -> None:
        """The messages, then {"type": "synced", "upto": n}: the client now has every message
        it may see up to n. Sequence numbers have gaps a resident never fills (an agent's
        internal note takes one), so a client cannot tell a gap from a message it missed;
        it keeps the highest number up to which it has everything, and asks from there."""
        messages, upto = backlog
        for payload in messages:
            await self.send_json(payload)
        await self.send_json({"type": "synced", "conversation": conv.public_id, "upto": upto})


def _backlog(conv: Conversation, after: int, staff: bool) -> tuple[list[dict], int]:
    # read the counter first: every message numbered up to it is committed, so it is in the
    # query below (or the batch is full and `upto` is where it stopped)
    upto = Conversation.objects.filter(pk=conv.pk).values_list("last_seq", flat=True).first() or 0
    messages = services.messages_after(conv, after, staff=staff)
    if len(messages) >= services.BACKLOG_LIMIT:
        upto = messages[-1].seq
    return [services.message_payload(m) for m in messages], max(upto, after)


def _resident_hello(public_id: str, token: str, after: int):
    conv = Conversation.objects.filter(public_id=public_id).first()
    if conv is None or not (services.check_token(conv, token) or check_resume_token(conv, token)):
        return None, ([], 0)
    return conv, _backlog(conv, after, staff=False)


class ResidentChatConsumer(_Base):
    conv: Conversation | None = None

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if self.conv is None:
            if kind != "hello":
                await self.send_json({"type": "error", "error": "hello_first"})
                return
            (conv, backlog), _events = await _db(_resident_hello, str(content.get("conversation", ""))[:16],
                                                 str(content.get("token", ""))[:400], _last_seq(content.get("last_seq")))
            if conv is None:
                await self.send_json({"type": "error", "error": "not_allowed"})
                await self.close(code=4403)
                return
            self.conv = conv
            await self.join_group(services.resident_group(conv))
            await self.send_json({"type": "welcome", "conversation": conv.public_id, "state": conv.state,
                                  "last_seq": conv.last_seq, "agent_read_seq": conv.agent_read_seq,
                                  "language": conv.language})
            await self.send_backlog(conv, backlog)
            return
        if kind == "message":
            try:
                _msg, events = await _db(services.resident_message, conversation=self.conv,
                                         body=str(content.get("body", "")), client_id=str(content.get("client_id", "")))
            except ValidationError as e:
                await self.send_json({"type": "error", "error": _errors(e), "client_id": content.get("client_id")})
                return
            await self.publish(events)
        elif kind == "sync":
            await self.sync(self.conv, content, staff=False)
        elif kind == "typing":
            await self.channel_layer.group_send(services.staff_group(self.conv), {"type": "relay", "payload": {
                "type": "typing", "conversation": self.conv.public_id, "side": "resident"}})
        elif kind == "read":
            _r, events = await _db(services.mark_read, self.conv, side="resident", seq=_last_seq(content.get("seq")))
            await self.publish(events)


def _agent_join(user, public_id: str, after: int, ip):
    conv = Conversation.objects.filter(public_id=public_id).first()
    if conv is None or not services.can_work(user, conv):
        return None, ([], 0)
    record_access(actor=user, action="view_conversation", object_type="conversation", object_id=conv.public_id, ip=ip,
                  once_within=VISIT)
    return conv, _backlog(conv, after, staff=True)


def _agent_groups(user) -> list[str]:
    if user.sees_all_departments:
        return ["inbox-all"]
    return [f"inbox-dept-{pk}" for pk in user.departments.values_list("pk", flat=True)]


class AgentConsumer(_Base):
    socket_kind = "console"

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not (user.is_authenticated and user.is_staff and user.is_active):
            await self.close(code=4401)
            return
        missing, _events = await _db(second_factor_missing, user, self.scope.get("session") or {})
        if missing:
            await self.close(code=4401)  # signed in with a password only: confirm with a code first
            return
        await super().connect()
        self.user = user
        self.conversations: dict[str, Conversation] = {}
        await self.join_group(user_group(user.pk))  # "sign out everywhere" and deactivation close it
        groups, _events = await _db(_agent_groups, user)
        for group in groups:
            await self.join_group(group)

    async def force_close(self, event):
        await self.close(code=4401)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        public_id = str(content.get("conversation", ""))[:16]
        if kind == "join":
            (conv, backlog), _events = await _db(_agent_join, self.user, public_id, _last_seq(content.get("last_seq")),
                                                 (self.scope.get("client") or [None])[0])
            if conv is None:
                await self.send_json({"type": "error", "error": "not_allowed", "conversation": public_id})
                return
            self.conversations[conv.public_id] = conv
            await self.join_group(services.staff_group(conv))
            await self.send_json({"type": "welcome", "conversation": conv.public_id, "state": conv.state,
                                  "last_seq": conv.last_seq, "resident_read_seq": conv.resident_read_seq})
            await self.send_backlog(conv, backlog)
            return
        conv = self.conversations.get(public_id)
        if conv is None:
            await self.send_json({"type": "error", "error": "join_first", "conversation": public_id})
            return
        if kind == "message":
            sender = Message.Sender.NOTE if content.get("internal") else Message.Sender.AGENT
            try:
                _msg, events = await _db(services.post_message, conversation=conv, sender=sender, author=self.user,
                                         body=str(content.get("body", "")), client_id=str(content.get("client_id", "")))
            except ValidationError as e:
                await self.send_json({"type": "error", "error": _errors(e), "client_id": content.get("client_id"),
                                      "conversation": conv.public_id})
                return
            await self.publish(events)
        elif kind == "sync":
            await self.sync(conv, content, staff=True)
        elif kind == "typing":
            await self.channel_layer.group_send(services.resident_group(conv), {"type": "relay", "payload": {
                "type": "typing", "conversation": conv.public_id, "side": "agent"}})
        elif kind == "read":
            _r, events = await _db(services.mark_read, conv, side="agent", seq=_last_seq(content.get("seq")))
            await self.publish(events)
