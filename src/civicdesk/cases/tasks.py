"""Notification tasks for service requests. They take IDs and are safe to retry."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from civicdesk.core import mail
from civicdesk.core.languages import AGENCY_NAME
from civicdesk.core.tasks import retrying_task

from .models import Follower, Notification, Review, TimelineEvent

logger = logging.getLogger("civicdesk.cases")


def _send_once(*, event: TimelineEvent, email: str, language: str, template: str, context: dict) -> bool:
    """Send one email about one event at most once, even across retries and workers."""
    context = {"agency_name": AGENCY_NAME, **context}
    try:
        with transaction.atomic():
            Notification.objects.create(event=event, email=email)
            with translation.override(language):
                subject = mail.render_text(f"cases/email/{template}_subject.txt", context).strip()
                body = mail.render_text(f"cases/email/{template}.txt", context)
            mail.send(subject=subject, body=body, to=[email], language=language,
                      headers={"Message-ID": mail.stable_message_id("request", event.pk, email)})
    except IntegrityError:
        return False  # already sent by an earlier attempt
    return True


@retrying_task()
def notify_request_event(event_id: int) -> int:
    """Email the submitter and confirmed followers about one public timeline event."""
    from .services import access_token_for, contact_token_for

    event = TimelineEvent.objects.select_related("request__service", "request__department").get(pk=event_id)
    if not event.public:
        return 0
    req = event.request
    case_url = settings.SITE_URL + reverse("portal:request", args=[req.public_id])
    sent = 0
    from civicdesk.privacy.data_rights import Purpose, has_consent

    # Giving an email on the form is consent to be contacted about the request, unless the
    # resident has since said no on their account page.
    if req.contact_confirmed and has_consent(req.resident, Purpose.CONTACT, default=True):
        private_url = f"{case_url}?key={access_token_for(req)}"
        template = "created" if event.kind == TimelineEvent.Kind.SUBMITTED else "update"
        sent += _send_once(event=event, email=req.contact_email, language=req.message_language, template=template,
                           context={"req": req, "event": event, "message": event.message, "case_url": private_url,
                                    "submitter": True})
    elif req.contact_email and event.kind == TimelineEvent.Kind.SUBMITTED:
        # An address typed on a form may be anybody's: it is asked once whether it is the
        # filer's, with no private link, and hears nothing more unless it says yes.
        confirm_url = settings.SITE_URL + reverse("portal:confirm_contact",
                                                  args=[req.public_id, contact_token_for(req)])
        sent += _send_once(event=event, email=req.contact_email, language=req.message_language, template="confirm_contact",
                           context={"req": req, "confirm_url": confirm_url})
    if event.kind != TimelineEvent.Kind.SUBMITTED:
        # A follower may be anybody: they read what the public page shows, no more.
        from .publication import shown

        words = event.message if shown(req, req.service).details and event.review == Review.PUBLISHED else ""
        for follower in Follower.objects.filter(request=req, confirmed_at__isnull=False).exclude(email=req.contact_email):
            unfollow_url = settings.SITE_URL + reverse("portal:unfollow", args=[follower.token])
            sent += _send_once(event=event, email=follower.email, language=follower.language, template="update",
                               context={"req": req, "event": event, "message": words, "case_url": case_url,
                                        "unfollow_url": unfollow_url, "submitter": False})
    logger.info("notified %s recipients", sent, extra={"event_id": event_id})
    return sent


@retrying_task()
def send_follow_confirmation(follower_id: int) -> None:
    follower = Follower.objects.select_related("request__service").get(pk=follower_id)
    confirm_url = settings.SITE_URL + reverse("portal:confirm_follow", args=[follower.token])
    with translation.override(follower.language):
        subject = mail.render_text("cases/email/follow_confirm_subject.txt", {"req": follower.request}).strip()
        body = mail.render_text("cases/email/follow_confirm.txt",
                                {"req": follower.request, "confirm_url": confirm_url})
    mail.send(subject=subject, body=body, to=[follower.email], language=follower.language)


@retrying_task()
def alert_on_call(event_id: int) -> int:
    """A priority rule made a request urgent: email and text the department's on-call
    contacts now, each at most once across retries, and say on the (internal) timeline who
    was alerted. A failed text is retried with the task; a missing SMS provider is noted."""
    from civicdesk.core.sms import provider

    event = TimelineEvent.objects.select_related("request__service", "request__department").get(pk=event_id)
    req = event.request
    emails, phones = req.department.on_call
    staff_url = settings.SITE_URL + reverse("console:request", args=[req.public_id])
    context = {"req": req, "event": event, "staff_url": staff_url}
    sent_to = []
    for email in emails:
        if _send_once(event=event, email=email, language=settings.LANGUAGE_CODE, template="on_call",
                      context=context):
            sent_to.append(email)
    sms = provider()
    text = (f"{settings.CIVICDESK_AGENCY_NAME}: URGENT {req.service.name} {req.public_id} at "
            f"{req.address or f'{req.lat}, {req.long}'}. {staff_url}")[:320]
    for phone in phones if sms is not None else []:
        try:
            with transaction.atomic():
                Notification.objects.create(event=event, email=f"sms:{phone}"[:254])
                sms.send(phone, text)
            sent_to.append(phone)
        except IntegrityError:
            continue  # texted by an earlier attempt
    if sent_to or (phones and sms is None):
        note = "On-call alerted: " + (", ".join(sent_to) or "nobody")
        if phones and sms is None:
            note += ". No text sent: SMS is not configured (CIVICDESK_SMS_API_URL)."
        TimelineEvent.objects.create(request=req, kind=TimelineEvent.Kind.NOTE, public=False,
                                     actor_label="CivicDesk", message=note)
    logger.info("on-call alert sent to %s", len(sent_to), extra={"event_id": event_id})
    return len(sent_to)


@retrying_task()
def send_escalation(event_id: int) -> int:
    """Email the department's supervisors about a request about to be late, each once."""
    from .escalation import supervisors_of

    event = TimelineEvent.objects.select_related("request__service", "request__department").get(pk=event_id)
    req = event.request
    context = {"req": req, "event": event,
               "staff_url": settings.SITE_URL + reverse("console:request", args=[req.public_id])}
    sent = 0
    for user in supervisors_of(req.department):
        sent += _send_once(event=event, email=user.email, language=user.language or settings.LANGUAGE_CODE,
                           template="escalation", context=context)
    return sent


@task()
def check_targets() -> int:
    """Escalate the requests about to miss their target, then come back in a few minutes."""
    from .escalation import escalate_due

    try:
        return len(escalate_due())
    finally:
        schedule_target_checks(delay=True)  # whatever happened this time, the next check comes


def schedule_target_checks(delay: bool = False) -> None:
    """Queue the check unless one is already queued (deployments and the demo call this)."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    path = f"{check_targets.func.__module__}.{check_targets.func.__qualname__}"
    if not DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        when = timezone.now() + timedelta(minutes=settings.CIVICDESK_SLA_CHECK_MINUTES if delay else 0)
        check_targets.using(run_after=when).enqueue()
