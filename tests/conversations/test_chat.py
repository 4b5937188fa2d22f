"""Chat over real websockets (Channels' WebsocketCommunicator on our ASGI application)."""

import pytest
from django.core.exceptions import ValidationError

from civicdesk.conversations import services
from civicdesk.conversations.models import Conversation, Message
from civicdesk.privacy.models import AuditEntry
from tests.conversations.conftest import online, start
from tests.factories import DepartmentFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)  # consumers run in their own threads


def hello(sock, started, last_seq=0):
    sock.send(type="hello", conversation=started["conversation"], token=started["token"], last_seq=last_seq)
    welcome = sock.recv()
    assert welcome["type"] == "welcome", welcome
    return welcome


def test_resident_message_is_stored_before_it_is_echoed(client, department, ws_socket):
    online(StaffFactory(departments=[department]))
    started = start(client, department=department.slug)
    sock = ws_socket()
    hello(sock, started)
    greeting = sock.recv()
    assert greeting["sender"] == "system" and greeting["seq"] == 1
    sock.send(type="message", body="Is the pool open today?", client_id="c1")
    echoed = sock.recv_until(lambda m: m.get("client_id") == "c1")
    stored = Message.objects.get(conversation__public_id=started["conversation"], seq=echoed["seq"])
    assert stored.body == "Is the pool open today?" and stored.sender == "resident"


def test_wrong_token_is_refused(client, ws_socket):
    started = start(client)
    sock = ws_socket()
    sock.send(type="hello", conversation=started["conversation"], token="guess", last_seq=0)
    assert sock.recv() == {"type": "error", "error": "not_allowed"}


def test_reconnect_resumes_without_loss_or_repeats(client, department, ws_socket, agent_socket):
    agent = online(StaffFactory(departments=[department]))
    started = start(client, department=department.slug)
    conv = Conversation.objects.get(public_id=started["conversation"])
    assert conv.assigned_to == agent  # auto-assigned at once
    sock = ws_socket()
    hello(sock, started)
    got = {m["seq"]: m for m in sock.drain() if m.get("type") == "message"}
    for i in range(3):
        sock.send(type="message", body=f"resident {i}", client_id=f"r{i}")
    got.update({m["seq"]: m for m in sock.drain() if m.get("type") == "message"})
    sock.close()  # the network drops
    for i in range(2):
        services.post_message(conversation=conv, sender="agent", author=agent, body=f"agent {i}")
    last_seen = max(got)
    again = ws_socket()
    hello(again, started, last_seq=last_seen)
    resumed = [m for m in again.drain() if m.get("type") == "message"]
    assert [m["body"] for m in resumed] == ["agent 0", "agent 1"]
    seqs = sorted(list(got) + [m["seq"] for m in resumed])
    assert seqs == list(range(1, conv.messages.count() + 1))  # every message exactly once


def test_sync_sends_again_what_came_after_the_last_message_shown(client, ws_socket):
    """A relay lost between processes (Redis restarting) is caught up by the client's
    periodic {"type": "sync"}: everything after its last sequence number, from the database."""
    started = start(client)
    conv = Conversation.objects.get(public_id=started["conversation"])
    sock = ws_socket()
    hello(sock, started)
    shown = max(m["seq"] for m in sock.drain() if m.get("type") == "message")
    # stored, but as if its relay had been lost: written without publishing
    Message.objects.create(conversation=conv, seq=shown + 1, sender="agent", body="Yes, until 8 p.m.")
    sock.send(type="sync", last_seq=shown)
    caught = [m for m in sock.drain() if m.get("type") == "message"]
    assert [(m["seq"], m["body"]) for m in caught] == [(shown + 1, "Yes, until 8 p.m.")]
    sock.send(type="sync", last_seq=0)  # at once again: ignored (one catch-up per two seconds)
    assert [m for m in sock.drain() if m.get("type") == "message"] == []


def test_sync_fills_a_gap_and_says_up_to_where_the_client_is_complete(client, department, ws_socket):
    """The widget keeps the number up to which it has every message, not the highest one it
    saw: a message lost in the relay below one that arrived is asked for again. Numbers taken
    by staff notes are gaps a resident never fills, so the server ends each catch-up with
    "synced up to n", and the client moves past them."""
    agent = online(StaffFactory(departments=[department]))
    started = start(client, department=department.slug)
    conv = Conversation.objects.get(public_id=started["conversation"])
    sock = ws_socket()
    hello(sock, started)
    first = sock.drain()
    shown = max(m["seq"] for m in first if m.get("type") == "message")
    assert first[-1] == {"type": "synced", "conversation": conv.public_id, "upto": shown}
    services.post_message(conversation=conv, sender="note", author=agent, body="called the depot")  # shown + 1
    # shown + 2: stored, but its relay lost (written without publishing)
    Message.objects.create(conversation=conv, seq=shown + 2, sender="agent", body="The truck comes back at 4.")
    Conversation.objects.filter(pk=conv.pk).update(last_seq=shown + 2)
    services.post_message(conversation=conv, sender="agent", author=agent, body="Anything else?")  # shown + 3
    live = [m for m in sock.drain() if m.get("type") == "message"]
    assert [m["seq"] for m in live] == [shown + 3]  # the note is not for the resident; shown + 2 was lost
    sock.send(type="sync", last_seq=shown)  # complete up to `shown`: asks from there
    caught = sock.drain()
    assert [(m["seq"], m["body"]) for m in caught if m["type"] == "message"] == [
        (shown + 2, "The truck comes back at 4."), (shown + 3, "Anything else?")]
    assert caught[-1] == {"type": "synced", "conversation": conv.public_id, "upto": shown + 3}


