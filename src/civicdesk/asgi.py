"""ASGI entry point (uvicorn civicdesk.asgi:application): HTTP, websockets and the lifespan."""

import gc
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")

from civicdesk.core.asgi_handler import get_asgi_application  # noqa: E402

django_application = get_asgi_application()  # sets Django up before the consumers are imported

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from civicdesk.routing import websocket_urlpatterns  # noqa: E402

# Thousands of websocket connections make a large heap, and a full garbage collection of
# it is a pause every connection feels. Objects made at startup are frozen out of the
# collector (CIVICDESK_GC_THRESHOLD, "gen0,gen1,gen2", default Python's own: raising it
# made chat latency worse in bench/ws_bench.py).
gc.freeze()
gc.set_threshold(*(int(x) for x in os.environ.get("CIVICDESK_GC_THRESHOLD", "700,10,10").split(",")))


async def lifespan(scope, receive, send):
    """The server's start and stop (uvicorn sends them; test communicators do not): at the
    start, the assistant loads and warms its engine in the background (assistant/warm.py,
    CIVICDESK_ASSISTANT_WARM), so the first resident's question does not wait for it."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            from civicdesk.assistant import warm

            warm.start()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


application = ProtocolTypeRouter({
    "http": django_application,
    "websocket": URLRouter(websocket_urlpatterns),
    "lifespan": lifespan,
})
