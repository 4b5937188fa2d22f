"""A third ceiling for the chat benchmark: a raw ASGI websocket relay under uvicorn (no
Django, no Channels, nothing stored), the same wire format as bench/bare_relay.py. Between
this and the bare `websockets` relay lies the ASGI server; between this and
bench/channels_relay.py lies Channels.

    python -m uvicorn --app-dir bench asgi_relay:application --port PORT
"""

import json

rooms: dict[str, set] = {}


async def application(scope, receive, send):
    if scope["type"] == "lifespan":  # nothing to set up or tear down
        while True:
            kind = (await receive())["type"]
            await send({"type": kind + ".complete"})
            if kind == "lifespan.shutdown":
                return
    room = None
    peer = send
    try:
        while True:
            event = await receive()
            if event["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
            elif event["type"] == "websocket.disconnect":
                return
            else:
                m = json.loads(event.get("text") or event.get("bytes") or "{}")
                if m.get("type") in ("hello", "join"):
                    room = m["conversation"]
                    rooms.setdefault(room, set()).add(peer)
                    await send({"type": "websocket.send", "text": json.dumps({"type": "welcome", "conversation": room})})
                elif room is not None:
                    m["sender"] = "resident" if m.get("type") == "message" else m.get("sender")
                    out = {"type": "websocket.send", "text": json.dumps(m)}
                    for other in list(rooms.get(room, ())):
                        if other is not peer:
                            await other(out)
    finally:
        if room is not None:
            rooms.get(room, set()).discard(peer)
