"""A conversation relayed between two server processes through Redis.

Runs in the PostgreSQL + Redis pass of `make test` (both processes must share the test
database, which an in-memory SQLite test database cannot be); the SQLite pass deselects
it with the `multiprocess` marker.
"""

import json
import os
import socket as pysocket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from websockets.sync.client import connect

from tests.conversations.conftest import online
from tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.multiprocess]
ROOT = Path(__file__).resolve().parents[2]


def _port():
    with pysocket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def two_servers(tmp_path, redis_url):
    if connection.vendor != "postgresql":
        pytest.fail("run this test in the PostgreSQL pass (make test-postgres)")
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": settings.SECRET_KEY,
           "CIVICDESK_VAR_DIR": str(tmp_path), "ALLOWED_HOSTS": "127.0.0.1", "PYTHONPATH": str(ROOT / "src"),
           "CIVICDESK_LOG_LEVEL": "WARNING", "CIVICDESK_DB_POOL_SIZE": "0",
           "CIVICDESK_REQUIRE_2FA": "0"}
    ports, procs = [_port(), _port()], []
    for port in ports:
        procs.append(subprocess.Popen([sys.executable, "-m", "uvicorn", "civicdesk.asgi:application", "--host",
                                       "127.0.0.1", "--port", str(port), "--log-level", "warning",
                                       "--ws-per-message-deflate", "false"], env=env, cwd=ROOT))
    try:
        for port in ports:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
        yield ports
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)


def _recv_until(ws, predicate, limit=20):
    for _ in range(limit):
        m = json.loads(ws.recv(timeout=5))
        if predicate(m):
            return m
    raise AssertionError("expected message never came")


def test_resident_on_one_process_chats_with_agent_on_the_other(two_servers, department, client):
    port_a, port_b = two_servers
    agent = online(StaffFactory(departments=[department]))
    req = urllib.request.Request(f"http://127.0.0.1:{port_a}/chat/start/", method="POST",
                                 data=json.dumps({"department": department.slug}).encode(),
                                 headers={"Content-Type": "application/json"})
    started = json.loads(urllib.request.urlopen(req).read())
    client.force_login(agent)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    with connect(f"ws://127.0.0.1:{port_a}/ws/chat/") as resident, \
         connect(f"ws://127.0.0.1:{port_b}/ws/console/", additional_headers={
             "Cookie": cookie, "Origin": f"http://127.0.0.1:{port_b}"}) as staff:
        resident.send(json.dumps({"type": "hello", "conversation": started["conversation"],
                                  "token": started["token"], "last_seq": 0}))
        assert _recv_until(resident, lambda m: m["type"] == "welcome")
        staff.send(json.dumps({"type": "join", "conversation": started["conversation"], "last_seq": 0}))
        assert _recv_until(staff, lambda m: m["type"] == "welcome")
        resident.send(json.dumps({"type": "message", "body": "Hello from process A", "client_id": "a"}))
        got = _recv_until(staff, lambda m: m["type"] == "message" and m["client_id"] == "a")
        assert got["body"] == "Hello from process A"
        staff.send(json.dumps({"type": "message", "conversation": started["conversation"],
                               "body": "Hello from process B", "client_id": "b"}))
        got = _recv_until(resident, lambda m: m["type"] == "message" and m["client_id"] == "b")
        assert got["body"] == "Hello from process B" and got["sender"] == "agent"
