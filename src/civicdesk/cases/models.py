"""Service requests, their photos, timeline, followers and notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    DUPLICATE = "duplicate", _("Duplicate")
    REJECTED = "rejected", _("Rejected")


OPEN_STATUSES = (Status.SUBMITTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.ON_HOLD)

# Which status may follow which, for staff. Residents only reopen (resolved -> in progress).
TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.ON_HOLD, Status.RESOLVED,
                       Status.CLOSED, Status.DUPLICATE, Status.REJECTED},
    Status.ACKNOWLEDGED: {Status.IN_PROGRESS, Status.ON_HOLD, Status.RESOLVED, Status.CLOSED,
                          Status.DUPLICATE, Status.REJECTED},
    Status.IN_PROGRESS: {Status.ON_HOLD, Status.RESOLVED, Status.CLOSED, Status.DUPLICATE,
                         Status.REJECTED},
    Status.ON_HOLD: {Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED, Status.DUPLICATE,
                     Status.REJECTED},
    Status.RESOLVED: {Status.CLOSED, Status.IN_PROGRESS},
    Status.CLOSED: set(),
    Status.DUPLICATE: set(),
    Status.REJECTED: set(),
}
# These need a reason the resident can read.
REASON_REQUIRED = {Status.ON_HOLD, Status.REJECTED}


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    OPEN311 = "open311", "Open311"
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("Email")


class Review(models.TextChoices):
    """Whether the public sees a resident's words or photo (cases/moderation.py)."""

    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Waiting for review")
    HIDDEN = "hidden", _("Hidden by staff")


# The words of a request for the staff search, as indexed on PostgreSQL (migration
# 0011_request_words) and queried by cases.selectors: the same expression in both places.
REQUEST_WORDS = "to_tsvector('simple', \"cases_servicerequest\".\"description\" || ' ' || \"cases_servicerequest\".\"address\")"


class ServiceRequest(models.Model):
    # public_id and submission_key are unique by constraints (Meta), not unique=True, which on
    # PostgreSQL also builds a second, LIKE-pattern index that no query here uses. NULL (not
    # "") where there is none: a unique constraint lets any number of rows be NULL.
    public_id = models.CharField(max_length=20, null=True, blank=True)  # noqa: DJ001
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="requests")
    # Looked up through the (department, status) index below; no index of its own.
    department = models.ForeignKey("catalog.Department", on_delete=models.PROTECT, related_name="requests",
                                   db_index=False)
    description = models.TextField(blank=True)
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    status_reason = models.CharField(max_length=500, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=255, blank=True)
    zipcode = models.CharField(max_length=12, blank=True)
    address_id = models.CharField(max_length=64, blank=True, help_text="An address ID from the agency's address database (Open311).")
    # True: the address is the register's; False: a pin with an address the register does
    # not know (shown to staff as "check the address"); None: no register. Nullable with no
    # default so that SQLite adds the column in place (the public-ID trigger stays).
    location_checked = models.BooleanField(null=True, blank=True)
    media_url = models.URLField(max_length=500, blank=True, help_text="A photo URL given by an Open311 client.")
    client_meta = models.JSONField(default=dict, blank=True, help_text="device_id, account_id and API key of the client that filed it.")
    # The three nullable links below are indexed only where set (partial indexes in Meta):
    # most requests have no resident account, no assignee yet and no duplicate, and a full
    # index would take an entry per request for nothing.
    resident = models.ForeignKey(
        "accounts.Resident", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests",
        db_index=False)
    contact_email = models.EmailField(blank=True)
    contact_name = models.CharField(max_length=160, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    # When the contact email was shown to belong to the filer: at once for a signed-in
    # resident filing with their own address, else when the emailed confirmation link is
    # used. Until then the request is in nobody's account and the address gets no updates.
    contact_confirmed_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, default="en")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    submission_key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001 (see public_id)
    access_salt = models.CharField(max_length=32, blank=True)  # per-request salt of the secret link
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_requests",
        db_index=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates", db_index=False)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    sla_due_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Moderation (cases/moderation.py): ``review`` covers the description and the answers;
    # staff may publish an edited description, the resident's own words staying as written.
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.PUBLISHED)
    review_reason = models.CharField(max_length=300, blank=True)
    public_description = models.TextField(blank=True, help_text="The description as staff edited it for the "
                                                                "public; empty: as the resident wrote it.")
    needs_review = models.BooleanField(default=False)  # its text, a photo or a note waits for staff

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "service"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["lat", "long"]),
            # backlog and overdue on the dashboard: an index-only count
            models.Index(fields=["status", "sla_due_at", "department"]),
            models.Index(fields=["resident"], condition=Q(resident__isnull=False), name="request_resident_set"),
            models.Index(fields=["assigned_to"], condition=Q(assigned_to__isnull=False), name="request_assignee_set"),
            models.Index(fields=["duplicate_of"], condition=Q(duplicate_of__isnull=False), name="request_duplicate_set"),
            models.Index(fields=["department", "submitted_at"], condition=Q(needs_review=True),
                         name="request_needs_review"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["public_id"], name="request_public_id_unique"),
            models.UniqueConstraint(fields=["submission_key"], name="request_submission_key_unique"),
        ]

    def __str__(self) -> str:
        return self.public_id or f"request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def contact_confirmed(self) -> bool:
        return bool(self.contact_email and self.contact_confirmed_at)

    @property
    def message_language(self) -> str:
        """The language emails and texts about it are written in: the resident's choice on
        their profile, if they made one, else the language they filed in."""
        from civicdesk.core.languages import is_shipped

        resident = self.resident if self.resident_id else None
        if resident is not None and resident.language_chosen_at and is_shipped(resident.preferred_language):
            return resident.preferred_language
        return self.language

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.sla_due_at and self.sla_due_at < timezone.now())

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:request", args=[self.public_id])


