"""Every websocket action, every role: the chat sockets' half of the authorization matrix
(test_authorization_matrix.py holds the HTTP routes). Resident A owns the conversation of
department X; resident B has a conversation of their own."""

import pytest
from django.test import Client

from civicdesk.accounts.models import Resident
from civicdesk.conversations import services as chat
from civicdesk.conversations.models import Message
from tests.factories import DepartmentFactory, StaffFactory
from tests.security.test_authorization_matrix import _as

pytestmark = pytest.mark.django_db(transaction=True)

STAFF_X = {"agent_x", "supervisor_x", "administrator"}
AGENT_ACTIONS = ["join", "message", "note", "typing", "read"]
RESIDENT_ACTIONS = ["hello", "message", "typing", "read"]


@pytest.fixture
def world(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "civicdesk.conversations.layers.InMemoryChannelLayer"}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    x, y = DepartmentFactory(), DepartmentFactory()
    a = Resident.objects.create(email="a@example.org")
    b = Resident.objects.create(email="b@example.org")
    conv_a = chat.start_conversation(department=x, resident=a, assistant=False)
    conv_b = chat.start_conversation(department=x, resident=b, assistant=False)
    staff = {"agent_x": StaffFactory(role="agent", departments=[x]),
             "agent_y": StaffFactory(role="agent", departments=[y]),
             "supervisor_x": StaffFactory(role="supervisor", departments=[x]),
             "administrator": StaffFactory(role="administrator")}
    yield {"conv": conv_a.conversation.public_id, "tokens": {"resident_a": conv_a.token,
                                                            "resident_b": conv_b.token},
           "residents": {"resident_a": a, "resident_b": b}, "staff": staff}
    channel_layers.backends.clear()


def _cookie(role, world) -> list:
    """The headers a browser of this role sends: its session cookie (signed in the same way
    as the HTTP matrix signs in) and our own Origin."""
    client = Client()
    _as(client, role, world)
    headers = [(b"origin", b"http://testserver")]
    if "sessionid" in client.cookies:
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


ROLES = ["anonymous", "resident_a", "resident_b", "agent_x", "agent_y", "supervisor_x", "administrator"]


@pytest.mark.parametrize("role", ROLES)
def test_console_socket_actions(role, world, ws_socket):
    sock = ws_socket("/ws/console/", headers=_cookie(role, world))
    allowed = role in STAFF_X
    if role not in world["staff"]:
        assert not sock.connected  # no staff session: the socket is refused at the door
        return
    conv = world["conv"]
    outcomes = {}
    sock.send(type="join", conversation=conv, last_seq=0)
    reply = sock.recv_until(lambda m: m.get("type") in ("welcome", "error"))
    outcomes["join"] = reply["type"] == "welcome"
    before = Message.objects.count()
    sock.send(type="message", conversation=conv, body=f"hello from {role}", client_id=f"{role}-1")
    sock.send(type="message", conversation=conv, body="note", internal=True, client_id=f"{role}-2")
    sock.send(type="typing", conversation=conv)
    sock.send(type="read", conversation=conv, seq=1)
    replies = sock.drain()
    stored = Message.objects.filter(client_id__startswith=f"{role}-")
    outcomes["message"] = stored.filter(sender="agent").exists()
    outcomes["note"] = stored.filter(sender="note").exists()
    refusals = [m for m in replies if m.get("error") == "join_first"]
    outcomes["typing"] = outcomes["read"] = len(refusals) == 0
    assert outcomes == dict.fromkeys(AGENT_ACTIONS, allowed), (role, replies)
    if not allowed:
        assert Message.objects.count() == before and len(refusals) == 4


@pytest.mark.parametrize("role", ROLES)
def test_resident_socket_actions(role, world, ws_socket):
    """Only the holder of resident A's conversation token reaches that conversation: not
    resident B with their own token, not staff, not a guess."""
    sock = ws_socket("/ws/chat/", headers=_cookie(role, world))
    token = world["tokens"].get(role, "guess-" + "0" * 40)
    sock.send(type="hello", conversation=world["conv"], token=token, last_seq=0)
    reply = sock.recv_until(lambda m: m.get("type") in ("welcome", "error"))
    allowed = role == "resident_a"
    assert (reply["type"] == "welcome") is allowed, (role, reply)
    if not allowed:
        assert reply["error"] == "not_allowed"
        return
    sock.send(type="message", body="hello", client_id="a-1")
    sock.send(type="typing")
    sock.send(type="read", seq=1)
    replies = sock.drain()
    assert Message.objects.filter(client_id="a-1", sender="resident").exists()
    assert not [m for m in replies if m.get("type") == "error"]
