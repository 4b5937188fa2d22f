"""A resident's meeting data in their export, and what an erasure does to it.

Erasure removes registrations (with any interpretation or accommodation asked for), follows
of a body, and the contact details of speakers and comment writers. A published comment is
part of the meeting's public record (what the members read before deciding), so its words
stay, under "A resident" instead of the name it was published with; a comment not
published loses its words too."""

from __future__ import annotations

from django.db.models import Q
from django.dispatch import receiver

from civicdesk.privacy.signals import erasing, exporting

from .models import BodySubscription, Comment, Registration, Speaker

REMOVED = "[removed at the resident's request]"


def _mine(model, resident, emails, field="email"):
    q = Q(resident=resident) | Q(**{f"{field}__in": list(emails)}) if emails else Q(resident=resident)
    return model.objects.filter(q)


@receiver(exporting)
def _export(sender, resident, **kwargs) -> dict:
    emails = {resident.email.lower()} if resident.email else set()
    return {"meetings": {
        "registrations": [{"meeting": r.meeting.display_title, "starts_at": r.meeting.starts_at.isoformat(),
                           "name": r.name, "email": r.email, "attend": r.attend, "interpretation": r.interpretation,
                           "accommodation": r.accommodation, "registered_at": r.created_at.isoformat(),
                           "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None}
                          for r in _mine(Registration, resident, emails).select_related("meeting")],
        "comments": [{"meeting": c.meeting.display_title, "item": c.item.display_title, "name": c.public_name,
                      "email": c.email, "position": c.position, "comment": c.body, "state": c.state,
                      "sent_at": c.submitted_at.isoformat()}
                     for c in _mine(Comment, resident, emails).select_related("meeting", "item")],
        "speakers": [{"meeting": s.meeting.display_title, "name": s.public_name, "email": s.email, "phone": s.phone,
                      "state": s.state, "signed_up_at": s.signed_up_at.isoformat()}
                     for s in _mine(Speaker, resident, emails).select_related("meeting")],
        "follows": [{"body": f.body.display_name, "channel": f.channel, "contact": f.contact,
                     "consent": f.consent_wording, "consented_at": f.consented_at.isoformat(), "active": f.active}
                    for f in BodySubscription.objects.filter(
                        Q(resident=resident) | Q(contact__in=list(emails))).select_related("body")],
    }}


@receiver(erasing)
def _erase(sender, resident, emails, phones, **kwargs) -> None:
    emails = {e.lower() for e in emails}
    _mine(Registration, resident, emails).delete()
    BodySubscription.objects.filter(Q(resident=resident) | Q(contact__in=list(emails | set(phones)))).delete()
    comments = _mine(Comment, resident, emails)
    comments.exclude(state=Comment.State.PUBLISHED).update(body=REMOVED)
    comments.update(email="", public_name="", resident=None)
    speakers = _mine(Speaker, resident, emails) | Speaker.objects.filter(phone__in=list(phones))
    speakers.update(email="", phone="", public_name="", resident=None)
