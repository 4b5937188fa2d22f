"""Reads for the agent's inbox."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import get_language_info

from .models import Conversation, Message

PREVIEW_CHARS = 140


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def with_last_message(qs):
    """Each conversation with the last words said in it (not the system's own lines), who
    said them, and the resident's name when they are signed in."""
    last = Message.objects.filter(conversation=OuterRef("pk")).exclude(sender=Message.Sender.SYSTEM).order_by("-seq")
    return qs.select_related("resident").annotate(
        last_body=Subquery(last.values("body")[:1]), last_sender=Subquery(last.values("sender")[:1]))


def wait_state(conv: Conversation, now=None) -> str:
    """"ok", "soon" (three quarters of the answer target gone) or "over", for a waiting chat;
    "" otherwise. The target is CIVICDESK_CHAT_ANSWER_TARGET_S."""
    if conv.state != Conversation.State.WAITING or not conv.waiting_since:
        return ""
    waited = (now or timezone.now()) - conv.waiting_since
    target = timedelta(seconds=settings.CIVICDESK_CHAT_ANSWER_TARGET_S)
    return "over" if waited >= target else "soon" if waited >= target * 0.75 else "ok"


def describe(rows, now=None) -> list[Conversation]:
    """Fill in what an inbox row shows: name or anonymous, language name, preview, wait."""
    now = now or timezone.now()
    out = []
    for c in rows:
        resident_name = ""
        if c.resident_id:
            resident_name = " ".join(p for p in (c.resident.first_name, c.resident.last_name) if p)
        c.who = c.contact_name or resident_name
        c.language_name = _language_name(c.language)
        body = (getattr(c, "last_body", "") or "").strip()
        c.preview = body[:PREVIEW_CHARS] + ("…" if len(body) > PREVIEW_CHARS else "")
        c.wait_state = wait_state(c, now)
        out.append(c)
    return out


def wall(user, now=None) -> dict:
    """The supervisor's wall: each queue (waiting, longest wait, being answered), each agent
    (state, chats in hand against their capacity) and every open chat, for the departments
    this person leads."""
    from django.db.models import Count, Min, Q

    from civicdesk.accounts.selectors import people
    from civicdesk.catalog.models import Department

    from .models import AgentPresence
    from .services import visible_conversations

    now = now or timezone.now()
    State = Conversation.State
    open_convs = visible_conversations(user).filter(state__in=[State.WAITING, State.ASSIGNED])
    per_queue = {row["department"]: row for row in open_convs.values("department").annotate(
        waiting=Count("id", filter=Q(state=State.WAITING)), answering=Count("id", filter=Q(state=State.ASSIGNED)),
        oldest=Min("waiting_since", filter=Q(state=State.WAITING)))}
    departments = list(Department.objects.all() if user.sees_all_departments else user.departments.all())
    queues = []
    for dept in ([None] if user.sees_all_departments else []) + departments:
        row = per_queue.get(dept.pk if dept else None, {})
        oldest = row.get("oldest")
        queues.append({"department": dept, "waiting": row.get("waiting", 0), "answering": row.get("answering", 0),
                       "oldest": oldest})
    agents = people()
    if not user.sees_all_departments:
        agents = agents.filter(Q(departments__in=departments) | Q(all_departments=True)).distinct()
    agents = (agents.annotate(load=Count("conversations", filter=Q(conversations__state=State.ASSIGNED), distinct=True))
              .select_related("presence").order_by("first_name", "username"))
    order = {AgentPresence.Status.ONLINE: 0, AgentPresence.Status.AWAY: 1, AgentPresence.Status.OFFLINE: 2}
    agent_rows = []
    for a in agents:
        presence = getattr(a, "presence", None)
        status = presence.status if presence else AgentPresence.Status.OFFLINE
        agent_rows.append({"user": a, "status": status, "status_label": AgentPresence.Status(status).label,
                           "load": a.load, "capacity": presence.capacity if presence else 0})
    agent_rows.sort(key=lambda r: (order[r["status"]], -r["load"]))
    chats = describe(with_last_message(open_convs.select_related("department", "assigned_to"))
                     .order_by("state", "waiting_since", "id")[:100], now)
    return {"queues": queues, "agents": agent_rows, "chats": chats,
            "online": sum(1 for r in agent_rows if r["status"] == AgentPresence.Status.ONLINE)}
