"""Shared fixtures: factories, a real SMTP server, the task worker, service checks."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time

import pytest
from django.core.management import call_command

from tests.factories import DepartmentFactory, ServiceFactory, StaffFactory

IN_CI = os.environ.get("CI") == "true"


def require_service(name: str, reason: str) -> None:
    """A test whose server is missing fails in CI and is skipped elsewhere."""
    if IN_CI:
        pytest.fail(f"{name} is required in CI: {reason}")
    pytest.skip(f"{name} not available: {reason}")


@pytest.fixture(autouse=True)
def _media_and_defaults(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "http://testserver"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # Each test's rows vanish with its transaction; so must the catalog snapshot of them.
    from django.core.cache import cache

    from civicdesk.catalog import snapshot
    from civicdesk.integrations import webhooks

    settings.CIVICDESK_REQUIRE_2FA = False  # the two-factor tests turn it on
    # Chats start with a person unless a test turns the assistant on (tests/assistant/).
    settings.CIVICDESK_ASSISTANT = False
    settings.CIVICDESK_ASSISTANT_ENCODER = ""
    settings.CIVICDESK_ASSISTANT_ADAPT_DIR = str(tmp_path / "assistant")  # adapted encoders
    settings.CIVICDESK_FIGURES_ROLLUPS = False  # figures from the raw tables; test_rollups compares
    snapshot.clear()
    webhooks.clear_cache()
    cache.clear()  # rate-limit windows must not leak between tests
    from civicdesk.assistant import brain
    from civicdesk.knowledge import search

    brain.holder.reset()  # trained on the previous test's rows
    search.reset()
    from civicdesk.addresses.services import forget_cache

    forget_cache()  # "is a register loaded?" and the streets are kept per process
    from django.utils import translation

    translation.activate("en")  # a Spanish request of the previous test leaves Spanish active


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """Messages received by the test's SMTP server."""

    def __init__(self) -> None:
        self.messages: list = []
        self.raw: list[bytes] = []  # the messages as sent, for checking headers

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        import email
        from email import policy

        self.raw.append(envelope.content)
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        html = msg.get_body(preferencelist=("html",))
        self.messages.append({"to": envelope.rcpt_tos, "subject": str(msg["subject"]),
                              "body": msg.get_body(preferencelist=("plain",)).get_content(),
                              "html": html.get_content() if html else None,
                              "language": msg["Content-Language"]})
        return "250 Message accepted"

    def to(self, address: str) -> list[dict]:
        return [m for m in self.messages if address in m["to"]]


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a free port, with Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


@pytest.fixture
def run_worker():
    """Run the real task worker until the queue is empty (what `make demo` runs forever).

    The worker manages its own connections and transactions, so tests using it need
    ``django_db(transaction=True)``.
    """

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    return run


@pytest.fixture
def department(db):
    return DepartmentFactory()


@pytest.fixture
def service(department):
    return ServiceFactory(department=department)


@pytest.fixture
def agent(department):
    return StaffFactory(role="agent", departments=[department])


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as e:  # noqa: BLE001 - any failure means the server is not there
        require_service("Redis", f"{url}: {e}")
    return url


def wait_until(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def pytest_collection_modifyitems(items):
    """Browser tests run last: Playwright's sync API keeps an event loop in the main
    thread for the rest of the session, where code that bridges to async (Channels'
    group_send through async_to_sync) may then not run."""
    items[:] = [i for i in items if "/e2e/" not in str(i.fspath)] + [i for i in items if "/e2e/" in str(i.fspath)]


# --- websockets on the real ASGI application, driven from sync test code -------------------

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
        from channels.testing import WebsocketCommunicator

        from civicdesk.asgi import application

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
def ws_socket():
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
def agent_socket(ws_socket, client):
    def make(user):
        client.force_login(user)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        return ws_socket("/ws/console/", headers=[(b"cookie", cookie.encode()), (b"origin", b"http://testserver")])
    return make


