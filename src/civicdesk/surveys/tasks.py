"""Survey invitations by email. Tasks take IDs and are safe to retry."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from civicdesk.core.tasks import retrying_task

from . import services
from .models import Invitation, Survey

logger = logging.getLogger("civicdesk.surveys")


@retrying_task()
def invite_after_resolution(request_id: int) -> bool:
    """A resolved request: email its submitter the survey tied to resolutions, once."""
    from civicdesk.cases.models import ServiceRequest, Status

    req = ServiceRequest.objects.select_related("service", "department", "resident").get(pk=request_id)
    if req.status != Status.RESOLVED or not req.contact_email:
        return False
    if Invitation.objects.filter(request=req).exists():
        return False  # once per request, whatever the retries
    survey = Survey.objects.filter(trigger=Survey.Trigger.REQUEST_RESOLVED, active=True).first()
    if survey is None:
        return False
    with transaction.atomic():
        made = services.invite(survey, channel=req.channel, request=req, resident=req.resident,
                               email=req.contact_email, language=req.language)
        if made is None:
            logger.info("no survey: consent or frequency cap", extra={"request": req.public_id})
            return False
        inv, token = made
        url = settings.SITE_URL + reverse("surveys:answer", args=[token])
        context = {"req": req, "url": url, "agency_name": settings.CIVICDESK_AGENCY_NAME,
                   "days": settings.CIVICDESK_SURVEY_LINK_DAYS}
        with translation.override(req.language):
            subject = render_to_string("surveys/email/invite_subject.txt", context).strip()
            body = render_to_string("surveys/email/invite.txt", context)
        EmailMessage(subject=subject, body=body, to=[req.contact_email]).send()
        inv.sent_at = timezone.now()
        inv.save(update_fields=["sent_at"])
    return True
