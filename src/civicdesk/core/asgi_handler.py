"""Django's ASGI handler, with request threads reused instead of started for each request.

Under ASGI, Django runs a request's synchronous code (middleware, views, the ORM) in a
thread of its own, so that thread-bound state such as the database connection stays with
the request. Django's own handler starts a new thread for every request and joins it at
the end; under load that start-and-join held the event loop (py-spy, docs/architecture.md
"Where an intake request's time goes"). This handler keeps finished requests' threads and
lends each to one request at a time, as a threaded WSGI server does, through asgiref's
``ThreadSensitiveContext(executor=...)``, which exists for this.

A thread goes back to the pool only when it is idle. A request the client abandoned may
leave its view still running in its thread; that thread is then retired, not lent out.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler

KEEP_IDLE = 64  # threads kept for reuse per process; more are retired when they finish


class RequestThread(ThreadPoolExecutor):
    """One worker thread that knows whether it still has work."""

    def __init__(self):
        super().__init__(max_workers=1, thread_name_prefix="civicdesk-request")
        self._lock = threading.Lock()
        self.pending = 0

    def submit(self, fn, /, *args, **kwargs):
        with self._lock:
            self.pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future) -> None:
        with self._lock:
            self.pending -= 1


class PooledThreadASGIHandler(ASGIHandler):
    def __init__(self):
        super().__init__()
        self.idle: list[RequestThread] = []  # only touched from the event loop's thread

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        thread = self.idle.pop() if self.idle else RequestThread()
        try:
            async with ThreadSensitiveContext(executor=thread):
                await self.handle(scope, receive, send)
        finally:
            if thread.pending == 0 and len(self.idle) < KEEP_IDLE:
                self.idle.append(thread)
            else:
                thread.shutdown(wait=False)  # the thread ends once its work is done


def get_asgi_application() -> PooledThreadASGIHandler:
    """Like ``django.core.asgi.get_asgi_application``, with the pooled handler."""
    django.setup(set_prefix=False)
    return PooledThreadASGIHandler()
