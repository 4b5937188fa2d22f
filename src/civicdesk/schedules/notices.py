"""Sending a published service notice to the reminder subscribers inside its area, each in
their language, by email or text, once each (the `NoticeDelivery` row is written in the
transaction that sends it)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from civicdesk.core import mail
from civicdesk.core.languages import AGENCY_NAME
from civicdesk.core.tasks import retrying_task

from .models import Notice, NoticeDelivery, Subscription

log = logging.getLogger("civicdesk.schedules")


@retrying_task()
def send_notice(notice_id: int) -> dict:
    notice = Notice.objects.prefetch_related("translations").filter(pk=notice_id).first()
    report = {"sent": 0, "already": 0}
    if notice is None or not notice.published or notice.ends_at <= timezone.now():
        return report
    subs = (Subscription.objects.filter(confirmed_at__isnull=False, stopped_at__isnull=True,
                                        lat__gte=notice.min_lat, lat__lte=notice.max_lat,
                                        long__gte=notice.min_long, long__lte=notice.max_long)
            .exclude(notices__notice=notice).order_by("pk"))
    connection, sms = None, None
    try:
        for sub in subs.iterator(chunk_size=500):
            if not notice.covers(sub.lat, sub.long):
                continue
            if sub.channel == Subscription.Channel.SMS:
                if sms is None:
                    from civicdesk.core.sms import provider

                    sms = provider() or False
                if sms is False:
                    continue
            elif connection is None:
                connection = get_connection()
                connection.open()
            report["sent" if _send_once(notice, sub, connection, sms) else "already"] += 1
    finally:
        if connection is not None:
            connection.close()
    log.info("notice sent", extra={"notice": notice_id, **report})
    return report


def _send_once(notice: Notice, sub: Subscription, connection, sms) -> bool:
    with translation.override(sub.language):
        notice.set_current_language(sub.language)
        stop_url = settings.SITE_URL + reverse("schedules:stop", args=[sub.token])
        context = {"agency_name": AGENCY_NAME, "notice": notice, "sub": sub, "stop_url": stop_url,
                   "title": notice.safe_translation_getter("name", any_language=True),
                   "body": notice.safe_translation_getter("body", any_language=True)}
        if sms:
            text = mail.render_text("schedules/sms/notice.txt", context).strip()[:480]
        else:
            subject = mail.render_text("schedules/email/notice_subject.txt", context).strip()
            body = mail.render_text("schedules/email/notice.txt", context)
    try:
        with transaction.atomic():
            NoticeDelivery.objects.create(notice=notice, subscription=sub)
            if sms:
                sms.send(sub.contact, text)
            else:
                mail.send(subject=subject, body=body, to=[sub.contact], language=sub.language,
                          connection=connection, headers=mail.unsubscribe_headers(stop_url))
    except IntegrityError:
        return False
    return True
