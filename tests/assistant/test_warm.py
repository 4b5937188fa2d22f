"""Issue 21: the assistant's engine is loaded and warmed when a server process starts (the
ASGI lifespan startup that uvicorn sends), not on the first resident's question; /readyz
says "starting" until it is. Commands and the tests themselves (which import the ASGI
module but send no lifespan event) warm nothing. Timings: bench/first_reply_bench.py."""

import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from asgiref.testing import ApplicationCommunicator

from civicdesk.assistant import brain
from tests.assistant.test_dialogue import Chat

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("assistant_on")]
ROOT = Path(__file__).resolve().parents[2]


def server_starts_and_stops():
    """What uvicorn does to the application: the lifespan startup, then the shutdown."""
    from civicdesk.asgi import application

    async def run():
        comm = ApplicationCommunicator(application, {"type": "lifespan", "asgi": {"version": "3.0"}})
        await comm.send_input({"type": "lifespan.startup"})
        assert await comm.receive_output(10) == {"type": "lifespan.startup.complete"}
        await comm.send_input({"type": "lifespan.shutdown"})
        assert await comm.receive_output(10) == {"type": "lifespan.shutdown.complete"}
        await comm.wait(10)

    asyncio.run(run())


def warm_thread() -> threading.Thread | None:
    return next((t for t in threading.enumerate() if t.name == "assistant-warm"), None)


def test_the_server_start_trains_the_engine_before_the_first_question(client, city, ws_socket):
    assert brain.holder.engine is None
    with brain.holder.lock:  # hold the training back, to see the process say it is not ready yet
        server_starts_and_stops()
        thread = warm_thread()
        assert thread is not None and thread.is_alive()
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json() == {"status": "starting",
                                                                      "preparing": ["assistant"]}
    thread.join(60)
    assert not thread.is_alive()
    engine = brain.holder.engine
    assert engine is not None and len(engine.labels) >= 3  # the pothole service and two articles
    assert client.get("/readyz").status_code == 200
    # The first question is answered by that engine: nothing is trained on it.
    chat = Chat(client, ws_socket)
    chat.greeting()
    assert "Trash is collected once a week" in chat.say("When does the garbage truck come?")
    assert brain.holder.engine is engine


def test_no_warm_up_when_it_is_turned_off(client, city, settings):
    settings.CIVICDESK_ASSISTANT_WARM = False
    server_starts_and_stops()
    assert warm_thread() is None and brain.holder.engine is None
    assert client.get("/readyz").status_code == 200


def test_no_warm_up_without_the_assistant(client, city, settings):
    settings.CIVICDESK_ASSISTANT = False
    server_starts_and_stops()
    assert warm_thread() is None and brain.holder.engine is None


def test_commands_and_importing_the_asgi_module_warm_nothing(tmp_path):
    """A management command, or a test importing the application: no lifespan, no thread."""
    code = ("import threading, civicdesk.asgi; from django.core.management import call_command; "
            "call_command('check', verbosity=0); from civicdesk.assistant import brain; "
            "print(sorted(t.name for t in threading.enumerate()), brain.holder.engine)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "CIVICDESK_VAR_DIR": str(tmp_path),
                              "CIVICDESK_ASSISTANT_WARM": "1", "CIVICDESK_ASSISTANT": "1"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "['MainThread'] None"
