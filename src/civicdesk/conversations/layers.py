"""The in-memory channel layer for one-process installs (no REDIS_URL)."""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer as _Upstream


class InMemoryChannelLayer(_Upstream):
    """Channels' in-memory layer, sweeping expired messages and group memberships at most
    once a second.

    Upstream sweeps every channel and every group on each send, receive and group send:
    with thousands of open chats that walk was a third of the process's CPU per relayed
    message (py-spy on bench/ws_bench.py). Expiry is a safety net measured in minutes
    (messages nobody read, memberships of dead connections), so a second late costs nothing.
    """

    sweep_interval = 1.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._swept_at = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._swept_at < self.sweep_interval:
            return
        self._swept_at = now
        super()._clean_expired()
