"""Surveys (A-11 CX, CSAT, effort, NPS, or the agency's own), invitations with single-use
links, and responses linked to the interaction they are about."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields

from civicdesk.core.models import Translated
from civicdesk.core.translation import localized

MAX_QUESTIONS = 15


class Survey(Translated):
    class Trigger(models.TextChoices):
        REQUEST_RESOLVED = "request_resolved", _("When a service request is resolved")
        CHAT_CLOSED = "chat_closed", _("When a chat closes")
        ALWAYS = "always", _("The “give feedback” link on every page")
        MANUAL = "manual", _("Not sent automatically")

    slug = models.SlugField(unique=True)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=120),
        intro=models.CharField(_("introduction"), max_length=300, blank=True),
    )
    trigger = models.CharField(_("sent"), max_length=20, choices=Trigger.choices,
                               default=Trigger.MANUAL, db_index=True)
    active = models.BooleanField(default=True)
    built_in = models.BooleanField(default=False)

    class Meta:
        ordering = ["slug"]

    @property
    def display_intro(self) -> str:
        return localized(self, "intro")


class Question(TranslatableModel):
    class Kind(models.TextChoices):
        AGREE5 = "agree5", _("Agreement, 1 to 5")
        YESNO = "yesno", _("Yes or no")
        SCALE10 = "scale10", _("0 to 10")
        CSAT5 = "csat5", _("Satisfaction, 1 to 5")
        CHOICE = "choice", _("One choice")
        TEXT = "text", _("Free text")

    # What a question measures, for the dashboard (the A-11 drivers and the classic scores).
    class Measure(models.TextChoices):
        NONE = "", _("Nothing in particular")
        SATISFACTION = "satisfaction", _("Satisfaction")
        TRUST = "trust", _("Trust")
        EFFECTIVENESS = "effectiveness", _("Effectiveness")
        EASE = "ease", _("Ease")
        EFFICIENCY = "efficiency", _("Efficiency")
        TRANSPARENCY = "transparency", _("Transparency")
        HELPFULNESS = "helpfulness", _("Employee helpfulness")
        EQUITY = "equity", _("Equity")
        CSAT = "csat", _("CSAT")
        EFFORT = "effort", _("Customer effort")
        NPS = "nps", _("Likelihood to recommend")
        COMMENT = "comment", _("Comments")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    measure = models.CharField(max_length=16, choices=Measure.choices, blank=True)
    translations = TranslatedFields(
        text=models.CharField(_("question"), max_length=300,
                              help_text=_("[service] is replaced by the service's or agency's name.")),
    )
    # Each choice's label per language: {"key": "k", "name": "Name", "name_es": "Nombre", ...};
    # "name" is the default language's, a missing language falls back to it.
    choices = models.JSONField(default=list, blank=True,
                               help_text=_('One choice: [{"key": "k", "name": "Name", "name_es": "Nombre"}]'))
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return localized(self, "text")

    def clean(self) -> None:
        if self.survey_id and self.survey.questions.exclude(pk=self.pk).count() >= MAX_QUESTIONS:
            raise ValidationError(_("A survey holds at most %(n)s questions.") % {"n": MAX_QUESTIONS})
        if self.choices in (None, ""):
            self.choices = []
        well_formed = isinstance(self.choices, list) and all(
            isinstance(c, dict) and str(c.get("key", "")).strip() and str(c.get("name", "")).strip()
            for c in self.choices)
        if not well_formed:
            raise ValidationError({"choices": _('Write the choices as a list like [{"key": "k", "name": "Name", '
                                                '"name_es": "Nombre"}], each with a key and a name.')})
        if self.kind == self.Kind.CHOICE and len(self.choices) < 2:
            raise ValidationError({"choices": _("A one-choice question needs at least two choices.")})

    def display_text(self, subject: str) -> str:
        return localized(self, "text").replace("[service]", subject)


class Invitation(models.Model):
    """A single-use link sent after an interaction; only the token's hash is stored."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=10)  # web, chat, email, sms, phone...
    request = models.ForeignKey("cases.ServiceRequest", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="survey_invitations")
    conversation = models.ForeignKey("conversations.Conversation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="survey_invitations")
    resident = models.ForeignKey("accounts.Resident", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="survey_invitations")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)  # for invitations sent by text message
    sent_via = models.CharField(max_length=8, blank=True)  # "email" or "sms"
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)


