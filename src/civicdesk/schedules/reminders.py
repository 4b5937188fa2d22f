"""Reminders the evening before a collection or sweeping day: subscribing, confirming,
stopping, and the worker's run.

The run for a day starts at `CIVICDESK_REMINDER_HOUR` the evening before (a task that
queues the next evening's run as it starts). It splits the active subscriptions into
batches of `BATCH` by id, one task each, so two workers share a large run and a worker that
dies loses at most one batch's progress, which `manage.py worker` queues again when it
comes back. Each message is sent at most once per subscription and day: the `Reminder` row
is written in the same transaction that sends it, under a unique key, so a batch run again
skips whoever already has theirs. (The one window left is a worker killed after the mail
server accepted a message and before the row committed, well under a millisecond; that
message carries the same Message-ID when it is sent again, so mail clients show it once.)

Quiet hours: a batch that runs during them sends nothing and says so in the log; a reminder
that arrives at 2 a.m. is worse than none.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicdesk.core import mail
from civicdesk.core.languages import AGENCY_NAME
from civicdesk.core.outbox import Outbox
from civicdesk.core.tasks import enqueue_on_commit, retrying_task

from . import recurrence, selectors
from .models import Reminder, Subscription

log = logging.getLogger("civicdesk.schedules")

BATCH = 500


class SubscriptionError(ValueError):
    """What is wrong with a subscription, in words for the resident."""


def consent_wording(channel: str) -> str:
    if channel == Subscription.Channel.SMS:
        return _("Text me the evening before my collection days. Message and data rates may "
                 "apply. I can stop at any time.")
    return _("Email me the evening before my collection days. I can stop at any time.")


@dataclass
class Subscribed:
    subscription: Subscription
    created: bool
    needs_confirmation: bool
    services: list = field(default_factory=list)


def subscribe(*, address, channel: str, contact: str, language: str, services=(),
              resident=None, consent: bool) -> Subscribed:
    """Ask for reminders at an address (a register `Candidate`). Asking again with the same
    address and contact is the same subscription: one never confirmed or stopped is updated
    and confirmed again; one that is on is left as it is (its owner is told)."""
    from civicdesk.core.sms import normalise_phone, textable

    if not consent:
        raise SubscriptionError(_("Tick the box to agree to receive reminders."))
    if channel == Subscription.Channel.SMS:
        contact = normalise_phone(contact)
        if not contact:
            raise SubscriptionError(_("Enter a mobile phone number with its area code, for "
                                      "example (555) 555-0100."))
        if not textable(contact):
            raise SubscriptionError(_("We can send texts only to mobile numbers in this country. "
                                      "Choose email instead."))
    else:
        contact = contact.strip().lower()
    from civicdesk.core.optin import ask

    own_email = (resident is not None and channel == Subscription.Channel.EMAIL
                 and contact == (resident.email or "").lower())
    changed = []
    sub, needs = ask(Subscription, key={"address_ref": address.ref, "channel": channel, "contact": contact},
                     fields={"address_label": address.label, "lat": address.lat, "long": address.long},
                     language=language, wording=consent_wording(channel), own=own_email, resident=resident,
                     send_confirmation=send_confirmation,
                     then=lambda s: (s.services.set(list(services)), changed.append(s)))
    # Asked again for reminders that are on (perhaps by their owner, perhaps by someone
    # testing whether this contact lives here): nothing changed, and the page says what it
    # says to anyone ("check your email"); the owner hears that they already get them.
    return Subscribed(sub, bool(changed), needs, list(services) if changed else [])


def stop_number(phone: str) -> int:
    """A text message saying STOP: every text subscription of that number ends."""
    from civicdesk.core.sms import normalise_phone

    return Subscription.objects.filter(
        channel=Subscription.Channel.SMS, contact=normalise_phone(phone) or phone,
        stopped_at__isnull=True).update(stopped_at=timezone.now())


def _url(name: str, token: str) -> str:
    return settings.SITE_URL + reverse(name, args=[token])


@retrying_task()
def send_confirmation(subscription_id: int) -> None:
    """The link to confirm; or, for reminders already on, a note that they are (someone
    asked again) and how to change them."""
    sub = Subscription.objects.get(pk=subscription_id)
    if sub.stopped_at is not None:
        return
    kind = "already" if sub.confirmed_at is not None else "confirm"
    context = {"agency_name": AGENCY_NAME, "sub": sub,
               "confirm_url": _url("schedules:confirm", sub.token), "stop_url": _url("schedules:stop", sub.token)}
    with translation.override(sub.language):
        if sub.channel == Subscription.Channel.SMS:
            from civicdesk.core.sms import provider

            sms = provider()
            if sms is None:
                log.warning("no SMS provider: reminder confirmation not sent",
                            extra={"subscription": sub.pk})
                return
            sms.send(sub.contact, mail.render_text(f"schedules/sms/{kind}.txt", context).strip())
            return
        subject = mail.render_text(f"schedules/email/{kind}_subject.txt", context).strip()
        body = mail.render_text(f"schedules/email/{kind}.txt", context)
    mail.send(subject=subject, body=body, to=[sub.contact], language=sub.language)


# --- the run -------------------------------------------------------------------------------
def quiet(now: datetime | None = None) -> bool:
    """Whether local time is inside the quiet hours ("21-8": 21:00 until 08:00)."""
    spec = settings.CIVICDESK_QUIET_HOURS.strip()
    if not spec:
        return False
    start, end = (int(x) for x in spec.split("-"))
    hour = timezone.localtime(now).hour
    return (start <= hour or hour < end) if start > end else (start <= hour < end)


def _due(day: date) -> dict[int, recurrence.Day]:
    """Zone id → the collection day on `day` (moved days included, cancelled ones not)."""
    out = {}
    for zone in selectors.memory.current().zones:
        # a holiday shift can move the day before onto `day`: look a week each way
        found = recurrence.days(zone.rule, day - timedelta(days=7), day + timedelta(days=8),
                                selectors.changes_for(zone.service))
        for d in found:
            if d.date == day:
                out[zone.pk] = d
    return out


def next_run_at(now: datetime | None = None) -> datetime:
    """The next evening at the reminder hour (local time)."""
    local = timezone.localtime(now)
    at = local.replace(hour=settings.CIVICDESK_REMINDER_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + timedelta(days=1)


def schedule_next(now: datetime | None = None) -> None:
    """Queue the next evening's run unless one is queued already (idempotent)."""
    from django_tasks_db.models import DBTaskResult

    path = f"{reminder_run.func.__module__}.{reminder_run.func.__qualname__}"
    if not DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        at = next_run_at(now)
        # the day is fixed now: a run held up past midnight still reminds of that day
        reminder_run.using(run_after=at).enqueue((timezone.localtime(at).date() + timedelta(days=1)).isoformat(),
                                                 queued=True)


