"""The ASGI handler lends each request a thread of its own and reuses finished ones."""

import asyncio
import threading

import pytest
from django.http import HttpResponse
from django.urls import path
from django.utils import translation

from civicdesk.core.asgi_handler import PooledThreadASGIHandler

gate = threading.Event()
both_in = threading.Barrier(2, timeout=5)


def whoami(request):
    return HttpResponse(str(threading.get_ident()))


def together(request):
    both_in.wait()  # returns only when two requests are in their views at the same time
    return HttpResponse(str(threading.get_ident()))


def lang(request):
    return HttpResponse(f"{translation.get_language()} {threading.get_ident()}")


def stuck(request):
    gate.wait(10)
    return HttpResponse("late")


urlpatterns = [path("whoami", whoami), path("together", together), path("stuck", stuck), path("lang", lang)]


@pytest.fixture
def handler(settings):
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "Axes" not in m]
    return PooledThreadASGIHandler()


async def get(app, path, disconnect: asyncio.Event | None = None, headers=()) -> tuple[int, str]:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
    sent = []
    first = True

    async def receive():
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": b"", "more_body": False}
        await (disconnect.wait() if disconnect else asyncio.Event().wait())
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    status = next((m["status"] for m in sent if m["type"] == "http.response.start"), None)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()
    return status, body


def test_requests_one_after_another_reuse_one_thread_off_the_event_loop(handler):
    async def run():
        loop_thread = threading.get_ident()
        a = await get(handler, "/whoami")
        b = await get(handler, "/whoami")
        return loop_thread, a, b

    loop_thread, (status_a, a), (status_b, b) = asyncio.run(run())
    assert status_a == status_b == 200
    assert a == b != str(loop_thread)
    assert len(handler.idle) == 1


def test_requests_at_the_same_time_get_threads_of_their_own(handler):
    async def run():
        return await asyncio.gather(get(handler, "/together"), get(handler, "/together"))

    (s1, t1), (s2, t2) = asyncio.run(run())
    assert s1 == s2 == 200 and t1 != t2
    assert len(handler.idle) == 2  # both kept for the next requests


def test_a_reused_thread_carries_nothing_of_the_last_request(handler):
    """The language chosen for one request is not the next one's, on the same thread."""
    async def run():
        es = await get(handler, "/lang", headers=[(b"accept-language", b"es")])
        en = await get(handler, "/lang")
        return es, en

    (_, es), (_, en) = asyncio.run(run())
    es_lang, es_thread = es.split()
    en_lang, en_thread = en.split()
    assert es_thread == en_thread
    assert (es_lang, en_lang) == ("es", "en")


def test_an_abandoned_request_gives_its_thread_back_only_when_its_view_ends(handler):
    gate.clear()

    async def run():
        gone = asyncio.Event()
        abandoned = asyncio.create_task(get(handler, "/stuck", disconnect=gone))
        await asyncio.sleep(0.3)  # the view is now waiting in its thread
        gone.set()  # the client hangs up
        other = await asyncio.wait_for(get(handler, "/whoami"), 5)  # served meanwhile, on another thread
        busy = [t.pending for t in handler.idle]
        gate.set()  # the view ends
        await asyncio.wait_for(abandoned, 5)
        return other, busy

    (status, _), busy = asyncio.run(run())
    assert status == 200
    assert busy == [0]  # only the free thread was in the pool while the view ran
    assert len(handler.idle) == 2 and all(t.pending == 0 for t in handler.idle)