class Response(models.Model):
    """One resident's answers, sliced later by channel, department, service and agent."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(Invitation, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="response")
    request = models.ForeignKey("cases.ServiceRequest", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="survey_responses")
    conversation = models.ForeignKey("conversations.Conversation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="survey_responses")
    channel = models.CharField(max_length=10, db_index=True)
    department = models.ForeignKey("catalog.Department", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="survey_responses")
    service = models.ForeignKey("catalog.Service", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="survey_responses")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="survey_responses")
    language = models.CharField(max_length=8, default="en")
    complete = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Denormalised for the dashboard: the A-11 items and the classic scores, when answered.
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    trust = models.PositiveSmallIntegerField(null=True, blank=True)
    effectiveness = models.PositiveSmallIntegerField(null=True, blank=True)
    ease = models.PositiveSmallIntegerField(null=True, blank=True)
    efficiency = models.PositiveSmallIntegerField(null=True, blank=True)
    transparency = models.PositiveSmallIntegerField(null=True, blank=True)
    helpfulness = models.PositiveSmallIntegerField(null=True, blank=True)
    equity = models.PositiveSmallIntegerField(null=True, blank=True)
    csat = models.PositiveSmallIntegerField(null=True, blank=True)
    effort = models.PositiveSmallIntegerField(null=True, blank=True)
    nps = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at", "department"]),
                   models.Index(fields=["created_at", "service"]),
                   # The dashboard's comments: a few percent of the responses have one.
                   models.Index(fields=["created_at"], condition=~models.Q(comment=""),
                                name="response_comment_idx")]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"],
                                               name="answer_unique")]


class DailyRollup(models.Model):
    """What every daily rollup row has (rollups.py): the local day and the slice it
    counts. Department and service are plain integers, 0 for none, so a deleted
    department does not rewrite history."""

    day = models.DateField()
    department_id = models.IntegerField(default=0)
    channel = models.CharField(max_length=10)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["day", "department_id"])]


class ResponseDay(DailyRollup):
    """Daily rollup of survey responses per department, service and channel (rollups.py):
    for each item, how many answered (_n) and how many agreed, 4 or 5 (_k)."""

    service_id = models.IntegerField(default=0)
    responses = models.IntegerField(default=0)
    satisfaction_n = models.IntegerField(default=0)
    satisfaction_k = models.IntegerField(default=0)
    trust_n = models.IntegerField(default=0)
    trust_k = models.IntegerField(default=0)
    effectiveness_n = models.IntegerField(default=0)
    effectiveness_k = models.IntegerField(default=0)
    ease_n = models.IntegerField(default=0)
    ease_k = models.IntegerField(default=0)
    efficiency_n = models.IntegerField(default=0)
    efficiency_k = models.IntegerField(default=0)
    transparency_n = models.IntegerField(default=0)
    transparency_k = models.IntegerField(default=0)
    helpfulness_n = models.IntegerField(default=0)
    helpfulness_k = models.IntegerField(default=0)
    equity_n = models.IntegerField(default=0)
    equity_k = models.IntegerField(default=0)
    csat_n = models.IntegerField(default=0)
    csat_k = models.IntegerField(default=0)
    effort_n = models.IntegerField(default=0)
    effort_k = models.IntegerField(default=0)
    nps_n = models.IntegerField(default=0)
    nps_promoters = models.IntegerField(default=0)
    nps_detractors = models.IntegerField(default=0)
    # + r_<driver>_<moment> for "what moves trust", added below.


# "What moves trust" from rollups: for each driver, over the responses that answered both it
# (x) and trust (y), the sums that give Pearson's r exactly for any set of days:
# n, Σx, Σy, Σx², Σy², Σxy (columns r_ease_n, r_ease_x, …; rollups.correlations()).
DRIVER_FIELDS = ["effectiveness", "ease", "efficiency", "transparency", "helpfulness", "equity"]
MOMENTS = ["n", "x", "y", "xx", "yy", "xy"]
for _driver in DRIVER_FIELDS:
    for _moment in MOMENTS:
        ResponseDay.add_to_class(f"r_{_driver}_{_moment}", models.IntegerField(default=0))


class ConversationDay(DailyRollup):
    """Daily rollup of conversations (by the day they started) per department and channel:
    closed, closed at first contact, chats with a resident message and those the assistant
    resolved alone, and histograms (minutes, buckets 7% wide) of the wait for the first
    agent reply and of the time to close (department 0: the general queue)."""

    conversations = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    first_contact = models.IntegerField(default=0)
    chats = models.IntegerField(default=0)
    by_assistant = models.IntegerField(default=0)
    wait_minutes = models.JSONField(default=dict)  # bucket index -> count
    handling_minutes = models.JSONField(default=dict)


class RequestDay(DailyRollup):
    """Daily rollup of service requests: opened that day, resolved that day (with a
    histogram of hours to resolve, for medians), resolved on time."""

    service_id = models.IntegerField(default=0)
    opened = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    hours = models.JSONField(default=dict)  # bucket index -> count
