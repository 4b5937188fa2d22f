"""Writing meetings: residents register, comment and sign up to speak; the clerk builds
agendas, moderates, runs the live meeting and publishes minutes.

Every resident form carries a submission key (or, for registrations, the meeting and email
are the key): a retry returns what the first try stored instead of a second row. What the
live page shows is published to the channel layer after the transaction commits
(`publish_state`), so a socket never sees a change that was rolled back. Every clerk action
is written to the audit log by the console view that calls it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.dispatch import receiver
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from civicdesk.core.sms import stop_requested
from civicdesk.core.tasks import enqueue_on_commit

from .documents import clean_pdf
from .models import (
    AgendaItem,
    Body,
    BodySubscription,
    Comment,
    Document,
    Meeting,
    Registration,
    Speaker,
)

MAX_COMMENT = 3000


class ParticipationError(ValueError):
    """What a resident cannot do now, and why, in their language."""


# --- live updates ------------------------------------------------------------------------

def group(meeting: Meeting | int) -> str:
    return f"meeting-{meeting if isinstance(meeting, int) else meeting.pk}"


def publish_state(meeting: Meeting) -> None:
    """After commit: the live state (current item, queue) to every open live page."""
    from channels.layers import get_channel_layer

    from .selectors import live_state

    pk = meeting.pk

    def send():
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group(pk), {"type": "relay", "payload": live_state(pk)})

    transaction.on_commit(send)


def _open_for_residents(meeting: Meeting) -> None:
    if not meeting.public:
        raise ParticipationError(_("This meeting is not open yet."))
    if meeting.state == Meeting.State.CANCELLED:
        raise ParticipationError(_("This meeting was cancelled."))
    if meeting.state == Meeting.State.ENDED:
        raise ParticipationError(_("This meeting has ended."))


# --- residents ---------------------------------------------------------------------------

def needs_notice_by(meeting: Meeting):
    """The last moment to ask for interpretation or an accommodation."""
    return meeting.starts_at - timedelta(days=settings.CIVICDESK_MEETING_NOTICE_DAYS)


def registration_wording() -> str:
    return _("Email me about this meeting: the link to attend, and any change of time or place.")


def register(*, meeting: Meeting, name: str, email: str, language: str, attend: str,
             interpretation: str = "", accommodation: str = "", resident=None) -> tuple[Registration, bool]:
    """(registration, created). The same email registering again updates the first one."""
    _open_for_residents(meeting)
    email = email.strip().lower()
    if attend == Registration.Attend.IN_PERSON and not meeting.in_person:
        raise ParticipationError(_("This meeting is online only."))
    if attend == Registration.Attend.ONLINE and not meeting.online:
        raise ParticipationError(_("This meeting is in person only."))
    if (interpretation or accommodation.strip()) and timezone.now() > needs_notice_by(meeting):
        raise ParticipationError(
            _("Interpretation and accommodations need to be asked for by %(when)s, so that the clerk can "
              "arrange them. Register without them, and call the clerk's office to ask what can still be done.")
            % {"when": formats.date_format(timezone.localtime(needs_notice_by(meeting)), "DATETIME_FORMAT")})
    fields = {"name": name.strip(), "language": language, "attend": attend, "interpretation": interpretation,
              "accommodation": accommodation.strip(), "cancelled_at": None}
    with transaction.atomic():
        reg, created = Registration.objects.select_for_update().get_or_create(
            meeting=meeting, email=email,
            defaults={**fields, "token": secrets.token_urlsafe(32), "consent_wording": registration_wording(),
                      "notified_sequence": meeting.sequence,
                      "resident": resident})
        if not created:
            if (reg.interpretation, reg.accommodation) != (interpretation, fields["accommodation"]):
                reg.needs_handled_at = None
            for k, v in fields.items():
                setattr(reg, k, v)
            reg.save()
        from .tasks import send_registration

        enqueue_on_commit(send_registration, reg.pk)
    return reg, created


def cancel_registration(reg: Registration) -> None:
    if reg.cancelled_at is None:
        reg.cancelled_at = timezone.now()
        reg.save(update_fields=["cancelled_at"])


def _existing(model, key: str):
    return model.objects.filter(submission_key=key).first() if key else None


def submit_comment(*, meeting: Meeting, item: AgendaItem, public_name: str, email: str, position: str,
                   body: str, language: str, key: str, resident=None) -> Comment:
    """A written comment, waiting for the clerk. The same submission key twice: the first."""
    already = _existing(Comment, key)
    if already is not None:
        return already
    _open_for_residents(meeting)
    if item.meeting_id != meeting.pk or not item.accepts_comments:
        raise ParticipationError(_("This agenda item does not take written comments."))
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                meeting=meeting, item=item, public_name=public_name.strip(), email=email.strip().lower(),
                position=position, body=body.strip(), language=language, resident=resident,
                submission_key=key or secrets.token_hex(16))
    except IntegrityError:  # the same key, sent twice at once
        return Comment.objects.get(submission_key=key)
    publish_state(meeting)  # the clerk's console counts waiting comments
    return comment


def sign_up_to_speak(*, meeting: Meeting, item: AgendaItem | None, public_name: str, email: str, phone: str,
                     language: str, key: str, resident=None) -> Speaker:
    already = _existing(Speaker, key)
    if already is not None:
        return already
    _open_for_residents(meeting)
    if not (meeting.speakers_open and meeting.online):
        raise ParticipationError(_("This meeting does not take remote speakers."))
    if item is not None and item.meeting_id != meeting.pk:
        raise ParticipationError(_("Choose an item of this meeting's agenda."))
    email = email.strip().lower()
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)  # numbers are given one at a time
        if Speaker.objects.filter(meeting=meeting, email=email, state=Speaker.State.WAITING,
                                  item=item).exists():
            raise ParticipationError(_("You are already in the queue for this item; the link we emailed "
                                       "you shows your place."))
        number = (Speaker.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0) + 1
        speaker = Speaker.objects.create(
            meeting=meeting, item=item, public_name=public_name.strip(), email=email, phone=phone.strip(),
            language=language, number=number, token=secrets.token_urlsafe(32),
            public_id=secrets.token_hex(6), submission_key=key or secrets.token_hex(16), resident=resident)
        from .tasks import send_speaker_link

        enqueue_on_commit(send_speaker_link, speaker.pk)
        publish_state(meeting)
    return speaker


def withdraw(speaker: Speaker) -> None:
    if speaker.state == Speaker.State.WAITING:
        speaker.state, speaker.done_at = Speaker.State.WITHDRAWN, timezone.now()
        speaker.save(update_fields=["state", "done_at"])
        publish_state(speaker.meeting)


def follow_body(*, body: Body, channel: str, contact: str, language: str, resident=None,
                consent: bool) -> tuple[BodySubscription, bool]:
    """(subscription, needs confirmation): announcements of this body's meetings."""
    from civicdesk.core.optin import ask
    from civicdesk.core.sms import normalise_phone, textable

    if not consent:
        raise ParticipationError(_("Tick the box to agree to receive these messages."))
    if channel == BodySubscription.Channel.SMS:
        contact = normalise_phone(contact)
        if not contact:
            raise ParticipationError(_("Enter a mobile phone number with its area code, for example (555) 555-0100."))
        if not textable(contact):
            raise ParticipationError(_("We can send texts only to mobile numbers in this country. "
                                       "Choose email instead."))
        wording = _("Text me when %(body)s announces a meeting. Message and data rates may apply. "
                    "I can stop at any time.") % {"body": body.display_name}
    else:
        contact = contact.strip().lower()
        wording = _("Email me when %(body)s announces a meeting. I can stop at any time.") % {
            "body": body.display_name}
    from .tasks import send_follow_confirmation

    own = (resident is not None and channel == BodySubscription.Channel.EMAIL
           and contact == (resident.email or "").lower())
    return ask(BodySubscription, key={"body": body, "channel": channel, "contact": contact}, fields={},
               language=language, wording=wording, own=own, resident=resident,
               send_confirmation=send_follow_confirmation)