@retrying_task()
def reminder_run(day: str = "", queued: bool = False) -> dict:
    """Split `day`'s reminders (tomorrow's by default) into batch tasks; a run queued by
    `schedule_next` queues the next evening's."""
    target = date.fromisoformat(day) if day else timezone.localdate() + timedelta(days=1)
    ids = list(Subscription.objects.filter(confirmed_at__isnull=False, stopped_at__isnull=True)
               .order_by("pk").values_list("pk", flat=True))
    batches = [(ids[i], ids[min(i + BATCH, len(ids)) - 1]) for i in range(0, len(ids), BATCH)]
    with transaction.atomic():
        for first, last in batches:
            enqueue_on_commit(reminder_batch, target.isoformat(), first, last)
    if queued or not day:
        schedule_next()
    log.info("reminder run queued", extra={"day": target.isoformat(), "subscriptions": len(ids),
                                           "batches": len(batches)})
    return {"day": target.isoformat(), "subscriptions": len(ids), "batches": len(batches)}


def message_id(sub: Subscription, day: date) -> str:
    return mail.stable_message_id("reminder", sub.pk, day.isoformat())


@retrying_task()
def reminder_batch(day: str, first: int, last: int) -> dict:
    """Send `day`'s reminders to the active subscriptions with ids first..last."""
    target = date.fromisoformat(day)
    report = {"sent": 0, "already": 0, "failed": 0, "nothing_due": 0, "quiet": 0}
    if quiet():
        report["quiet"] = 1
        log.warning("reminders not sent: quiet hours", extra={"day": day, "first": first})
        return report
    due = _due(target)
    if not due:
        return report
    zones = {z.pk: z for z in selectors.memory.current().zones}
    subs = (Subscription.objects.filter(pk__gte=first, pk__lte=last, confirmed_at__isnull=False,
                                        stopped_at__isnull=True)
            .exclude(reminders__day=target).prefetch_related("services").order_by("pk"))
    outbox = Outbox()
    try:
        for sub in subs.iterator(chunk_size=BATCH):
            chosen = {s.pk for s in sub.services.all()}
            found = [(zones[z.pk].service, due[z.pk]) for z in selectors.zones_at(sub.lat, sub.long)
                     if z.pk in due and (not chosen or z.service_id in chosen)]
            if not found:
                report["nothing_due"] += 1
                continue
            if not outbox.can_send(sub.channel):
                continue  # texts with no SMS provider configured
            report[_send_once(outbox, sub, target, found)] += 1
    finally:
        outbox.close()
    log.info("reminders sent", extra={"day": day, **report})
    return report


@functools.lru_cache(maxsize=64)
def _links(language: str) -> tuple[str, str]:
    """The stop link (with a placeholder token) and the schedule page, in a language's URLs:
    worked out once per language, not once per message."""
    with translation.override(language):
        return (settings.SITE_URL + reverse("schedules:stop", args=["TOKEN"]),
                settings.SITE_URL + reverse("schedules:lookup"))


def _send_once(outbox: Outbox, sub: Subscription, day: date, found: list) -> str:
    names = []
    stop_url, schedule_url = _links(sub.language)
    with translation.override(sub.language):
        for service, _d in found:
            service.set_current_language(sub.language)
            names.append(service.display_name)
        context = {"agency_name": AGENCY_NAME, "sub": sub, "day": day, "found": found,
                   "names": names, "stop_url": stop_url.replace("TOKEN", sub.token),
                   "schedule_url": f"{schedule_url}?address_id={quote(sub.address_ref)}"}
        text = subject = body = ""
        if sub.channel == Subscription.Channel.SMS:
            text = mail.render_text("schedules/sms/reminder.txt", context).strip()
        else:
            subject = mail.render_text("schedules/email/reminder_subject.txt", context).strip()
            body = mail.render_text("schedules/email/reminder.txt", context)
    return outbox.send_once(
        lambda: Reminder.objects.create(subscription=sub, day=day, services=", ".join(names)[:300]),
        channel=sub.channel, contact=sub.contact, language=sub.language, text=text, subject=subject,
        body=body, headers={"Message-ID": message_id(sub, day),
                            **mail.unsubscribe_headers(context["stop_url"])})

