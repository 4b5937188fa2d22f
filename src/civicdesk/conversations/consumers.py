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
"""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer
from django.core.exceptions import ValidationError

from civicdesk.privacy.services import record_access

from . import services
from .models import Conversation, Message
from .tasks import check_resume_token


def _errors(e: ValidationError) -> str:
    return " ".join(e.messages)


class _Base(JsonWebsocketConsumer):
    def connect(self):
        self.joined: set[str] = set()
        self.accept()

    def join_group(self, group: str) -> None:
        if group not in self.joined:
            async_to_sync(self.channel_layer.group_add)(group, self.channel_name)
            self.joined.add(group)

    def disconnect(self, code):
        for group in self.joined:
            async_to_sync(self.channel_layer.group_discard)(group, self.channel_name)

    def relay(self, event):
        self.send_json(event["payload"])

    def backlog(self, conv: Conversation, last_seq, *, staff: bool) -> None:
        try:
            after = max(0, int(last_seq or 0))
        except (TypeError, ValueError):
            after = 0
        for m in services.messages_after(conv, after, staff=staff):
            self.send_json(services.message_payload(m))


class ResidentChatConsumer(_Base):
    conv: Conversation | None = None

    def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if self.conv is None:
            if kind != "hello":
                self.send_json({"type": "error", "error": "hello_first"})
                return
            conv = Conversation.objects.filter(public_id=str(content.get("conversation", ""))[:16]).first()
            token = str(content.get("token", ""))[:400]
            if conv is None or not (services.check_token(conv, token) or check_resume_token(conv, token)):
                self.send_json({"type": "error", "error": "not_allowed"})
                self.close(code=4403)
                return
            self.conv = conv
            self.join_group(services.resident_group(conv))
            self.send_json({"type": "welcome", "conversation": conv.public_id, "state": conv.state,
                            "last_seq": conv.last_seq, "agent_read_seq": conv.agent_read_seq,
                            "language": conv.language})
            self.backlog(conv, content.get("last_seq"), staff=False)
            return
        if kind == "message":
            try:
                services.post_message(conversation=self.conv, sender=Message.Sender.RESIDENT,
                                      body=str(content.get("body", "")), client_id=str(content.get("client_id", "")))
            except ValidationError as e:
                self.send_json({"type": "error", "error": _errors(e), "client_id": content.get("client_id")})
        elif kind == "typing":
            services.typing(self.conv, side="resident")
        elif kind == "read":
            try:
                services.mark_read(self.conv, side="resident", seq=int(content.get("seq", 0)))
            except (TypeError, ValueError):
                pass


class AgentConsumer(_Base):
    def connect(self):
        user = self.scope.get("user")
        if user is None or not (user.is_authenticated and user.is_staff and user.is_active):
            self.close(code=4401)
            return
        super().connect()
        self.user = user
        self.conversations: dict[str, Conversation] = {}
        if user.sees_all_departments:
            self.join_group("inbox-all")
        else:
            for dept_id in user.departments.values_list("pk", flat=True):
                self.join_group(f"inbox-dept-{dept_id}")

    def _conversation(self, content) -> Conversation | None:
        public_id = str(content.get("conversation", ""))[:16]
        conv = self.conversations.get(public_id)
        if conv is None:
            self.send_json({"type": "error", "error": "join_first", "conversation": public_id})
        return conv

    def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "join":
            conv = Conversation.objects.filter(public_id=str(content.get("conversation", ""))[:16]).first()
            if conv is None or not services.can_work(self.user, conv):
                self.send_json({"type": "error", "error": "not_allowed", "conversation": content.get("conversation")})
                return
            self.conversations[conv.public_id] = conv
            self.join_group(services.staff_group(conv))
            record_access(actor=self.user, action="view_conversation", object_type="conversation",
                          object_id=conv.public_id, ip=(self.scope.get("client") or [None])[0])
            self.send_json({"type": "welcome", "conversation": conv.public_id, "state": conv.state,
                            "last_seq": conv.last_seq, "resident_read_seq": conv.resident_read_seq})
            self.backlog(conv, content.get("last_seq"), staff=True)
            return
        conv = self._conversation(content)
        if conv is None:
            return
        if kind == "message":
            sender = Message.Sender.NOTE if content.get("internal") else Message.Sender.AGENT
            try:
                services.post_message(conversation=conv, sender=sender, author=self.user,
                                      body=str(content.get("body", "")), client_id=str(content.get("client_id", "")))
            except ValidationError as e:
                self.send_json({"type": "error", "error": _errors(e), "client_id": content.get("client_id"),
                                "conversation": conv.public_id})
        elif kind == "typing":
            services.typing(conv, side="agent")
        elif kind == "read":
            try:
                services.mark_read(conv, side="agent", seq=int(content.get("seq", 0)))
            except (TypeError, ValueError):
                pass
