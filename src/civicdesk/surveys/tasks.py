"""Survey invitations by email. Tasks take IDs and are safe to retry."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from civicdesk.core import mail
from civicdesk.core.languages import AGENCY_NAME, agency_name
from civicdesk.core.tasks import retrying_task

from . import services
from .models import Invitation, Survey

logger = logging.getLogger("civicdesk.surveys")


def _by_text(req) -> bool:
    """Invite by text message when SMS is configured, the submitter gave a phone, and they
    gave no email, asked to be reached by text, or reported by text."""
    from civicdesk.core.sms import provider

    if not req.contact_phone or provider() is None:
        return False
    prefers_sms = req.resident is not None and req.resident.preferred_channel == "sms"
    return not req.contact_confirmed or prefers_sms or req.channel == "sms"


@retrying_task()
def invite_after_resolution(request_id: int) -> bool:
    """A resolved request: invite its submitter to the survey tied to resolutions, once, by
    email (a signed single-use link) or by text message."""
    from civicdesk.cases.models import ServiceRequest, Status

    req = ServiceRequest.objects.select_related("service", "department", "resident").get(pk=request_id)
    sms = _by_text(req)
    # Only an address its owner confirmed (docs/security.md): a typed one may be anybody's.
    email = req.contact_email if req.contact_confirmed else ""
    if req.status != Status.RESOLVED or not (email or sms):
        return False
    if Invitation.objects.filter(request=req).exists():
        return False  # once per request, whatever the retries
    survey = Survey.objects.filter(trigger=Survey.Trigger.REQUEST_RESOLVED, active=True).first()
    if survey is None:
        return False
    with transaction.atomic():
        made = services.invite(survey, channel=req.channel, request=req, resident=req.resident,
                               email=email, phone=req.contact_phone if sms else "",
                               language=req.message_language)
        if made is None:
            logger.info("no survey: consent or frequency cap", extra={"request": req.public_id})
            return False
        inv, token = made
        url = settings.SITE_URL + reverse("surveys:answer", args=[token])
        context = {"req": req, "url": url, "agency_name": AGENCY_NAME,
                   "days": settings.CIVICDESK_SURVEY_LINK_DAYS}
        with translation.override(req.message_language):
            if sms:
                text = _("%(agency)s: your request %(id)s is resolved. How did we do? One minute: %(url)s") % {
                    "agency": agency_name(), "id": req.public_id, "url": url}
            else:
                subject = mail.render_text("surveys/email/invite_subject.txt", context).strip()
                body = mail.render_text("surveys/email/invite.txt", context)
        if sms:  # an error here rolls the invitation back; the task retries later
            from civicdesk.core.sms import provider

            provider().send(req.contact_phone, text)
        else:
            mail.send(subject=subject, body=body, to=[email], language=req.message_language)
        inv.sent_at, inv.sent_via = timezone.now(), "sms" if sms else "email"
        inv.save(update_fields=["sent_at", "sent_via"])
    return True


@task()
def refresh_figures() -> None:
    """Precompute the public performance page and the dashboard's default views (last 90
    days: all departments, and each department) into the shared cache, then run again in
    CIVICDESK_FIGURES_REFRESH_MINUTES. With Redis as the cache (any multi-process install)
    no visitor waits for the live queries on these views; the pages say when they were computed."""
    from . import figures

    figures.refresh_defaults()
    schedule_refresh(delay=True)


def schedule_refresh(delay: bool = False) -> None:
    """Queue the refresh unless one is already queued (the demo and deployments call this)."""
    from django_tasks_db.models import DBTaskResult

    path = f"{refresh_figures.func.__module__}.{refresh_figures.func.__qualname__}"
    if not DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        when = timezone.now() + timedelta(minutes=settings.CIVICDESK_FIGURES_REFRESH_MINUTES if delay else 0)
        refresh_figures.using(run_after=when).enqueue()
