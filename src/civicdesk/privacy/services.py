"""Writing the audit trail."""

from __future__ import annotations

from .models import AuditEntry


def record_access(*, actor, action: str, object_type: str, object_id: str,
                  ip: str | None = None, detail: str = "") -> AuditEntry:
    """Append one audit entry: who did what to which object, from where."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action, object_type=object_type, object_id=str(object_id), ip=ip, detail=detail[:300],
    )


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
