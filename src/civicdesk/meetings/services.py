"""Writing meetings: residents register, comment and sign up to speak; the clerk builds
agendas, moderates, runs the live meeting and publishes minutes.

Every resident form carries a submission key (or, for registrations, the meeting and email
are the key): a retry returns what the first try stored instead of a second row. What the
live page shows is published to the channel layer after the transaction commits
(`publish_state`), so a socket never sees a change that was rolled back. Every clerk action
is written to the audit log by the console view that calls it.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.signals import post_delete
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

log = logging.getLogger("civicdesk.meetings")
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
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(group(pk), {"type": "relay", "payload": live_state(pk)})
        except Exception as e:  # noqa: BLE001 - the change stands; pages catch up when they reconnect
            log.warning("channel layer unavailable: live state not relayed", extra={"error": str(e)[:200]})

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
    """(registration, created). An email already registered is left exactly as it is: whoever
    typed it may not be its owner. The owner is emailed their link again (at most once per
    ten minutes); changes are made from that link or by the clerk."""
    _open_for_residents(meeting)
    email = email.strip().lower()
    if attend == Registration.Attend.IN_PERSON and not meeting.in_person:
        raise ParticipationError(_("This meeting is online only."))
    if attend == Registration.Attend.ONLINE and not meeting.online:
        raise ParticipationError(_("This meeting is in person only."))
    from .tasks import send_registration

    existing = Registration.objects.filter(meeting=meeting, email=email).first()
    if existing is not None:
        if cache.add(f"meetings:registration-mail:{existing.pk}", 1, 600):
            enqueue_on_commit(send_registration, existing.pk)
        return existing, False
    if (interpretation or accommodation.strip()) and timezone.now() > needs_notice_by(meeting):
        raise ParticipationError(
            _("Interpretation and accommodations need to be asked for by %(when)s, so that the clerk can "
              "arrange them. Register without them, and call the clerk's office to ask what can still be done.")
            % {"when": formats.date_format(timezone.localtime(needs_notice_by(meeting)), "DATETIME_FORMAT")})
    try:
        with transaction.atomic():
            reg = Registration.objects.create(
                meeting=meeting, email=email, name=name.strip(), language=language, attend=attend,
                interpretation=interpretation, accommodation=accommodation.strip(),
                token=secrets.token_urlsafe(32), consent_wording=registration_wording(),
                notified_sequence=meeting.sequence, resident=resident)
            enqueue_on_commit(send_registration, reg.pk)
    except IntegrityError:  # the same email, twice at once: the first one stands
        return Registration.objects.get(meeting=meeting, email=email), False
    return reg, True


def cancel_registration(reg: Registration) -> None:
    if reg.cancelled_at is None:
        reg.cancelled_at = timezone.now()
        reg.save(update_fields=["cancelled_at"])


def restore_registration(reg: Registration) -> None:
    """Registered again from the owner's own link, after cancelling."""
    _open_for_residents(reg.meeting)
    if reg.cancelled_at is not None:
        reg.cancelled_at = None
        reg.save(update_fields=["cancelled_at"])


def _existing(model, key: str, meeting: Meeting, email: str):
    """What the same person sent with this form key before (a retry), or None. A key that
    came with somebody else's submission (a shared computer's back button) is not theirs:
    the caller gives the new submission a fresh key."""
    return model.objects.filter(submission_key=key, meeting=meeting, email=email).first() if key else None


def _own_key(model, key: str) -> str:
    return key if key and not model.objects.filter(submission_key=key).exists() else secrets.token_hex(16)


def submit_comment(*, meeting: Meeting, item: AgendaItem, public_name: str, email: str, position: str,
                   body: str, language: str, key: str, resident=None) -> Comment:
    """A written comment, waiting for the clerk. The same submission key twice: the first."""
    email = email.strip().lower()
    already = _existing(Comment, key, meeting, email)
    if already is not None:
        return already
    _open_for_residents(meeting)
    if item.meeting_id != meeting.pk or not item.accepts_comments:
        raise ParticipationError(_("This agenda item does not take written comments."))
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                meeting=meeting, item=item, public_name=public_name.strip(), email=email,
                position=position, body=body.strip(), language=language, resident=resident,
                submission_key=_own_key(Comment, key))
    except IntegrityError:  # the same key, sent twice at once
        return Comment.objects.get(submission_key=key)
    publish_state(meeting)  # the clerk's console counts waiting comments
    return comment


def sign_up_to_speak(*, meeting: Meeting, item: AgendaItem | None, public_name: str, email: str, phone: str,
                     language: str, key: str, resident=None) -> Speaker:
    email = email.strip().lower()
    already = _existing(Speaker, key, meeting, email)
    if already is not None:
        return already
    _open_for_residents(meeting)
    if not (meeting.speakers_open and meeting.online):
        raise ParticipationError(_("This meeting does not take remote speakers."))
    if item is not None and item.meeting_id != meeting.pk:
        raise ParticipationError(_("Choose an item of this meeting's agenda."))
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)  # numbers are given one at a time
        already = _existing(Speaker, key, meeting, email)  # a double submit that waited for the lock
        if already is not None:
            return already
        if Speaker.objects.filter(meeting=meeting, email=email, state=Speaker.State.WAITING,
                                  item=item).exists():
            raise ParticipationError(_("You are already in the queue for this item; the link we emailed "
                                       "you shows your place."))
        number = (Speaker.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0) + 1
        speaker = Speaker.objects.create(
            meeting=meeting, item=item, public_name=public_name.strip(), email=email, phone=phone.strip(),
            language=language, number=number, token=secrets.token_urlsafe(32),
            public_id=secrets.token_hex(6), submission_key=_own_key(Speaker, key), resident=resident)
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


