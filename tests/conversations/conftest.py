import asyncio
import json
import threading

import pytest
from channels.testing import WebsocketCommunicator

from civicdesk.asgi import application
from civicdesk.conversations import services
from civicdesk.conversations.models import AgentPresence


@pytest.fixture(autouse=True)
def _in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


class Loop:
    """One event loop in a background thread for all of a test's sockets (the ASGI app
    of a communicator lives on the loop that connected it)."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro, timeout=10):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


class Socket:
    """A websocket client on the real ASGI application, used from sync test code."""

    def __init__(self, loop, path, headers=None):
        self.loop = loop
        self.comm = loop.run(self._make(path, headers or []))
        connected, _sub = loop.run(self.comm.connect())
        self.connected = connected

    @staticmethod
    async def _make(path, headers):
        return WebsocketCommunicator(application, path, headers=headers)

    def send(self, **payload):
        self.loop.run(self.comm.send_json_to(payload))

    def recv(self, timeout=3):
        return self.loop.run(self.comm.receive_json_from(timeout), timeout=timeout + 5)

    def recv_until(self, predicate, limit=30, timeout=3):
        for _ in range(limit):
            m = self.recv(timeout)
            if predicate(m):
                return m
        raise AssertionError("expected message never came")

    def drain(self, quiet=0.3):
        """Everything that arrives until the socket has been quiet for ``quiet`` seconds.
        (A timed-out receive would cancel the application, so wait with receive_nothing.)"""
        out = []
        while not self.loop.run(self.comm.receive_nothing(timeout=quiet, interval=0.02)):
            out.append(self.recv())
        return out

    def close(self):
        self.loop.run(self.comm.disconnect())


@pytest.fixture
def socket():
    loop = Loop()
    opened = []

    def make(path="/ws/chat/", headers=None):
        s = Socket(loop, path, headers)
        opened.append(s)
        return s

    yield make
    for s in opened:
        try:
            s.close()
        except Exception:  # noqa: BLE001 - already closed by the server
            pass
    loop.stop()


@pytest.fixture
def agent_socket(socket, client):
    def make(user):
        client.force_login(user)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        return socket("/ws/console/", headers=[(b"cookie", cookie.encode()), (b"origin", b"http://testserver")])
    return make


def online(user, capacity=3):
    AgentPresence.objects.update_or_create(user=user, defaults={"status": "online", "capacity": capacity})
    return user


def start(client, **data):
    response = client.post("/chat/start/", data=json.dumps({"language": "en", **data}), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


__all__ = ["online", "start", "services"]


@pytest.fixture
def department(db):
    """A department open around the clock, so tests do not depend on today's hours."""
    from datetime import time

    from civicdesk.catalog.models import BusinessHours
    from tests.factories import DepartmentFactory

    dept = DepartmentFactory()
    dept.hours.all().delete()
    for weekday in range(7):
        BusinessHours.objects.create(department=dept, weekday=weekday, opens=time(0), closes=time(23, 59, 59))
    return dept
