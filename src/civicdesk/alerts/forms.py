"""The area alert form: the area (near an address, or a ward), how often, the email, consent."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicdesk.core.forms import check_email

from .models import AreaAlert
from .services import RADII


class AlertForm(forms.Form):
    area = forms.ChoiceField(label=_("Which area?"), initial="near",
                             choices=[("near", _("Near an address")), ("ward", _("A whole ward"))],
                             widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}))
    address = forms.CharField(label=_("Address"), required=False, max_length=200, widget=forms.TextInput(
        attrs={"class": "usa-input", "autocomplete": "street-address"}),
        help_text=_("House number and street, for example 1228 Elm St"))
    address_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    radius = forms.TypedChoiceField(label=_("Within"), coerce=int, initial=500,
                                    choices=[(r, _("%(metres)s m") % {"metres": r}) for r in RADII],
                                    widget=forms.Select(attrs={"class": "usa-select"}))
    ward = forms.ModelChoiceField(label=_("Ward"), required=False, queryset=None,
                                  empty_label=_("Choose a ward"),
                                  widget=forms.Select(attrs={"class": "usa-select"}))
    mode = forms.ChoiceField(label=_("How often?"), choices=AreaAlert.Mode.choices,
                             initial=AreaAlert.Mode.DAILY,
                             widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}))
    email = forms.CharField(label=_("Your email address"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"class": "usa-input", "autocomplete": "email"}))
    consent = forms.BooleanField(label=_("I agree to receive these emails. I can stop them at any time "
                                         "from any of them."), required=False,
                                 widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}))

    def __init__(self, *args, **kwargs):
        from civicdesk.addresses.models import Ward

        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("area") == "ward" and not data.get("ward"):
            self.add_error("ward", _("Choose the ward to follow."))
        if data.get("area") == "near" and not (data.get("address") or data.get("address_id")):
            self.add_error("address", _("Enter the address to follow the reports near."))
        check_email(self, "email", data.get("email"), _("Enter the email address for the alerts."))
        if not data.get("consent"):
            self.add_error("consent", _("Tick the box to agree to receive these emails."))
        return data
