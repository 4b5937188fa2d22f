"""A resident's area alerts in their export; erased with them."""

from django.db.models import Q
from django.dispatch import receiver

from civicdesk.privacy.signals import erasing, exporting

from .models import AreaAlert


def _theirs(resident, emails):
    return AreaAlert.objects.filter(Q(resident=resident) | Q(email__in=list(emails))).select_related("ward")


@receiver(exporting)
def _export(sender, resident, **kwargs) -> dict:
    emails = {resident.email.lower()} if resident.email else set()
    return {"area_alerts": [
        {"area": str(a.area_label), "email": a.email, "mode": a.mode, "consent": a.consent_wording,
         "consented_at": a.consented_at.isoformat(), "active": a.active} for a in _theirs(resident, emails)]}


@receiver(erasing)
def _erase(sender, resident, emails, phones, **kwargs) -> None:
    _theirs(resident, {e.lower() for e in emails}).delete()
