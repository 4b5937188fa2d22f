"""The service catalog: departments, their hours, services and service questions.

Services carry the Open311 GeoReport v2 fields; questions are Open311 "attributes".
"""

from __future__ import annotations

from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicdesk.core.business_hours import Schedule
from civicdesk.core.models import NamedInTwoLanguages
from civicdesk.core.translation import localized


class Department(NamedInTwoLanguages):
    slug = models.SlugField(unique=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="America/Chicago")

    class Meta:
        ordering = ["name"]

    def schedule(self) -> Schedule:
        result: Schedule = {}
        for h in self.hours.all():
            result.setdefault(h.weekday, []).append((h.opens, h.closes))
        return result


class BusinessHours(models.Model):
    WEEKDAYS = [
        (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
        (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
    ]
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    opens = models.TimeField(default=time(8))
    closes = models.TimeField(default=time(17))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "business hours"

    def clean(self) -> None:
        if self.opens >= self.closes:
            raise ValidationError(_("Opening time must be before closing time."))


class ServiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Visibility(models.TextChoices):
    """What the public (case page, map, lists, Open311 GET, the assistant) sees of a
    service's requests. The filer and whoever holds the private link always see everything."""
    PUBLIC = "public", _("Public: description, photos and place")
    LOCATION = "location", _("Place and status only: no description, answers, photos or updates")
    PRIVATE = "private", _("Private: never on public pages, the map, lists or Open311")


class Service(NamedInTwoLanguages):
    TYPE_CHOICES = [("realtime", "realtime"), ("batch", "batch"), ("blackbox", "blackbox")]

    service_code = models.SlugField(_("service code"), max_length=64, unique=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="services")
    description = models.TextField(_("description"))
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True,
                                help_text=_("Comma-separated, English and Spanish."))
    group = models.CharField(_("group"), max_length=80)
    group_es = models.CharField(_("group (Spanish)"), max_length=80, blank=True)
    type = models.CharField(max_length=10, choices=TYPE_CHOICES, default="realtime")
    sla_hours = models.PositiveIntegerField(
        _("SLA target (business hours)"), default=72,
        help_text=_("Time to resolve, counted in the department's business hours."),
    )
    active = models.BooleanField(default=True)
    visibility = models.CharField(
        _("public visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC,
        help_text=_("Private for reports about people (animal bites, neighbours, noise)."))
    block_only = models.BooleanField(
        _("show only the block"), default=False,
        help_text=_("Reported at the resident's own home (a missed pickup): public pages show the block, "
                    "a point rounded to about 100 m and the status, never the house number, words or photos."))

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.service_code})"

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def display_group(self) -> str:
        return localized(self, "group")

    @property
    def has_metadata(self) -> bool:
        """Open311's ``metadata``: whether the service asks its own questions."""
        return self.questions.exists()


class ServiceQuestion(models.Model):
    """One Open311 attribute of a service: a question its request form asks."""

    class Datatype(models.TextChoices):
        STRING = "string", _("short text")
        NUMBER = "number", _("number")
        DATETIME = "datetime", _("date and time")
        TEXT = "text", _("long text")
        SINGLEVALUELIST = "singlevaluelist", _("choose one")
        MULTIVALUELIST = "multivaluelist", _("choose any")

    LIST_TYPES = {Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST}

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(max_length=64)
    datatype = models.CharField(max_length=20, choices=Datatype.choices)
    required = models.BooleanField(default=False)
    variable = models.BooleanField(
        default=True, help_text=_("False for an informational note that takes no answer."))
    order = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("question"), max_length=300)
    description_es = models.CharField(_("question (Spanish)"), max_length=300, blank=True)
    datatype_description = models.CharField(max_length=200, blank=True)
    datatype_description_es = models.CharField(max_length=200, blank=True)
    values = models.JSONField(
        default=list, blank=True,
        help_text=_('For list types: [{"key": "k", "name": "Name", "name_es": "Nombre"}, ...]'),
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="question_code_unique")]

    def __str__(self) -> str:
        return f"{self.service.service_code}:{self.code}"

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def display_help(self) -> str:
        return localized(self, "datatype_description")

    def choices(self) -> list[tuple[str, str]]:
        return [(str(v["key"]), localized(_Value(v), "name")) for v in self.values]

    def clean(self) -> None:
        if self.datatype in self.LIST_TYPES:
            if not self.values:
                raise ValidationError({"values": _("A list question needs at least one value.")})
            keys = []
            for v in self.values:
                if not isinstance(v, dict) or "key" not in v or "name" not in v:
                    raise ValidationError({"values": _('Each value needs "key" and "name".')})
                keys.append(str(v["key"]))
            if len(keys) != len(set(keys)):
                raise ValidationError({"values": _("Value keys must be unique.")})
        elif self.values:
            raise ValidationError({"values": _("Only list questions take values.")})


class _Value:
    def __init__(self, data: dict) -> None:
        self.name = data.get("name", "")
        self.name_es = data.get("name_es", "")
