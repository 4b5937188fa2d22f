from django.db import models
from django.utils import timezone
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


class OptIn(models.Model):
    """Something a resident asked to receive (collection reminders, area alerts): the words
    they agreed to and when, confirmed by a link sent to them (`token`), stopped by the link
    in every message. Nothing is sent unless `active`."""

    token = models.CharField(max_length=64, unique=True)
    consent_wording = models.TextField()
    consented_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.stopped_at is None

    def confirm(self) -> None:
        """The link was opened and its button pressed: on (again, if it had been stopped)."""
        if not self.active:
            self.confirmed_at, self.stopped_at = timezone.now(), None
            self.save(update_fields=["confirmed_at", "stopped_at"])

    def stop(self) -> None:
        if self.stopped_at is None:
            self.stopped_at = timezone.now()
            self.save(update_fields=["stopped_at"])

    MESSAGE_EVERY = 600  # seconds: at most one confirmation (or "already") message per window

    def may_message(self) -> bool:
        """Whether a confirmation may be sent now: asking ten times in a minute sends the
        contact one message, not ten (the shared cache keeps the window across processes)."""
        from django.core.cache import cache

        return cache.add(f"optin:{self._meta.label_lower}:{self.pk}", 1, self.MESSAGE_EVERY)
