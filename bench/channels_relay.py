"""A second ceiling for the chat benchmark: the stack CivicDesk's chat runs on (uvicorn,
Django Channels' AsyncJsonWebsocketConsumer, CivicDesk's in-memory channel layer) relaying
messages with nothing else: no database, no sign-in check, no sequence numbers. Same wire
format as bench/bare_relay.py. What separates it from the bare `websockets` relay is the
framework; what separates CivicDesk from it is CivicDesk's own work.

    python -m uvicorn --app-dir bench channels_relay:application --port PORT
"""

import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        INSTALLED_APPS=["channels"],
        # CivicDesk's own in-memory layer (Channels' with a once-a-second expiry sweep),
        # configured as CivicDesk configures it.
        CHANNEL_LAYERS={"default": {"BACKEND": "civicdesk.conversations.layers.InMemoryChannelLayer"}},
    )
    django.setup()

from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class Relay(AsyncJsonWebsocketConsumer):
    room = None

    async def receive_json(self, m, **kwargs):
        if m.get("type") in ("hello", "join"):
            self.room = "r" + m["conversation"]
            await self.channel_layer.group_add(self.room, self.channel_name)
            await self.send_json({"type": "welcome", "conversation": m["conversation"]})
        elif self.room is not None:
            m["sender"] = "resident" if m.get("type") == "message" else m.get("sender")
            await self.channel_layer.group_send(self.room, {"type": "relay", "m": m, "from": self.channel_name})

    async def relay(self, event):
        if event["from"] != self.channel_name:
            await self.send_json(event["m"])

    async def disconnect(self, code):
        if self.room is not None:
            await self.channel_layer.group_discard(self.room, self.channel_name)


application = URLRouter([path("", Relay.as_asgi())])