class RequestPhoto(models.Model):
    """A validated, re-encoded photo. ``request`` is empty while the form is still open."""

    request = models.ForeignKey(
        ServiceRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    upload_key = models.CharField(max_length=80, db_index=True, blank=True)
    image = models.ImageField(upload_to="requests/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original_name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.PUBLISHED)
    review_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]


class TimelineEvent(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        STATUS = "status", _("Status changed")
        NOTE = "note", _("Note")
        ASSIGNED = "assigned", _("Assigned")
        PRIORITY = "priority", _("Priority changed")
        REOPENED = "reopened", _("Reopened")
        MODERATED = "moderated", _("Moderated")

    # Looked up through the (request, created_at) index below; no index of its own.
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    public = models.BooleanField(default=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=80, blank=True)  # "Resident", "System", ...
    status_from = models.CharField(max_length=20, blank=True)
    status_to = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A resident's added information on a moderated service waits for staff like the report.
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.PUBLISHED)
    review_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"])]

    @property
    def status_to_label(self) -> str:
        return Status(self.status_to).label if self.status_to else ""


class Follower(models.Model):
    """Someone who gets an email on each public update of a request."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField()
    language = models.CharField(max_length=8, default="en")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "email"], name="follower_unique")]


class Notification(models.Model):
    """One email sent about one event; the unique key makes a retried task send nothing twice."""

    event = models.ForeignKey(TimelineEvent, on_delete=models.CASCADE, related_name="notifications")
    email = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="notification_once")]


class SavedView(models.Model):
    """A work-queue filter an agent named and keeps (the query string of the list)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=60)
    query = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_view_name_unique")]


class BulkChange(models.Model):
    """One change to several requests from the work queue. Its key comes with the form, so a
    form sent twice (a double click, a retry) changes nothing the second time; one cut off
    half way (a restart) goes on from where it stopped when sent again."""

    key = models.CharField(max_length=64, unique=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    changed = models.JSONField(default=list)  # public IDs, each written with its request's change
    refused = models.JSONField(default=list)  # [public ID, why]


class Escalation(models.Model):
    """A request about to miss its target, sent up to its department's supervisors: once per
    target (a new due date after a change may be escalated again)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="escalations")
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [models.UniqueConstraint(fields=["request", "due_at"], name="escalation_once_per_target")]
