"""The reminder form: how to reach the resident, which services, and their consent."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicdesk.core.forms import check_email

from .models import Subscription


class ReminderForm(forms.Form):
    address_id = forms.CharField(max_length=64, widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        label=_("How should we remind you?"), choices=Subscription.Channel.choices,
        initial=Subscription.Channel.EMAIL,
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}))
    email = forms.CharField(label=_("Email address for email reminders"), required=False, max_length=254,
                            widget=forms.EmailInput(attrs={"class": "usa-input", "autocomplete": "email"}))
    phone = forms.CharField(label=_("Mobile number for text reminders"), required=False, max_length=40,
                            widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "tel",
                                                          "type": "tel"}))
    services = forms.MultipleChoiceField(
        label=_("Remind me of"), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}))
    consent = forms.BooleanField(
        label=_("I agree to receive these reminders. I can stop them at any time from any reminder."),
        required=False, widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}))

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = [(str(s.pk), s.display_name) for s in services]

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if channel == Subscription.Channel.EMAIL:
            check_email(self, "email", data.get("email"), _("Enter the email address for the reminders."))
        elif channel == Subscription.Channel.SMS and not (data.get("phone") or "").strip():
            self.add_error("phone", _("Enter the mobile phone number for the reminders."))
        if not data.get("consent"):
            self.add_error("consent", _("Tick the box to agree to receive reminders."))
        return data
