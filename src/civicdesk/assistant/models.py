"""What supervisors teach the assistant (example questions) and what it was asked (turns)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Example(models.Model):
    """A question residents ask, pointing at the article or service that answers it."""

    text = models.CharField(_("question"), max_length=300)
    language = models.CharField(_("language"), max_length=8, default="en")  # one of settings.LANGUAGES
    article = models.ForeignKey("knowledge.Article", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="examples")
    service = models.ForeignKey("catalog.Service", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="examples")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if bool(self.article_id) == bool(self.service_id):
            raise ValidationError(_("Choose either an article or a service."))

    @property
    def label(self) -> str:
        return f"article:{self.article_id}" if self.article_id else f"service:{self.service_id}"


class Turn(models.Model):
    """One question to the assistant and what it did, for supervisors' review."""

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Answered from an article")
        SERVICE = "service", _("Offered a service")
        FLOW = "flow", _("Guided step")
        STATUS = "status", _("Request status")
        HOURS = "hours", _("Office hours")
        REPORTED = "reported", _("Request filed")
        UNSURE = "unsure", _("Did not understand")
        HANDOFF = "handoff", _("Handed to a person")
        MESSAGE = "message", _("Took a message (after hours)")

    conversation = models.ForeignKey("conversations.Conversation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="assistant_turns")
    question = models.TextField()  # as stored in the conversation (redacted)
    language = models.CharField(max_length=8)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, db_index=True)
    label = models.CharField(max_length=40, blank=True)  # best guess: article:ID / service:ID
    score = models.FloatField(default=0)
    support = models.FloatField(default=0)
    answer = models.TextField(blank=True)
    reviewed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
