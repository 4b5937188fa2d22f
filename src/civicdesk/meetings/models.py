"""Public meetings: the agency's bodies (council, committees, boards), their meetings and
agendas, and how residents take part: registering to attend, written comments on an agenda
item (moderated), and speaking remotely from a live queue. After a meeting: minutes, the
recording, attendance and what was decided per item.

Texts the clerk writes (names, titles, descriptions, decisions, minutes) are translated
like every other agency text (django-parler, docs/translation.md). What residents write is
kept in the language they wrote it in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from parler.models import TranslatedFields

from civicdesk.core.models import OptIn, Translated
from civicdesk.core.translation import localized


class _Titled(Translated):
    """A translated title and description, read in the reader's language."""

    class Meta:
        abstract = True

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def description_text(self) -> str:
        return localized(self, "description")


class Topic(Translated):
    """What an agenda item is about (budget, housing, transportation): residents filter by
    it and the CX area counts participation by it."""

    slug = models.SlugField(unique=True)
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=80))

    class Meta:
        ordering = ["slug"]


class Body(Translated):
    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council")
        COMMITTEE = "committee", _("Committee")
        BOARD = "board", _("Board")
        COMMISSION = "commission", _("Commission")

    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMMITTEE)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=120),
        description=models.TextField(_("description"), blank=True),
    )

    class Meta:
        ordering = ["order", "slug"]


class Meeting(_Titled):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", pgettext_lazy("how to attend a meeting", "Online")
        HYBRID = "hybrid", _("In person and online")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft (not public)")
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("In session")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        REGISTERED = "registered", _("Registered attendees only")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at (expected)"), null=True, blank=True)
    mode = models.CharField(_("how to attend"), max_length=10, choices=Mode.choices, default=Mode.HYBRID)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    place = models.CharField(_("place"), max_length=200, blank=True,
                             help_text=_("Building and room, for example City Hall, Council Chambers"))
    address = models.CharField(_("street address"), max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    stream_url = models.URLField(_("stream address"), blank=True,
                                 help_text=_("The video page of an allowed stream provider, or the online "
                                             "meeting link."))
    stream_audience = models.CharField(_("who sees the stream"), max_length=10, choices=Audience.choices,
                                       default=Audience.EVERYONE)
    speakers_open = models.BooleanField(_("residents may sign up to speak remotely"), default=True)
    current_item = models.ForeignKey("AgendaItem", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    recording_url = models.URLField(_("recording address"), blank=True)
    attendance_in_room = models.PositiveIntegerField(_("people in the room"), null=True, blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)  # iCalendar SEQUENCE and LAST-MODIFIED
    sequence = models.PositiveIntegerField(default=0)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        description=models.TextField(_("description"), blank=True),
        minutes=models.TextField(_("minutes"), blank=True),
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["state", "starts_at"])]

    def __str__(self) -> str:
        return self.display_title

    @property
    def minutes_text(self) -> str:
        return localized(self, "minutes")

    @property
    def public(self) -> bool:
        return self.state != self.State.DRAFT

    @property
    def over(self) -> bool:
        return self.state in (self.State.ENDED, self.State.CANCELLED)

    @property
    def in_person(self) -> bool:
        return self.mode in (self.Mode.IN_PERSON, self.Mode.HYBRID)

    @property
    def online(self) -> bool:
        return self.mode in (self.Mode.ONLINE, self.Mode.HYBRID)

    @property
    def minutes_public(self) -> bool:
        return self.minutes_published_at is not None


class AgendaItem(_Titled):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    accepts_comments = models.BooleanField(_("takes public comment"), default=True)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        description=models.TextField(_("description"), blank=True),
        decision=models.TextField(_("what was decided"), blank=True),
    )

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.display_title}"

    @property
    def decision_text(self) -> str:
        return localized(self, "decision")


