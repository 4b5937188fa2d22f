"""Collection and street-sweeping schedules: the services (trash, recycling, ...), their
zones (areas with a recurrence rule) and the changes that move days (holidays).

A zone's area is GeoJSON polygons like the city boundary (`addresses.Boundary`): a list of
polygons, each a list of rings of [long, lat] pairs, with its bounding box for a quick
first test. The recurrence itself is `recurrence.py`.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatedFields

from civicdesk.core.models import OptIn, Translated
from civicdesk.core.translation import localized

from . import recurrence


class CollectionService(Translated):
    class Kind(models.TextChoices):
        TRASH = "trash", _("Trash")
        RECYCLING = "recycling", _("Recycling")
        YARD = "yard", _("Yard waste")
        BULKY = "bulky", _("Bulky items")
        SWEEPING = "sweeping", _("Street sweeping")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TRASH)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=100),
        rules=models.TextField(_("what residents need to know"), blank=True,
                               help_text=_("For example: carts at the curb by 6 a.m.; no parking "
                                           "7 a.m. to 3 p.m. on sweeping days.")),
    )
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    missed_service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("report a missed collection with"), help_text=_(
            "The service residents use to report a missed collection. It is offered only once "
            "the collection day at their address has passed."))

    class Meta:
        ordering = ["order", "code"]

    @property
    def display_rules(self) -> str:
        return localized(self, "rules")


class Zone(models.Model):
    class Frequency(models.TextChoices):
        WEEKLY = recurrence.WEEKLY, _("Every week")
        BIWEEKLY = recurrence.BIWEEKLY, _("Every other week")
        MONTHLY = recurrence.MONTHLY, _("Once a month")

    WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
                (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))]

    service = models.ForeignKey(CollectionService, on_delete=models.CASCADE, related_name="zones",
                                verbose_name=_("service"))
    name = models.CharField(_("name"), max_length=100)
    polygons = models.JSONField(_("area"), help_text=_(
        "GeoJSON polygon coordinates: a list of polygons, each a list of rings of [long, lat]."))
    min_lat = models.FloatField(default=0)
    max_lat = models.FloatField(default=0)
    min_long = models.FloatField(default=0)
    max_long = models.FloatField(default=0)
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices,
                                 default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=WEEKDAYS)
    anchor = models.DateField(_("first day"), null=True, blank=True, help_text=_(
        "Every other week: a date with a collection; the weeks alternate from it."))
    nth = models.SmallIntegerField(_("which one in the month"), default=1, help_text=_(
        "Once a month: 1 for the first, 2 for the second, ... -1 for the last."))
    season_start = models.CharField(_("season starts"), max_length=5, blank=True,
                                    help_text=_("MM-DD, for example 04-01; empty: all year."))
    season_end = models.CharField(_("season ends"), max_length=5, blank=True,
                                  help_text=_("MM-DD, for example 11-30."))
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["service__order", "name"]

    def __str__(self) -> str:
        return f"{self.service.code}: {self.name}"

    def clean(self) -> None:
        import json

        from django.core.exceptions import ValidationError

        from .services import ZoneError, polygons_from_geojson

        try:
            polygons_from_geojson(json.dumps({"type": "MultiPolygon", "coordinates": self.polygons}))
        except (ZoneError, TypeError) as e:
            raise ValidationError({"polygons": str(e)}) from e

    def save(self, *args, **kwargs):
        from .services import bounds

        self.min_lat, self.max_lat, self.min_long, self.max_long = bounds(self.polygons)
        super().save(*args, **kwargs)

    @staticmethod
    def _month_day(text: str) -> tuple[int, int] | None:
        if not text:
            return None
        month, _sep, day = text.partition("-")
        return int(month), int(day)

    @property
    def season(self) -> tuple[date, date] | None:
        """The season's first and last day as dates of a year (to show them by name)."""
        start, end = self._month_day(self.season_start), self._month_day(self.season_end)
        return (date(2028, *start), date(2028, *end)) if start and end else None  # a leap year

    @property
    def rule(self) -> recurrence.Rule:
        return recurrence.Rule(self.frequency, self.weekday, self.anchor, self.nth,
                               self._month_day(self.season_start), self._month_day(self.season_end))


class ScheduleChange(Translated):
    """Days moved or cancelled: "all collections after Thanksgiving move one day later"."""

    start = models.DateField(_("from"))
    end = models.DateField(_("to"), help_text=_("Inclusive: the last day the change covers."))
    shift_days = models.SmallIntegerField(_("move by days"), null=True, blank=True, default=1,
                                          help_text=_("1: one day later; empty: no collection."))
    services = models.ManyToManyField(CollectionService, blank=True, related_name="changes",
                                      verbose_name=_("services"),
                                      help_text=_("None chosen: every service."))
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=100))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start"]

    def as_change(self) -> recurrence.Change:
        return recurrence.Change(self.start, self.end, self.shift_days, self.display_name)

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