@receiver(stop_requested)
def _stop_texts(sender, phone: str, **kwargs) -> None:
    """A text saying STOP: that number gets no more meeting announcements."""
    from civicdesk.core.sms import normalise_phone

    BodySubscription.objects.filter(channel=BodySubscription.Channel.SMS, contact=normalise_phone(phone) or phone,
                                    stopped_at__isnull=True).update(stopped_at=timezone.now())


# --- the clerk ---------------------------------------------------------------------------

def save_meeting(meeting: Meeting, *, changed_fields: set[str] = frozenset()) -> None:
    """After the clerk's form saved it: a change of time or place counts for calendars and
    registered attendees."""
    if changed_fields & {"starts_at", "ends_at", "place", "address", "mode", "stream_url"}:
        Meeting.objects.filter(pk=meeting.pk).update(sequence=meeting.sequence + 1, changed_at=timezone.now())
        if meeting.public and Registration.objects.filter(meeting=meeting, cancelled_at__isnull=True).exists():
            from .tasks import send_change

            enqueue_on_commit(send_change, meeting.pk)
    else:
        Meeting.objects.filter(pk=meeting.pk).update(changed_at=timezone.now())
    publish_state(meeting)


def announce(meeting: Meeting) -> None:
    """Draft → scheduled: on the public pages, and each follower of the body told once."""
    if meeting.state != Meeting.State.DRAFT:
        return
    meeting.state, meeting.published_at = Meeting.State.SCHEDULED, timezone.now()
    meeting.save(update_fields=["state", "published_at"])
    from .tasks import announce_meeting

    enqueue_on_commit(announce_meeting, meeting.pk)


def cancel(meeting: Meeting) -> None:
    meeting.state = Meeting.State.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["state", "sequence"])
    from .tasks import send_change

    enqueue_on_commit(send_change, meeting.pk)
    publish_state(meeting)


