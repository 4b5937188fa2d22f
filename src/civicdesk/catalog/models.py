"""The service catalog: departments, their hours, services and service questions.

Services carry the Open311 GeoReport v2 fields; questions are Open311 "attributes".
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from parler.managers import TranslatableManager, TranslatableQuerySet
from parler.models import TranslatableModel, TranslatedFields

from civicdesk.core.business_hours import Schedule
from civicdesk.core.models import Translated
from civicdesk.core.translation import localized


class Department(Translated):
    slug = models.SlugField(unique=True)
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=120))
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="America/Chicago")
    on_call_emails = models.CharField(
        _("on-call emails"), max_length=500, blank=True,
        help_text=_("Comma-separated. Alerted at once, day or night, when a priority rule marks a request urgent."))
    on_call_phones = models.CharField(
        _("on-call mobile numbers"), max_length=200, blank=True,
        help_text=_("Comma-separated, with the country code (+15555550100). Texted with the same alert."))

    class Meta:
        ordering = ["slug"]

    @staticmethod
    def _split(value: str) -> list[str]:
        return [v.strip() for v in value.split(",") if v.strip()]

    @property
    def on_call(self) -> tuple[list[str], list[str]]:
        return self._split(self.on_call_emails), self._split(self.on_call_phones)

    def hours_per_day(self) -> float:
        """The longest day of the department's business hours (24 with none: always open)."""
        per_day: dict[int, float] = {}
        for h in self.hours.all():
            minutes = (h.closes.hour * 60 + h.closes.minute) - (h.opens.hour * 60 + h.opens.minute)
            per_day[h.weekday] = per_day.get(h.weekday, 0) + max(minutes, 0) / 60
        return max(per_day.values(), default=24) or 24

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


class ServiceQuerySet(TranslatableQuerySet):
    def active(self):
        return self.filter(active=True)


class Visibility(models.TextChoices):
    """What the public (case page, map, lists, Open311 GET, the assistant) sees of a
    service's requests. The filer and whoever holds the private link always see everything."""
    PUBLIC = "public", _("Public: description, photos and place")
    LOCATION = "location", _("Place and status only: no description, answers, photos or updates")
    PRIVATE = "private", _("Private: never on public pages, the map, lists or Open311")


class Service(Translated):
    TYPE_CHOICES = [("realtime", "realtime"), ("batch", "batch"), ("blackbox", "blackbox")]

    service_code = models.SlugField(_("service code"), max_length=64, unique=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="services")
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=120),
        description=models.TextField(_("description")),
        group=models.CharField(_("group"), max_length=80),
        emergency_notice=models.TextField(
            _("emergency notice"), blank=True,
            help_text=_("Shown first on the service page, at the top of its form and by the assistant, for "
                        "example “If someone is hurt or in danger, call 911 now.”")),
    )
    keywords = models.CharField(_("keywords"), max_length=300, blank=True,
                                help_text=_("Comma-separated, in any of the agency's languages."))
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
    moderated = models.BooleanField(
        _("review before publishing"), default=False,
        help_text=_("Residents' descriptions, photos and added information wait for staff approval before "
                    "the public sees them (graffiti, for example, may be offensive)."))

    objects = TranslatableManager.from_queryset(ServiceQuerySet)()

    class Meta:
        ordering = ["service_code"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.service_code})"

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def display_emergency_notice(self) -> str:
        return localized(self, "emergency_notice")

    @property
    def target_text(self) -> str:
        """The service's one promise, in words, in the current language: "within 6 working
        days". Every "when" a resident reads (service page, form, help articles) says this,
        and every request's due time (case page, confirmation, email, Open311) is computed
        from the same ``sla_hours`` in the department's business hours."""
        from django.utils.translation import ngettext

        per_day = self.department.hours_per_day()
        if per_day >= 24:
            days, hours = divmod(self.sla_hours, 24)
            if hours or not days:
                return ngettext("within %(n)s hour", "within %(n)s hours", self.sla_hours) % {"n": self.sla_hours}
            return ngettext("within %(n)s day", "within %(n)s days", days) % {"n": days}
        if self.sla_hours < per_day:
            return ngettext("within %(n)s working hour", "within %(n)s working hours",
                            self.sla_hours) % {"n": self.sla_hours}
        days = -(-self.sla_hours // int(per_day))  # rounded up: a promise is kept, not approached
        return ngettext("within %(n)s working day", "within %(n)s working days", days) % {"n": days}

    @property
    def display_group(self) -> str:
        return localized(self, "group")

    @property
    def has_metadata(self) -> bool:
        """Open311's ``metadata``: whether the service asks its own questions."""
        return self.questions.exists()


class ServiceQuestion(TranslatableModel):
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
    translations = TranslatedFields(
        description=models.CharField(_("question"), max_length=300),
        datatype_description=models.CharField(_("help text"), max_length=200, blank=True),
    )
    # Each value's label per language: "name" in the default language, "name_<code>" in
    # others (a missing one falls back to "name"), so a new language needs no migration.
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
        from civicdesk.core.languages import normalize

        lang = normalize(get_language())
        suffix = "" if lang == settings.LANGUAGE_CODE else f"_{lang}"
        return [(str(v["key"]), v.get(f"name{suffix}") or v.get("name", "")) for v in self.values]

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


class PriorityRule(models.Model):
    """An answer that makes a request urgent: "Is anyone in danger right now?" = yes sets the
    priority, a shorter target in clock hours (day and night, not business hours), and
    alerts the department's on-call contacts at once."""

    class Level(models.TextChoices):
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="priority_rules")
    question = models.ForeignKey(ServiceQuestion, on_delete=models.CASCADE, related_name="priority_rules",
                                 help_text=_("One of this service's questions."))
    answer = models.CharField(_("answer"), max_length=100,
                              help_text=_("The answer's key (for a list) or value that triggers the rule."))
    priority = models.CharField(max_length=10, choices=Level.choices, default=Level.URGENT)
    target_hours = models.PositiveIntegerField(_("target (clock hours)"), default=4)
    alert_on_call = models.BooleanField(_("alert the on-call contacts"), default=True)

    class Meta:
        ordering = ["target_hours", "pk"]

    def __str__(self) -> str:
        return f"{self.question.code} = {self.answer} → {self.priority}, {self.target_hours} h"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.question_id and self.service_id and self.question.service_id != self.service_id:
            raise ValidationError({"question": _("Choose a question of this service.")})
        if self.question_id and self.question.datatype in ServiceQuestion.LIST_TYPES:
            keys = {k for k, _label in self.question.choices()}
            if self.answer not in keys:
                raise ValidationError({"answer": _("Use one of the question's answer keys: %(keys)s.")
                                       % {"keys": ", ".join(sorted(keys))}})

    def matches(self, answers: dict) -> bool:
        value = answers.get(self.question.code)
        if isinstance(value, list):
            return self.answer in value
        return value is not None and str(value).strip().lower() == self.answer.strip().lower()
