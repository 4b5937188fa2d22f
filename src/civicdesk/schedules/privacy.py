"""A resident's reminder subscriptions in their export; erased with them."""

from django.db.models import Q
from django.dispatch import receiver

from civicdesk.privacy.signals import erasing, exporting

from .models import Subscription


def _theirs(resident, contacts):
    return Subscription.objects.filter(Q(resident=resident) | Q(contact__in=list(contacts)))


@receiver(exporting)
def _export(sender, resident, **kwargs) -> dict:
    contacts = {c for c in [(resident.email or "").lower(), resident.phone] if c}
    return {"collection_reminders": [
        {"address": s.address_label, "channel": s.channel, "contact": s.contact, "consent": s.consent_wording,
         "consented_at": s.consented_at.isoformat(), "active": s.active} for s in _theirs(resident, contacts)]}


@receiver(erasing)
def _erase(sender, resident, emails, phones, **kwargs) -> None:
    _theirs(resident, {e.lower() for e in emails} | set(phones)).delete()