def test_retried_message_is_stored_once(client, ws_socket):
    started = start(client)
    sock = ws_socket()
    hello(sock, started)
    sock.send(type="message", body="hello", client_id="same")
    sock.send(type="message", body="hello", client_id="same")
    sock.drain()
    assert Message.objects.filter(client_id="same").count() == 1


def test_agent_reaches_only_their_departments(client, department, agent_socket):
    other = DepartmentFactory()
    outsider = StaffFactory(departments=[other])
    started = start(client, department=department.slug)
    sock = agent_socket(outsider)
    sock.send(type="join", conversation=started["conversation"], last_seq=0)
    assert sock.recv()["error"] == "not_allowed"
    sock.send(type="message", conversation=started["conversation"], body="hi")
    assert sock.recv()["error"] == "join_first"
    assert not Message.objects.filter(sender="agent").exists()


def test_agent_and_resident_chat_live_with_typing_reads_and_private_notes(client, department, ws_socket, agent_socket):
    agent = online(StaffFactory(departments=[department]))
    started = start(client, department=department.slug)
    resident = ws_socket()
    hello(resident, started)
    resident.drain()
    staff = agent_socket(agent)
    staff.send(type="join", conversation=started["conversation"], last_seq=0)
    assert staff.recv()["type"] == "welcome"
    staff.drain()
    resident.send(type="typing")
    assert staff.recv_until(lambda m: m["type"] == "typing")["side"] == "resident"
    resident.send(type="message", body="My trash was not picked up", client_id="x1")
    msg = staff.recv_until(lambda m: m["type"] == "message" and m["sender"] == "resident")
    staff.send(type="read", conversation=started["conversation"], seq=msg["seq"])
    assert resident.recv_until(lambda m: m["type"] == "read")["seq"] == msg["seq"]
    staff.send(type="message", conversation=started["conversation"], body="Checking the route", client_id="a1")
    staff.send(type="message", conversation=started["conversation"], body="route 7 skipped", internal=True, client_id="n1")
    staff.drain()
    seen_by_resident = [m["body"] for m in resident.drain() if m.get("type") == "message"]
    assert "Checking the route" in seen_by_resident and "route 7 skipped" not in seen_by_resident
    assert AuditEntry.objects.filter(action="view_conversation", actor=agent).exists()


def test_auto_assignment_is_round_robin_by_load_and_respects_capacity(client, department):
    a = online(StaffFactory(departments=[department]), capacity=1)
    b = online(StaffFactory(departments=[department]), capacity=1)
    first, second, third = (start(client, department=department.slug) for _ in range(3))
    convs = {c.public_id: c for c in Conversation.objects.all()}
    assert {convs[first["conversation"]].assigned_to, convs[second["conversation"]].assigned_to} == {a, b}
    assert convs[third["conversation"]].state == "waiting"
    services.close(conversation=convs[first["conversation"]], by=None, resolution_code="answered")
    assert Conversation.objects.get(public_id=third["conversation"]).assigned_to == convs[first["conversation"]].assigned_to


def test_transfer_close_and_file_a_request(client, department, service):
    agent = online(StaffFactory(departments=[department]))
    colleague = StaffFactory(departments=[department])
    started = start(client, department=department.slug)
    conv = Conversation.objects.get(public_id=started["conversation"])
    services.transfer(conversation=conv, by=agent, to_agent=colleague, note="She needs a bulk pickup")
    conv.refresh_from_db()
    assert conv.assigned_to == colleague
    assert conv.messages.filter(sender="note", body="She needs a bulk pickup").exists()
    client.force_login(colleague)
    response = client.post(f"/console/conversations/{conv.public_id}/request/",
                           {"service": service.service_code, "address": "12 Main St", "description": "Bulk pickup",
                            "submission_key": "1"})
    assert response.status_code == 302
    conv.refresh_from_db()
    assert conv.request is not None and conv.request.channel == "chat" and conv in conv.request.conversations.all()
    with pytest.raises(ValidationError, match="Choose how the conversation ended"):
        services.close(conversation=conv, by=colleague, resolution_code="nonsense")
    services.close(conversation=conv, by=colleague, resolution_code="request_filed")
    conv.refresh_from_db()
    assert conv.state == "closed" and conv.resolution_code == "request_filed"


def test_canned_responses_are_for_supervisors_and_fill_placeholders(client, department):
    agent = StaffFactory(departments=[department])
    client.force_login(agent)
    assert client.get("/console/canned-responses/").status_code == 404
    supervisor = StaffFactory(role="supervisor", departments=[department])
    client.force_login(supervisor)
    page = client.post("/console/canned-responses/", {"title": "Greeting", "body_es": "Hola {name}",
                                                      "department": department.slug}, follow=True)
    assert "Give the response a title and a text in English." in page.content.decode()
    client.post("/console/canned-responses/", {"title": "Greeting", "body_en": "Hello {name}, about {request_id}:",
                                               "body_es": "Hola {name}, sobre {request_id}:",
                                               "department": department.slug})
    from civicdesk.conversations.models import CannedResponse

    canned = CannedResponse.objects.get()
    conv = Conversation.objects.create(department=department, contact_name="Ana")
    assert services.fill_canned(canned, conv) == "Hello Ana, about :"
    conv.language = "es"
    assert services.fill_canned(canned, conv) == "Hola Ana, sobre :"
    listing = client.get("/console/canned-responses/").content.decode()
    assert 'lang="es"' in listing and "Hola {name}, sobre {request_id}:" in listing


def test_inbox_shows_queue_figures(client, department):
    agent = online(StaffFactory(departments=[department]), capacity=0)  # online, but takes no chat
    started = start(client, department=department.slug)
    assert started["state"] == "waiting"
    client.force_login(agent)
    page = client.get("/console/inbox/").content.decode()
    assert "1</span> waiting" in page and "1</span> agents online" in page
