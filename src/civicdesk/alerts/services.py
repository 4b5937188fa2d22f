"""Following an area: subscribing, confirming, stopping; and queueing the alerts of a public
timeline event (a receiver of `cases.signals.public_event`)."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils.translation import gettext as _

from civicdesk.cases.signals import public_event
from civicdesk.core.geo import bounding_box
from civicdesk.core.tasks import enqueue_on_commit

from .models import AreaAlert

RADII = (250, 500, 1000)  # metres a resident can choose


class AlertError(ValueError):
    pass


def consent_wording(mode: str) -> str:
    if mode == AreaAlert.Mode.IMMEDIATE:
        return _("Email me about each new public report and update in this area. I can stop at any time.")
    return _("Email me once a day about new public reports and updates in this area. I can stop at any time.")


def subscribe(*, email: str, language: str, mode: str, address=None, radius_m: int | None = None,
              ward=None, resident=None, consent: bool) -> tuple[AreaAlert, bool]:
    """(alert, needs confirmation). Asking again for the same area and email updates it."""
    if not consent:
        raise AlertError(_("Tick the box to agree to receive these emails."))
    email = email.strip().lower()
    if ward is not None:
        fields = {"ward": ward, "address_ref": "", "address_label": "", "lat": None, "long": None,
                  "radius_m": None, "min_lat": ward.min_lat, "max_lat": ward.max_lat,
                  "min_long": ward.min_long, "max_long": ward.max_long}
        key = f"ward:{ward.pk}"
    else:
        s, n, w, e = bounding_box(address.lat, address.long, radius_m)
        fields = {"ward": None, "address_ref": address.ref, "address_label": address.label,
                  "lat": address.lat, "long": address.long, "radius_m": radius_m,
                  "min_lat": s, "max_lat": n, "min_long": w, "max_long": e}
        key = f"{address.ref}:{radius_m}"
    from civicdesk.core.optin import ask

    from .tasks import send_confirmation

    return ask(AreaAlert, key={"email": email, "area_key": key}, fields={**fields, "mode": mode},
               language=language, wording=consent_wording(mode), resident=resident,
               own=resident is not None and email == (resident.email or "").lower(),
               send_confirmation=send_confirmation)


@receiver(public_event)
def _event(sender, event, **kwargs) -> None:
    """An immediate alert per public event; the daily digest reads the timeline itself."""
    if AreaAlert.objects.filter(mode=AreaAlert.Mode.IMMEDIATE, confirmed_at__isnull=False,
                                stopped_at__isnull=True).exists():
        from .tasks import alert_event

        enqueue_on_commit(alert_event, event.pk)
