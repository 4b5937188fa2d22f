"""Writing and checking the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import GENESIS, AuditEntry

# One visit: the conversation page and its live connection (and the reconnections that
# follow a network drop) are one access to the conversation, not one entry each.
VISIT = timedelta(minutes=10)


def record_access(*, actor, action: str, object_type: str, object_id: str,
                  ip: str | None = None, detail: str = "", once_within: timedelta | None = None) -> AuditEntry:
    """Append one audit entry: who did what to which object, from where.

    The last entry is locked while the new one is chained to it, so concurrent writers
    queue instead of forking the chain. With `once_within`, the same person doing the same
    to the same object from the same address (and for the same reason) again within that
    time adds nothing (the earlier entry stands).
    """
    user = actor if actor is not None and actor.is_authenticated else None
    if once_within is not None and user is not None:
        earlier = AuditEntry.objects.filter(
            object_type=object_type[:40], object_id=str(object_id)[:40], actor=user, action=action[:40],
            ip=ip or None, detail=(detail or "")[:300], at__gte=timezone.now() - once_within).order_by("-id").first()
        if earlier is not None:
            return earlier
    with transaction.atomic():
        last = AuditEntry.objects.select_for_update().order_by("-id").only("hash").first()
        entry = AuditEntry(actor=user, actor_label=user.get_username() if user else "", action=action[:40],
                           object_type=object_type[:40], object_id=str(object_id)[:40], ip=ip or None,
                           detail=(detail or "")[:300], at=timezone.now(), prev_hash=last.hash if last else GENESIS)
        entry.hash = entry.compute_hash()
        entry.save()
    return entry


@dataclass
class ChainReport:
    checked: int
    first_broken_id: int | None
    reason: str = ""


def verify_chain(batch: int = 5000) -> ChainReport:
    """Walk the chain in id order; report the first entry whose links do not hold."""
    previous = None
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return ChainReport(checked, None)
        for e in rows:
            if previous is not None and e.prev_hash != previous:
                return ChainReport(checked, e.id, "does not point at the entry before it (an entry was removed or inserted)")
            if e.hash != e.compute_hash():
                return ChainReport(checked, e.id, "its content does not match its hash (it was edited)")
            previous = e.hash
            checked += 1
            last_id = e.id


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