@receiver(post_delete, sender=Document)
def _document_deleted(sender, instance: Document, **kwargs) -> None:
    """The file goes with its row (an item deleted takes its documents), once committed."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


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
    meeting.changed_at = meeting.published_at
    meeting.save(update_fields=["state", "published_at", "changed_at"])
    from .tasks import announce_meeting

    enqueue_on_commit(announce_meeting, meeting.pk)


def cancel(meeting: Meeting) -> None:
    """A scheduled meeting is called off: calendars and everyone registered are told once.
    A draft is not cancelled (it was never public: it stays a draft); an ended or already
    cancelled meeting is left as it is."""
    if meeting.state != Meeting.State.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be cancelled."))
    meeting.state, meeting.changed_at = Meeting.State.CANCELLED, timezone.now()
    meeting.sequence += 1
    meeting.save(update_fields=["state", "sequence", "changed_at"])
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


def moderate(comment: Comment, *, publish: bool, reason: str, by) -> bool:
    """Publish or refuse a waiting comment; False when someone already decided (a double
    click, two clerks): nothing changes and the writer is not told twice."""
    if not publish and not reason.strip():
        raise ValidationError(_("Say why the comment is not published; the writer is told."))
    state = Comment.State.PUBLISHED if publish else Comment.State.REJECTED
    changed = Comment.objects.filter(pk=comment.pk, state=Comment.State.PENDING).update(
        state=state, reason="" if publish else reason.strip()[:200], moderated_at=timezone.now(), moderated_by=by)
    if not changed:
        return False
    from .tasks import send_comment_decision

    enqueue_on_commit(send_comment_decision, comment.pk)
    publish_state(comment.meeting)
    return True


def start(meeting: Meeting) -> None:
    if meeting.state != Meeting.State.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be started."))
    meeting.state, meeting.started_at, meeting.ended_at = Meeting.State.LIVE, timezone.now(), None
    if meeting.current_item_id is None:
        meeting.current_item = meeting.items.order_by("number").first()
    meeting.save(update_fields=["state", "started_at", "ended_at", "current_item"])
    publish_state(meeting)


def end(meeting: Meeting) -> None:
    """The meeting is over: the one speaking has spoken, those still waiting were not reached."""
    if meeting.state != Meeting.State.LIVE:
        raise ValidationError(_("Only a meeting in session can be ended."))
    now = timezone.now()
    meeting.state, meeting.ended_at, meeting.current_item = Meeting.State.ENDED, now, None
    meeting.save(update_fields=["state", "ended_at", "current_item"])
    Speaker.objects.filter(meeting=meeting, state=Speaker.State.SPEAKING).update(state=Speaker.State.DONE, done_at=now)
    Speaker.objects.filter(meeting=meeting, state=Speaker.State.WAITING).update(
        state=Speaker.State.NOT_REACHED, done_at=now)
    publish_state(meeting)


def set_item(meeting: Meeting, item: AgendaItem | None) -> None:
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError(_("That item is not on this meeting's agenda."))
    meeting.current_item = item
    meeting.save(update_fields=["current_item"])
    publish_state(meeting)


def call_order(waiting: list[Speaker], current_item_id: int | None) -> list[Speaker]:
    """The order the waiting are called in: those for the item being discussed first, then
    those with a general comment, then everyone else; each group in the order they signed
    up. The live page's places and "Call the next speaker" both follow it."""
    def group(s: Speaker) -> int:
        if current_item_id and s.item_id == current_item_id:
            return 0
        return 1 if s.item_id is None else 2

    return sorted(waiting, key=lambda s: (group(s), s.number))


def next_speaker(meeting: Meeting) -> Speaker | None:
    waiting = list(Speaker.objects.filter(meeting=meeting, state=Speaker.State.WAITING))
    order = call_order(waiting, meeting.current_item_id)
    return order[0] if order else None


def call_next(meeting: Meeting, *, after: str | None = None) -> Speaker | None:
    """The one speaking is done; the next waiting is called. `after` is the speaker the
    clerk's page showed as speaking ("" for nobody): when the queue has moved since (a double
    click, a second clerk), nothing happens (ValidationError). None: nobody was waiting."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        speaking = Speaker.objects.filter(meeting=meeting, state=Speaker.State.SPEAKING).first()
        if after is not None and after != (str(speaking.pk) if speaking else ""):
            raise ValidationError(_("The queue has moved since this page was shown; here it is as it is now."))
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
