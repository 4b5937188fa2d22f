"""The agency's address register (address points with coordinates), its boundary, and the
record of each import."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AddressPoint(models.Model):
    """One address the agency knows, with its point. ``street_key`` and ``search`` are the
    normalized forms (normalize.py) that matching and autocomplete compare with."""

    ref = models.CharField(_("register ID"), max_length=64, unique=True,
                           help_text=_("The register's own ID (Open311 address_id)."))
    number = models.CharField(max_length=16)
    street = models.CharField(max_length=120, help_text=_("As the register writes it: N Elm St"))
    unit = models.CharField(max_length=20, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    city = models.CharField(max_length=80, blank=True)
    lat = models.FloatField()
    long = models.FloatField()
    street_key = models.CharField(max_length=120)  # "n elm st"
    search = models.CharField(max_length=160)  # "1234 n elm st 5": what autocomplete prefixes match

    class Meta:
        indexes = [
            # Autocomplete is a prefix match on `search`; PostgreSQL uses this index for
            # LIKE 'prefix%' whatever the database's collation (varchar_pattern_ops).
            models.Index(fields=["search"], name="address_search_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["street_key", "number"], name="address_street_number"),
            models.Index(fields=["lat", "long"], name="address_point"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        unit = f" #{self.unit}" if self.unit else ""
        return f"{self.number} {self.street}{unit}"


class Boundary(models.Model):
    """The agency's area: one or more polygons (GeoJSON coordinates, longitude first)."""

    name = models.CharField(max_length=120)
    polygons = models.JSONField(help_text=_("A list of polygons; each a list of rings of [long, lat] pairs."))
    min_lat = models.FloatField()
    max_lat = models.FloatField()
    min_long = models.FloatField()
    max_long = models.FloatField()
    loaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """One import of addresses or a boundary, from the command or the upload page."""

    class Kind(models.TextChoices):
        ADDRESSES = "addresses", _("Addresses")
        BOUNDARY = "boundary", _("Boundary")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    file_name = models.CharField(max_length=200)
    path = models.CharField(max_length=500, blank=True)  # the uploaded file, under var/private/imports
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    replace = models.BooleanField(default=False)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    rejects = models.JSONField(default=list, blank=True)  # [{"row": 12, "reason": "...", "data": "..."}], first 500
    error = models.CharField(max_length=500, blank=True)
    by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return 100 if self.state == self.State.DONE else int(100 * self.done / self.total) if self.total else 0


class Ward(models.Model):
    """A ward or district of the city (polygons like the boundary): residents can follow
    the public reports in theirs (civicdesk.alerts)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    polygons = models.JSONField(help_text=_("A list of polygons; each a list of rings of [long, lat] pairs."))
    min_lat = models.FloatField(default=0)
    max_lat = models.FloatField(default=0)
    min_long = models.FloatField(default=0)
    max_long = models.FloatField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        from civicdesk.core.geo import bounds

        self.min_lat, self.max_lat, self.min_long, self.max_long = bounds(self.polygons)
        super().save(*args, **kwargs)

    def covers(self, lat: float, long: float) -> bool:
        from civicdesk.core.geo import in_polygons

        return (self.min_lat <= lat <= self.max_lat and self.min_long <= long <= self.max_long
                and in_polygons(lat, long, self.polygons))
