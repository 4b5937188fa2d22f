"""A per-process, read-only snapshot of the active catalog.

Every request form, API submission and assistant turn needs a service with its
department, business hours and questions: four queries that return the same rows all
day. The snapshot loads the whole active catalog, with its texts in every language, in a
few queries and keeps it for
``CIVICDESK_CATALOG_TTL`` seconds (default 10). Saving or deleting a department, service,
question or business-hours row clears it at once in this process; other processes see
the change within the TTL.

The objects are shared between threads: treat them as read-only.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.http import Http404

from .models import BusinessHours, Department, PriorityRule, Service, ServiceQuestion

_lock = threading.Lock()
_state: dict = {"expires": 0.0, "services": {}, "by_id": {}}


def _load() -> dict[str, Service]:
    qs = (Service.objects.filter(active=True).select_related("department")
          .prefetch_related("translations", "department__translations", "questions__translations",
                            "department__hours", "priority_rules__question__translations"))
    return {s.service_code: s for s in qs}


def active_services() -> dict[str, Service]:
    """Active services by service code, with department, hours, questions and priority rules loaded."""
    now = time.monotonic()
    if _state["expires"] > now:
        return _state["services"]
    with _lock:
        if _state["expires"] <= now:
            services = _load()
            _state["services"] = services
            _state["by_id"] = {s.pk: s for s in services.values()}
            _state["expires"] = now + getattr(settings, "CIVICDESK_CATALOG_TTL", 10)
    return _state["services"]


def active_service(code: str) -> Service | None:
    return active_services().get(code)


def active_service_by_id(pk: int) -> Service | None:
    active_services()
    return _state["by_id"].get(pk)


def active_service_or_404(code: str) -> Service:
    service = active_service(code)
    if service is None:
        raise Http404("No such service")
    return service


def clear(**_kwargs) -> None:
    _state["expires"] = 0.0


_translations = tuple(m._parler_meta.root_model for m in (Department, Service, ServiceQuestion))
for _model in (Department, Service, ServiceQuestion, BusinessHours, PriorityRule, *_translations):
    post_save.connect(clear, sender=_model, dispatch_uid=f"catalog-snapshot-save-{_model.__name__}")
    post_delete.connect(clear, sender=_model, dispatch_uid=f"catalog-snapshot-delete-{_model.__name__}")
