"""Messages about meetings, each in the resident's language: the registration with the
personal link to attend, the speaker's link to their place in the queue, a change of time or
place (or a cancellation) to everyone registered, the clerk's decision on a comment, and the
announcement of a new meeting to a body's followers (each once: `Announcement`)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from civicdesk.core import mail
from civicdesk.core.languages import AGENCY_NAME
from civicdesk.core.outbox import Outbox
from civicdesk.core.tasks import retrying_task

from .models import Announcement, BodySubscription, Comment, Meeting, Registration, Speaker

log = logging.getLogger("civicdesk.meetings")


def url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def when(meeting: Meeting) -> str:
    return formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")


def _context(meeting: Meeting, **more) -> dict:
    return {"agency_name": AGENCY_NAME, "meeting": meeting, "title": meeting.display_title,
            "body": meeting.body.display_name, "when": when(meeting),
            "page_url": url("meetings:detail", meeting.pk), **more}


@retrying_task()
def send_registration(registration_id: int) -> None:
    reg = Registration.objects.select_related("meeting__body").get(pk=registration_id)
    if reg.cancelled_at is not None:
        return
    with translation.override(reg.language):
        context = _context(reg.meeting, reg=reg, attend_url=url("meetings:attend", reg.token))
        subject = _("You are registered: %(title)s, %(when)s") % context
        body = mail.render_text("meetings/email/registered.txt", context)
    mail.send(subject=subject, body=body, to=[reg.email], language=reg.language)


@retrying_task()
def send_speaker_link(speaker_id: int) -> None:
    speaker = Speaker.objects.select_related("meeting__body", "item").get(pk=speaker_id)
    with translation.override(speaker.language):
        context = _context(speaker.meeting, speaker=speaker, queue_url=url("meetings:speaker", speaker.token),
                           item=speaker.item.display_title if speaker.item else "")
        subject = _("Your place to speak: %(title)s") % context
        body = mail.render_text("meetings/email/speaker.txt", context)
    mail.send(subject=subject, body=body, to=[speaker.email], language=speaker.language)


@retrying_task()
def send_change(meeting_id: int) -> dict:
    """The new time or place, or the cancellation, to everyone registered: once per change
    (`Registration.notified_sequence` is raised in the transaction that sends)."""
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    outbox = Outbox()
    report = {"sent": 0, "already": 0, "failed": 0}
    try:
        outbox.can_send("email")
        for reg in Registration.objects.filter(meeting=meeting, cancelled_at__isnull=True):
            def record(reg=reg):
                if not Registration.objects.filter(pk=reg.pk, notified_sequence__lt=meeting.sequence).update(
                        notified_sequence=meeting.sequence):
                    raise IntegrityError("already told of this change")
            with translation.override(reg.language):
                context = _context(meeting, reg=reg, attend_url=url("meetings:attend", reg.token),
                                   cancelled=meeting.state == Meeting.State.CANCELLED)
                subject = (_("Cancelled: %(title)s, %(when)s") if context["cancelled"]
                           else _("Changed: %(title)s, now %(when)s")) % context
                body = mail.render_text("meetings/email/changed.txt", context)
            report[outbox.send_once(record, channel="email", contact=reg.email, language=reg.language,
                                    subject=subject, body=body)] += 1
    finally:
        outbox.close()
    return report


@retrying_task()
def send_comment_decision(comment_id: int) -> None:
    comment = Comment.objects.select_related("meeting__body", "item").get(pk=comment_id)
    if comment.state == Comment.State.PENDING:
        return
    with translation.override(comment.language):
        context = _context(comment.meeting, comment=comment, item=comment.item.display_title,
                           published=comment.state == Comment.State.PUBLISHED)
        subject = (_("Your comment is published: %(title)s") if context["published"]
                   else _("Your comment was not published: %(title)s")) % context
        body = mail.render_text("meetings/email/comment.txt", context)
    mail.send(subject=subject, body=body, to=[comment.email], language=comment.language)


def _follow_links(sub: BodySubscription) -> dict:
    return {"confirm_url": url("meetings:follow_confirm", sub.token), "stop_url": url("meetings:follow_stop", sub.token)}


@retrying_task()
def send_follow_confirmation(subscription_id: int) -> None:
    sub = BodySubscription.objects.select_related("body").get(pk=subscription_id)
    if sub.stopped_at is not None:
        return
    with translation.override(sub.language):
        context = {"agency_name": AGENCY_NAME, "body": sub.body.display_name, "already": sub.active,
                   **_follow_links(sub)}
        if sub.channel == BodySubscription.Channel.SMS:
            from civicdesk.core.sms import provider

            sms = provider()
            if sms is None:
                log.warning("no SMS provider: follow confirmation not sent", extra={"subscription": sub.pk})
                return
            sms.send(sub.contact, mail.render_text("meetings/sms/follow.txt", context).strip())
            return
        subject = (_("You already follow the meetings of %(body)s") if sub.active
                   else _("Confirm: the meetings of %(body)s")) % context
        body = mail.render_text("meetings/email/follow.txt", context)
    mail.send(subject=subject, body=body, to=[sub.contact], language=sub.language)


@retrying_task()
def announce_meeting(meeting_id: int) -> dict:
    """A new meeting, to every active follower of its body, once each."""
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    report = {"sent": 0, "already": 0, "failed": 0, "skipped": 0}
    if not meeting.public or meeting.over:
        return report
    outbox = Outbox()
    try:
        for sub in BodySubscription.objects.filter(body=meeting.body, confirmed_at__isnull=False,
                                                   stopped_at__isnull=True):
            if not outbox.can_send(sub.channel):
                report["skipped"] += 1
                continue
            with translation.override(sub.language):
                context = _context(meeting, **_follow_links(sub))
                subject = _("New meeting: %(title)s, %(when)s") % context
                kind = "sms" if sub.channel == BodySubscription.Channel.SMS else "email"
                text = mail.render_text(f"meetings/{kind}/announce.txt", context)
            report[outbox.send_once(lambda sub=sub: Announcement.objects.create(subscription=sub, meeting=meeting),
                                    channel=sub.channel, contact=sub.contact, language=sub.language,
                                    text=text.strip(), subject=subject, body=text,
                                    headers=mail.unsubscribe_headers(context["stop_url"]))] += 1
    finally:
        outbox.close()
    return report
