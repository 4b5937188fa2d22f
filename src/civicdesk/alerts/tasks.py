"""Sending area alerts: one email per public event to each immediate alert covering it, and
one digest a day. Only public services' reports, at the place and with the words the public
page shows (blurred to the block for block-level services; moderated text only), and each
email once (`AlertSent`, `AlertDigest`: unique, written in the sending transaction)."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from civicdesk.cases import publication
from civicdesk.cases.models import Review, TimelineEvent
from civicdesk.core import mail
from civicdesk.core.languages import AGENCY_NAME
from civicdesk.core.outbox import Outbox
from civicdesk.core.tasks import retrying_task

from .models import AlertDigest, AlertSent, AreaAlert

log = logging.getLogger("civicdesk.alerts")
KINDS = (TimelineEvent.Kind.SUBMITTED, TimelineEvent.Kind.STATUS, TimelineEvent.Kind.REOPENED,
         TimelineEvent.Kind.NOTE)
DIGEST_HOUR = 7  # local time
DIGEST_MAX = 50  # events listed in one digest (the rest: "and N more", with the link)


def _active(mode: str):
    return AreaAlert.objects.filter(mode=mode, confirmed_at__isnull=False,
                                    stopped_at__isnull=True).select_related("ward")


def _item(event: TimelineEvent) -> dict | None:
    """What the public may read of a timeline event, or None when it is not for the public."""
    req = event.request
    if not event.public or event.kind not in KINDS or not publication.is_public(req.service):
        return None
    shown = publication.shown(req, req.service)
    if shown.lat is None or shown.long is None:
        return None
    words = ""
    if shown.details:
        if event.kind == TimelineEvent.Kind.SUBMITTED:
            words = publication.public_text(req)
        elif event.review == Review.PUBLISHED:
            words = event.message
    return {"event": event, "req": req, "shown": shown, "words": words,
            "url": settings.SITE_URL + req.get_absolute_url()}


@retrying_task()
def send_confirmation(alert_id: int) -> None:
    """The link to confirm; or, for alerts already on, a note that they are (someone asked
    again) and how to change them."""
    alert = AreaAlert.objects.select_related("ward").get(pk=alert_id)
    if alert.stopped_at is not None:
        return
    kind = "already" if alert.confirmed_at is not None else "confirm"
    context = {"agency_name": AGENCY_NAME, "alert": alert,
               "confirm_url": settings.SITE_URL + reverse("alerts:confirm", args=[alert.token]),
               "stop_url": settings.SITE_URL + reverse("alerts:stop", args=[alert.token])}
    with translation.override(alert.language):
        context["area"] = alert.area_label
        subject = mail.render_text(f"alerts/email/{kind}_subject.txt", context).strip()
        body = mail.render_text(f"alerts/email/{kind}.txt", context)
    mail.send(subject=subject, body=body, to=[alert.email], language=alert.language)


def _send_once(outbox: Outbox, record, fields: dict, alert: AreaAlert, subject: str, body: str,
               stop_url: str) -> str:
    """The `record` row (AlertSent, AlertDigest), whose unique key says "sent", is written in
    the transaction that sends the email (`core/outbox.py`)."""
    return outbox.send_once(lambda: record.objects.create(alert=alert, **fields), channel="email",
                            contact=alert.email, language=alert.language, subject=subject, body=body,
                            headers=mail.unsubscribe_headers(stop_url))


@retrying_task()
def alert_event(event_id: int) -> dict:
    event = TimelineEvent.objects.select_related("request__service").filter(pk=event_id).first()
    item = _item(event) if event else None
    report = {"sent": 0, "already": 0, "failed": 0}
    if item is None:
        return report
    lat, long = item["shown"].lat, item["shown"].long
    alerts = _active(AreaAlert.Mode.IMMEDIATE).filter(
        min_lat__lte=lat, max_lat__gte=lat, min_long__lte=long, max_long__gte=long).exclude(sent__event=event)
    outbox = Outbox()
    try:
        for alert in alerts:
            if not alert.covers(lat, long):
                continue
            stop_url = settings.SITE_URL + reverse("alerts:stop", args=[alert.token])
            with translation.override(alert.language):
                context = {"agency_name": AGENCY_NAME, "alert": alert, "area": alert.area_label,
                           "item": item, "stop_url": stop_url}
                subject = mail.render_text("alerts/email/event_subject.txt", context).strip()
                body = mail.render_text("alerts/email/event.txt", context)
            outbox.can_send("email")
            report[_send_once(outbox, AlertSent, {"event": event}, alert, subject, body, stop_url)] += 1
    finally:
        outbox.close()
    return report


def schedule_digests(now: datetime | None = None) -> None:
    """Queue tomorrow morning's digests unless queued (idempotent)."""
    from django_tasks_db.models import DBTaskResult

    path = f"{daily_digests.func.__module__}.{daily_digests.func.__qualname__}"
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return
    local = timezone.localtime(now)
    at = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    at = at if at > local else at + timedelta(days=1)
    daily_digests.using(run_after=at).enqueue(at.date().isoformat())


@retrying_task()
def daily_digests(day: str) -> dict:
    """Each daily alert's digest of the public events of the day before `day`, and the next
    morning's run queued."""
    from datetime import date

    today = date.fromisoformat(day)
    start = timezone.make_aware(datetime.combine(today - timedelta(days=1), time.min))
    end = start + timedelta(days=1)
    events = (TimelineEvent.objects.filter(public=True, kind__in=KINDS, created_at__gte=start,
                                           created_at__lt=end)
              .select_related("request__service").order_by("created_at"))
    items = [i for i in (_item(e) for e in events) if i is not None]
    report = {"sent": 0, "already": 0, "failed": 0, "empty": 0}
    outbox = Outbox()
    try:
        for alert in _active(AreaAlert.Mode.DAILY).exclude(digests__day=today):
            mine = [i for i in items if alert.covers(i["shown"].lat, i["shown"].long)]
            if not mine:
                report["empty"] += 1
                continue
            stop_url = settings.SITE_URL + reverse("alerts:stop", args=[alert.token])
            with translation.override(alert.language):
                context = {"agency_name": AGENCY_NAME, "alert": alert, "area": alert.area_label,
                           "items": mine[:DIGEST_MAX], "more": max(0, len(mine) - DIGEST_MAX),
                           "count": len(mine), "day": today - timedelta(days=1), "stop_url": stop_url,
                           "list_url": settings.SITE_URL + reverse("portal:requests")}
                subject = mail.render_text("alerts/email/digest_subject.txt", context).strip()
                body = mail.render_text("alerts/email/digest.txt", context)
            outbox.can_send("email")
            report[_send_once(outbox, AlertDigest, {"day": today, "events": len(mine)}, alert, subject,
                              body, stop_url)] += 1
    finally:
        outbox.close()
        schedule_digests()  # tomorrow's, whatever happened today
    log.info("area alert digests", extra=report)
    return report
