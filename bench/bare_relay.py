"""The ceiling for the chat benchmark: a bare asyncio websocket relay (the `websockets`
library, a dict of rooms, nothing stored). Same wire format as CivicDesk's chat:
{"type": "hello"|"join", "conversation": room} then {"type": "message", ...} relayed
to the other sockets of the room.

    python bench/bare_relay.py PORT
"""

import asyncio
import json
import resource
import sys

from websockets.asyncio.server import serve

rooms: dict[str, set] = {}


async def handler(ws):
    room = None
    try:
        async for raw in ws:
            m = json.loads(raw)
            if m.get("type") in ("hello", "join"):
                room = m["conversation"]
                rooms.setdefault(room, set()).add(ws)
                await ws.send(json.dumps({"type": "welcome", "conversation": room}))
            elif room is not None:
                m["sender"] = "resident" if m.get("type") == "message" else m.get("sender")
                out = json.dumps(m)
                for peer in list(rooms.get(room, ())):
                    if peer is not ws:
                        await peer.send(out)
    finally:
        if room is not None:
            rooms.get(room, set()).discard(ws)


async def main(port: int) -> None:
    async with serve(handler, "127.0.0.1", port, max_queue=None, ping_interval=None, compression=None):
        await asyncio.Future()


if __name__ == "__main__":
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(main(int(sys.argv[1])))
