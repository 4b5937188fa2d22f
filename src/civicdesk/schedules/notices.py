"""Sending a published service notice to the reminder subscribers inside its area, each in
their language, by email or text, once each (the `NoticeDelivery` row is written in the
transaction that sends it; `outbox.py`)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from civicdesk.core import mail
from civicdesk.core.languages import AGENCY_NAME
from civicdesk.core.outbox import Outbox
from civicdesk.core.tasks import retrying_task

from .models import Notice, NoticeDelivery, Subscription

log = logging.getLogger("civicdesk.schedules")


@retrying_task()
def send_notice(notice_id: int) -> dict:
    notice = Notice.objects.prefetch_related("translations").filter(pk=notice_id).first()
    report = {"sent": 0, "already": 0, "failed": 0}
    if notice is None or not notice.published or notice.ends_at <= timezone.now():
        return report
    subs = (Subscription.objects.filter(confirmed_at__isnull=False, stopped_at__isnull=True,
                                        lat__gte=notice.min_lat, lat__lte=notice.max_lat,
                                        long__gte=notice.min_long, long__lte=notice.max_long)
            .exclude(notices__notice=notice).order_by("pk"))
    outbox = Outbox()
    try:
        for sub in subs.iterator(chunk_size=500):
            if notice.covers(sub.lat, sub.long) and outbox.can_send(sub.channel):
                report[_send_once(outbox, notice, sub)] += 1
    finally:
        outbox.close()
    log.info("notice sent", extra={"notice": notice_id, **report})
    return report


def _send_once(outbox: Outbox, notice: Notice, sub: Subscription) -> str:
    with translation.override(sub.language):
        notice.set_current_language(sub.language)
        stop_url = settings.SITE_URL + reverse("schedules:stop", args=[sub.token])
        title = notice.safe_translation_getter("name", any_language=True)
        body = notice.safe_translation_getter("body", any_language=True)
        context = {"agency_name": AGENCY_NAME, "notice": notice, "sub": sub, "stop_url": stop_url,
                   "title": title, "body": body}
        text = subject = message = ""
        if sub.channel == Subscription.Channel.SMS:
            # the words are shortened, never the stop link at the end
            context["body"] = Truncator(body).chars(max(60, 400 - len(title) - len(stop_url)))
            text = mail.render_text("schedules/sms/notice.txt", context).strip()
        else:
            subject = mail.render_text("schedules/email/notice_subject.txt", context).strip()
            message = mail.render_text("schedules/email/notice.txt", context)
    return outbox.send_once(lambda: NoticeDelivery.objects.create(notice=notice, subscription=sub),
                            channel=sub.channel, contact=sub.contact, language=sub.language, text=text,
                            subject=subject, body=message, headers=mail.unsubscribe_headers(stop_url))
