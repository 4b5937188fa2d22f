"""The live page's socket: `ws/meetings/<id>/`. Read-only: on connect it sends the meeting's
live state (current item, speaker queue: `selectors.live_state`), then every change the
clerk makes (`services.publish_state`). It carries nothing private, so it needs no sign-in;
a meeting that is not public is refused."""

from __future__ import annotations

import time

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import close_old_connections

from civicdesk.core import metrics

from . import selectors, services
from .models import Meeting

REFRESH_EVERY = 5.0  # seconds


def _state(pk: int) -> dict | None:
    close_old_connections()
    try:
        if not Meeting.objects.filter(selectors.PUBLIC, pk=pk).exists():
            return None
        return selectors.live_state(pk)
    finally:
        close_old_connections()


class MeetingConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.meeting = int(self.scope["url_route"]["kwargs"]["pk"])
        self.refreshed = time.monotonic()
        state = await sync_to_async(_state, thread_sensitive=False)(self.meeting)
        if state is None:
            await self.close(code=4404)
            return
        await self.accept()
        metrics.socket_opened("meeting")
        self.counted = True
        await self.channel_layer.group_add(services.group(self.meeting), self.channel_name)
        await self.send_json(state)

    async def disconnect(self, code):
        if getattr(self, "counted", False):
            metrics.socket_closed("meeting")
            self.counted = False
            try:
                await self.channel_layer.group_discard(services.group(self.meeting), self.channel_name)
            except Exception:  # noqa: BLE001, S110 - the layer is away; the subscription went with it
                pass

    async def receive_json(self, content, **kwargs):
        """{"type": "refresh"} asks for the state again, at most once every few seconds."""
        now = time.monotonic()
        if isinstance(content, dict) and content.get("type") == "refresh" and now - self.refreshed > REFRESH_EVERY:
            self.refreshed = now
            state = await sync_to_async(_state, thread_sensitive=False)(self.meeting)
            if state is not None:
                await self.send_json(state)

    async def relay(self, event):
        await self.send_json(event["payload"])