def document_storage():
    """Agenda documents live outside the public media folder: they are served by the
    document view, and only while their meeting is public (a draft's are nobody's)."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.VAR_DIR / "private" / "meetings")


class Document(models.Model):
    """A PDF attached to an agenda item (a staff report, a draft ordinance), checked on upload
    (meetings/documents.py). Deleting the row deletes the file (signals in services.py)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="%Y/%m/", storage=document_storage)
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """A resident who will attend: online (the stream link is theirs) or in the room, with any
    interpretation or accommodation they asked for."""

    class Attend(models.TextChoices):
        ONLINE = "online", pgettext_lazy("how to attend a meeting", "Online")
        IN_PERSON = "in_person", _("In person")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(max_length=120)
    email = models.EmailField()
    language = models.CharField(max_length=12, default="en")
    attend = models.CharField(max_length=10, choices=Attend.choices, default=Attend.ONLINE)
    interpretation = models.CharField(max_length=40, blank=True)  # a language code, "asl" or ""
    accommodation = models.TextField(blank=True)
    needs_handled_at = models.DateTimeField(null=True, blank=True)
    notified_sequence = models.PositiveIntegerField(default=0)  # the last change they were told of
    token = models.CharField(max_length=64, unique=True)
    consent_wording = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    resident = models.ForeignKey("accounts.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="meeting_registrations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="registration_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.meeting_id})"

    @property
    def active(self) -> bool:
        return self.cancelled_at is None


class Comment(models.Model):
    """A written public comment on an agenda item: kept as written, published (with the
    name the resident chose) only once a clerk approves it."""

    class Position(models.TextChoices):
        SUPPORT = "support", _("In support")
        OPPOSE = "oppose", _("Opposed")
        NEUTRAL = "neutral", _("Neither, or a question")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Not published")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="comments")
    public_name = models.CharField(max_length=80)
    email = models.EmailField()
    language = models.CharField(max_length=12, default="en")
    position = models.CharField(max_length=10, choices=Position.choices, default=Position.NEUTRAL)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.CharField(max_length=200, blank=True)  # why not published, told to the writer
    submission_key = models.CharField(max_length=80, unique=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    resident = models.ForeignKey("accounts.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="meeting_comments")

    class Meta:
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["meeting", "state"])]


class Speaker(models.Model):
    """A resident who signed up to speak remotely: their place in the live queue, called by
    the clerk, marked done (or missed when they did not answer)."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPEAKING = "speaking", _("Speaking now")
        DONE = "done", _("Spoke")
        MISSED = "missed", _("Did not answer")
        WITHDRAWN = "withdrawn", _("Withdrew")
        NOT_REACHED = "not_reached", _("Not reached before the end")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speakers")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="speakers")
    public_name = models.CharField(max_length=80)
    email = models.EmailField()
    phone = models.CharField(max_length=32, blank=True)
    language = models.CharField(max_length=12, default="en")
    state = models.CharField(max_length=12, choices=State.choices, default=State.WAITING)
    number = models.PositiveIntegerField()  # the order of signing up, 1, 2, 3 … per meeting
    token = models.CharField(max_length=64, unique=True)
    public_id = models.CharField(max_length=16, unique=True)  # names the speaker on the live page
    submission_key = models.CharField(max_length=80, unique=True)
    signed_up_at = models.DateTimeField(default=timezone.now)
    called_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    resident = models.ForeignKey("accounts.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="meeting_speakers")

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="speaker_number_once")]


class BodySubscription(OptIn):
    """A resident following a body: a message when one of its meetings is announced."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="subscriptions")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    contact = models.CharField(max_length=254)
    language = models.CharField(max_length=12, default="en")
    resident = models.ForeignKey("accounts.Resident", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="body_subscriptions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "channel", "contact"], name="body_subscription_once")]


class Announcement(models.Model):
    """One "a meeting was announced" message to one subscription: sent once."""

    subscription = models.ForeignKey(BodySubscription, on_delete=models.CASCADE, related_name="announcements")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "meeting"], name="announcement_once")]
