"""Resident-facing forms. They render fields; the rules live in cases.services."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicdesk.catalog.models import Service, ServiceQuestion


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


def question_field_name(question: ServiceQuestion) -> str:
    return f"q_{question.code}"


class RequestForm(forms.Form):
    """The request form for one service; its questions become extra fields."""

    submission_key = forms.CharField(widget=forms.HiddenInput)
    description = forms.CharField(
        label=_("What is the problem?"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 4}),
        help_text=_("Describe what you see and anything that helps the crew find it."))
    address = forms.CharField(
        label=_("Address"), required=False, max_length=255,
        widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "street-address"}),
        help_text=_("Start with the house number, for example 1228 Elm St. Or put a pin on the map."))
    # The register's ID of the address picked from the suggestions (autocomplete, or the
    # "did you mean" list the form shows without JavaScript).
    address_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    lat = forms.CharField(label=_("Latitude"), required=False,
                          widget=forms.TextInput(attrs={"class": "usa-input", "inputmode": "decimal"}))
    long = forms.CharField(label=_("Longitude"), required=False,
                           widget=forms.TextInput(attrs={"class": "usa-input", "inputmode": "decimal"}))
    photos = MultiplePhotoField(
        label=_("Photos (optional)"), required=False,
        widget=MultipleFileInput(attrs={"class": "usa-file-input", "accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("Up to 5 photos, JPEG, PNG or WebP. We remove the location and camera details from them."))
    first_name = forms.CharField(label=_("First name"), required=False, max_length=80,
                                 widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=80,
                                widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "family-name"}))
    email = forms.CharField(label=_("Email"), required=False,
                            widget=forms.EmailInput(attrs={"class": "usa-input", "autocomplete": "email"}))
    phone = forms.CharField(label=_("Phone"), required=False,
                            widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "tel", "type": "tel"}))
    confirm_new = forms.BooleanField(
        label=_("I checked the requests above; mine is a different problem."), required=False,
        widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}))

    def __init__(self, service: Service, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.questions = list(service.questions.all())
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)
        for q in self.questions:
            if not q.variable:
                continue
            self.fields[question_field_name(q)] = self._field_for(q)

    @staticmethod
    def _field_for(q: ServiceQuestion) -> forms.Field:
        common = {"label": q.display_description, "required": False, "help_text": q.display_help}
        D = ServiceQuestion.Datatype
        if q.datatype == D.SINGLEVALUELIST:
            return forms.ChoiceField(choices=[("", _("- Select -"))] + q.choices(),
                                     widget=forms.Select(attrs={"class": "usa-select"}), **common)
        if q.datatype == D.MULTIVALUELIST:
            return forms.MultipleChoiceField(choices=q.choices(), widget=forms.CheckboxSelectMultiple, **common)
        if q.datatype == D.TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}), **common)
        if q.datatype == D.NUMBER:
            return forms.CharField(widget=forms.TextInput(attrs={"class": "usa-input", "inputmode": "decimal"}), **common)
        if q.datatype == D.DATETIME:
            return forms.CharField(widget=forms.DateTimeInput(attrs={"class": "usa-input", "type": "datetime-local"}), **common)
        return forms.CharField(widget=forms.TextInput(attrs={"class": "usa-input"}), **common)

    def question_fields(self):
        return [(q, self[question_field_name(q)]) for q in self.questions if q.variable]

    def raw_answers(self) -> dict:
        answers = {}
        for q in self.questions:
            name = question_field_name(q)
            if q.datatype == ServiceQuestion.Datatype.MULTIVALUELIST:
                answers[q.code] = self.data.getlist(name)
            else:
                answers[q.code] = self.data.get(name, "")
        return answers

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Place errors from cases.services on the fields they are about."""
        codes = {q.code for q in self.questions}
        mapping = {"location": "address", "name": "first_name", "service": None, "__all__": None}
        for key, messages in errors.items():
            field = f"q_{key}" if key in codes else mapping.get(key, key)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class EmailForm(forms.Form):
    email = forms.CharField(label=_("Email"), widget=forms.EmailInput(attrs={"class": "usa-input", "autocomplete": "email"}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("What is still wrong?"), max_length=1000,
                             widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}))


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), required=False, max_length=80,
                                 widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=80,
                                widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "family-name"}))
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40,
                            widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "tel", "type": "tel"}))
    preferred_language = forms.ChoiceField(label=_("Language for messages"),
                                           choices=lambda: settings.LANGUAGES,
                                           widget=forms.Select(attrs={"class": "usa-select"}))
    preferred_channel = forms.ChoiceField(label=_("How should we contact you?"),
                                          choices=[("email", _("Email")), ("sms", _("Text message")), ("phone", _("Phone call"))],
                                          widget=forms.Select(attrs={"class": "usa-select"}))