class Subscription(OptIn):
    """A resident's request for a reminder the evening before their collection days.

    Anyone can ask with an address and an email or phone number; nothing is sent until the
    link sent to that address or number is opened and confirmed (a typed address may be
    somebody else's). A signed-in resident asking for their own email is confirmed at once.
    The words the resident agreed to are kept with the time, as the record of consent.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    address_ref = models.CharField(max_length=64)
    address_label = models.CharField(max_length=200)
    lat = models.FloatField()
    long = models.FloatField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    contact = models.CharField(max_length=254)  # an email address, or a phone number as typed
    language = models.CharField(max_length=12, default="en")
    services = models.ManyToManyField(CollectionService, blank=True, related_name="subscriptions",
                                      help_text=_("None chosen: every service at the address."))
    resident = models.ForeignKey("accounts.Resident", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="schedule_subscriptions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["address_ref", "channel", "contact"],
                                               name="schedule_subscription_once")]
        indexes = [models.Index(fields=["confirmed_at", "stopped_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} reminders for {self.address_label}"


class Reminder(models.Model):
    """One reminder sent to one subscription for one day. The unique key is what makes a
    run that a worker restart interrupted, and runs again, send nobody a second one."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    services = models.CharField(max_length=300)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "day"], name="reminder_once")]


class Notice(Translated):
    """A service notice staff publish: a holiday change, a water main shutdown, a road
    closure. It covers an area (polygons like a zone's, or a circle around a point; neither
    is the whole city) for a time window. While it is on, it shows on the portal's home
    page, on the schedule and case pages of addresses inside its area and in the assistant's
    answers; once published it is sent, in each subscriber's language, to the reminder
    subscribers whose address is inside it."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday change")
        WATER = "water", _("Water service")
        ROAD = "road", _("Road closure")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    translations = TranslatedFields(
        name=models.CharField(_("title"), max_length=120),
        body=models.TextField(_("what residents need to know"), max_length=2000))
    polygons = models.JSONField(_("area"), default=list, blank=True, help_text=_(
        "GeoJSON polygons; leave empty and give no point for the whole city."))
    lat = models.FloatField(_("latitude of the centre"), null=True, blank=True)
    long = models.FloatField(_("longitude of the centre"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius in metres"), null=True, blank=True)
    min_lat = models.FloatField(default=-90)
    max_lat = models.FloatField(default=90)
    min_long = models.FloatField(default=-180)
    max_long = models.FloatField(default=180)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    published = models.BooleanField(_("published"), default=False)
    notify = models.BooleanField(_("send to subscribers in the area"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must be after the start.")
        point = [self.lat, self.long, self.radius_m]
        if any(v is not None for v in point) and not all(v is not None for v in point):
            errors["radius_m"] = _("Give the centre's latitude and longitude and a radius, or none of them.")
        if self.polygons and self.radius_m:
            errors["polygons"] = _("Give an area or a circle, not both.")
        elif self.polygons:
            import json

            from .services import ZoneError, polygons_from_geojson

            try:  # GeoJSON as pasted: a geometry, a feature, or the list of polygons itself
                doc = self.polygons if isinstance(self.polygons, dict) else {
                    "type": "MultiPolygon", "coordinates": self.polygons}
                self.polygons = polygons_from_geojson(json.dumps(doc))
            except ZoneError as e:
                errors["polygons"] = str(e)
        if errors:
            raise ValidationError(errors)

    @property
    def display_body(self) -> str:
        return localized(self, "body")

    @property
    def whole_city(self) -> bool:
        return not self.polygons and self.radius_m is None

    def set_bounds(self) -> None:
        """The bounding box, for a quick first test in memory and in the database."""
        from civicdesk.core.geo import bounding_box, bounds

        if self.polygons:
            self.min_lat, self.max_lat, self.min_long, self.max_long = bounds(self.polygons)
        elif self.radius_m is not None:
            self.min_lat, self.max_lat, self.min_long, self.max_long = bounding_box(
                self.lat, self.long, self.radius_m)
        else:
            self.min_lat, self.max_lat, self.min_long, self.max_long = -90, 90, -180, 180

    def covers(self, lat: float, long: float) -> bool:
        from civicdesk.core.geo import distance_m, in_polygons

        if self.whole_city:
            return True
        if not (self.min_lat <= lat <= self.max_lat and self.min_long <= long <= self.max_long):
            return False
        if self.polygons:
            return in_polygons(lat, long, self.polygons)
        return distance_m(lat, long, self.lat, self.long) <= self.radius_m

    def on(self, at=None) -> bool:
        at = at or timezone.now()
        return self.published and self.starts_at <= at < self.ends_at


class NoticeDelivery(models.Model):
    """A notice sent to one subscription: the unique key makes a retried send skip it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notices")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "subscription"], name="notice_once")]