def add_item(meeting: Meeting) -> AgendaItem:
    number = (meeting.items.aggregate(n=Max("number"))["n"] or 0) + 1
    return AgendaItem(meeting=meeting, number=number)


def move_item(item: AgendaItem, step: int) -> None:
    """Swap an item with its neighbour (step -1: up, +1: down)."""
    with transaction.atomic():
        items = list(AgendaItem.objects.select_for_update().filter(meeting=item.meeting_id).order_by("number"))
        index = next(i for i, it in enumerate(items) if it.pk == item.pk)
        other = index + step
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        top = len(items) + 1000
        for i, it in enumerate(items):  # renumber past the unique constraint, then down
            AgendaItem.objects.filter(pk=it.pk).update(number=top + i)
        for i, it in enumerate(items):
            AgendaItem.objects.filter(pk=it.pk).update(number=i + 1)
    publish_state(item.meeting)


def add_document(item: AgendaItem, *, title: str, name: str, raw: bytes) -> Document:
    """Raises ValidationError saying why a file is refused (meetings/documents.py)."""
    clean = clean_pdf(name, raw)
    document = Document(item=item, title=title.strip() or name, size=len(clean.data), pages=clean.pages)
    document.file.save(f"{secrets.token_hex(8)}.pdf", ContentFile(clean.data), save=False)
    document.save()
    return document


def moderate(comment: Comment, *, publish: bool, reason: str, by) -> None:
    if publish:
        comment.state, comment.reason = Comment.State.PUBLISHED, ""
    else:
        if not reason.strip():
            raise ValidationError(_("Say why the comment is not published; the writer is told."))
        comment.state, comment.reason = Comment.State.REJECTED, reason.strip()[:200]
    comment.moderated_at, comment.moderated_by = timezone.now(), by
    comment.save(update_fields=["state", "reason", "moderated_at", "moderated_by"])
    from .tasks import send_comment_decision

    enqueue_on_commit(send_comment_decision, comment.pk)
    publish_state(comment.meeting)


def start(meeting: Meeting) -> None:
    if meeting.state not in (Meeting.State.SCHEDULED, Meeting.State.ENDED):
        raise ValidationError(_("Only a scheduled meeting can be started."))
    meeting.state, meeting.started_at, meeting.ended_at = Meeting.State.LIVE, meeting.started_at or timezone.now(), None
    if meeting.current_item_id is None:
        meeting.current_item = meeting.items.order_by("number").first()
    meeting.save(update_fields=["state", "started_at", "ended_at", "current_item"])
    publish_state(meeting)


def end(meeting: Meeting) -> None:
    meeting.state, meeting.ended_at, meeting.current_item = Meeting.State.ENDED, timezone.now(), None
    meeting.save(update_fields=["state", "ended_at", "current_item"])
    Speaker.objects.filter(meeting=meeting, state=Speaker.State.SPEAKING).update(
        state=Speaker.State.DONE, done_at=timezone.now())
    publish_state(meeting)


def set_item(meeting: Meeting, item: AgendaItem | None) -> None:
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError(_("That item is not on this meeting's agenda."))
    meeting.current_item = item
    meeting.save(update_fields=["current_item"])
    publish_state(meeting)


def next_speaker(meeting: Meeting) -> Speaker | None:
    """Who is called next: the first waiting for the current item (or for no item in
    particular), otherwise the first waiting at all."""
    waiting = Speaker.objects.filter(meeting=meeting, state=Speaker.State.WAITING).order_by("number")
    if meeting.current_item_id:
        first = waiting.filter(item_id__in=[meeting.current_item_id]).first() or waiting.filter(
            item__isnull=True).first()
        if first:
            return first
    return waiting.first()


def call_next(meeting: Meeting) -> Speaker | None:
    """The one speaking is done; the next waiting is called."""
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        now = timezone.now()
        Speaker.objects.filter(meeting=meeting, state=Speaker.State.SPEAKING).update(
            state=Speaker.State.DONE, done_at=now)
        speaker = next_speaker(meeting)
        if speaker is not None:
            speaker.state, speaker.called_at = Speaker.State.SPEAKING, now
            speaker.save(update_fields=["state", "called_at"])
        publish_state(meeting)
    return speaker


def mark_speaker(speaker: Speaker, state: str) -> None:
    if state not in (Speaker.State.DONE, Speaker.State.MISSED, Speaker.State.WAITING):
        raise ValidationError(_("Choose what happened."))
    speaker.state = state
    speaker.done_at = None if state == Speaker.State.WAITING else timezone.now()
    speaker.save(update_fields=["state", "done_at"])
    publish_state(speaker.meeting)


def publish_minutes(meeting: Meeting) -> None:
    if meeting.state != Meeting.State.ENDED:
        raise ValidationError(_("Minutes are published after the meeting has ended."))
    if not meeting.safe_translation_getter("minutes", language_code=settings.LANGUAGE_CODE):
        raise ValidationError(_("Write the minutes before publishing them."))
    meeting.minutes_published_at = meeting.minutes_published_at or timezone.now()
    meeting.save(update_fields=["minutes_published_at"])
