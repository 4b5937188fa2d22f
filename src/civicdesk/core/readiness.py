"""What a server process is still preparing before it should take traffic: /readyz answers
503 while anything is (the assistant warming its engine at startup, say), so a load
balancer sends the first resident to a process that can answer at once. A preparation that
runs past its limit no longer holds readiness back (it is logged by whoever runs it).

Lower layers cannot import the ones that prepare, so they register here by name."""

from __future__ import annotations

import threading
import time

_lock = threading.Lock()
_pending: dict[str, float] = {}  # name -> monotonic deadline


def preparing(name: str, limit_s: float = 300.0) -> None:
    with _lock:
        _pending[name] = time.monotonic() + limit_s


def done(name: str) -> None:
    with _lock:
        _pending.pop(name, None)


def pending() -> list[str]:
    now = time.monotonic()
    with _lock:
        return sorted(name for name, deadline in _pending.items() if deadline > now)
