"""Area alerts: a resident follows the public reports near an address or in a ward, by an
email for each new report and update, or one digest a day."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.core.models import OptIn


class AreaAlert(OptIn):
    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("An email for each new report or update")
        DAILY = "daily", _("One email a day with everything new")

    email = models.EmailField()
    language = models.CharField(max_length=12, default="en")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.DAILY)
    # the area: a circle around a register address, or a ward
    address_ref = models.CharField(max_length=64, blank=True)
    address_label = models.CharField(max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    radius_m = models.PositiveIntegerField(null=True, blank=True)
    ward = models.ForeignKey("addresses.Ward", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="alerts")
    area_key = models.CharField(max_length=100)  # "A-1:500" or "ward:3": one alert per area and email
    min_lat = models.FloatField(default=0)
    max_lat = models.FloatField(default=0)
    min_long = models.FloatField(default=0)
    max_long = models.FloatField(default=0)
    resident = models.ForeignKey("accounts.Resident", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="area_alerts")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "area_key"], name="area_alert_once")]
        indexes = [models.Index(fields=["mode", "confirmed_at", "stopped_at"])]

    def __str__(self) -> str:
        return f"{self.email}: {self.area_label}"

    @property
    def area_label(self) -> str:
        if self.ward_id:
            return _("in %(ward)s") % {"ward": self.ward.name}
        return _("within %(distance)s m of %(address)s") % {"distance": self.radius_m,
                                                           "address": self.address_label}

    def covers(self, lat: float, long: float) -> bool:
        from civicdesk.core.geo import distance_m

        if not (self.min_lat <= lat <= self.max_lat and self.min_long <= long <= self.max_long):
            return False
        if self.ward_id:
            return self.ward.covers(lat, long)
        return distance_m(lat, long, self.lat, self.long) <= self.radius_m


class AlertSent(models.Model):
    """One email about one timeline event to one alert (immediate mode): sent once."""

    alert = models.ForeignKey(AreaAlert, on_delete=models.CASCADE, related_name="sent")
    event = models.ForeignKey("cases.TimelineEvent", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "event"], name="alert_event_once")]


class AlertDigest(models.Model):
    """The daily digest of one alert for one day: sent once."""

    alert = models.ForeignKey(AreaAlert, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField()
    events = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "day"], name="alert_digest_once")]
