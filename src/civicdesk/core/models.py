from django.db import models
from django.utils.translation import gettext_lazy as _

from civicdesk.core.translation import localized


class BenchRow(models.Model):
    """A one-column table the intake benchmark's bare view inserts into (bench/ only)."""

    created_at = models.DateTimeField(auto_now_add=True)
    payload = models.CharField(max_length=100, blank=True)


class NamedInTwoLanguages(models.Model):
    """A name in English and Spanish, shown in the reader's language (falling back to
    English): departments, services, article categories, surveys."""

    name = models.CharField(_("name"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")
