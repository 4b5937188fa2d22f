from django.db import models
from parler.models import TranslatableModel

from civicdesk.core.translation import localized


class BenchRow(models.Model):
    """A one-column table the intake benchmark's bare view inserts into (bench/ only)."""

    created_at = models.DateTimeField(auto_now_add=True)
    payload = models.CharField(max_length=100, blank=True)


class Translated(TranslatableModel):
    """A model whose texts are in the agency's languages (django-parler's translation table,
    one row per language). ``display_name`` and ``localized(obj, field)`` read them in the
    reader's language, falling back to the default language."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


def by_display_name(objects) -> list:
    """Sorted by their name in the reader's language (translated names cannot be sorted by
    the database in every language at once)."""
    return sorted(objects, key=lambda o: o.display_name.casefold())
