"""Residents' forms: register, comment, speak, follow a body. Every message says what is
wrong in the resident's language; a hidden submission key makes a retry return the first
submission instead of a second one."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from civicdesk.core.forms import check_email

from .models import BodySubscription, Comment, Registration
from .services import MAX_COMMENT


def _input(**attrs):
    return forms.TextInput(attrs={"class": "usa-input", **attrs})


def _radios():
    return forms.RadioSelect(attrs={"class": "usa-radio__input"})


def _consent(label):
    return forms.BooleanField(label=label, required=False,
                              widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}))


class KeyedForm(forms.Form):
    submission_key = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)


def interpretation_choices():
    return ([("", _("No interpretation needed"))]
            + [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
            + [("asl", _("American Sign Language"))])


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120, required=False,
                           widget=_input(autocomplete="name"))
    email = forms.CharField(label=_("Your email address"), max_length=254, required=False,
                            help_text=_("We send your link to attend here."),
                            widget=forms.EmailInput(attrs={"class": "usa-input", "autocomplete": "email"}))
    attend = forms.ChoiceField(label=_("How will you attend?"), choices=Registration.Attend.choices,
                               initial=Registration.Attend.ONLINE, widget=_radios())
    interpretation = forms.ChoiceField(label=_("Interpretation"), required=False, choices=(),
                                       widget=forms.Select(attrs={"class": "usa-select"}))
    accommodation = forms.CharField(label=_("Any other accommodation (optional)"), required=False, max_length=1000,
                                    help_text=_("For example a wheelchair space, captions, or a hearing loop."),
                                    widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}))
    consent = _consent(_("Email me about this meeting: the link to attend, and any change of time or place."))

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpretation"].choices = interpretation_choices()
        if meeting is not None and not (meeting.in_person and meeting.online):
            only = Registration.Attend.ONLINE if meeting.online else Registration.Attend.IN_PERSON
            self.fields["attend"].choices = [c for c in Registration.Attend.choices if c[0] == only]
            self.fields["attend"].initial = only

    def clean(self):
        data = super().clean()
        if not (data.get("name") or "").strip():
            self.add_error("name", _("Enter your name, so the clerk knows who is attending."))
        check_email(self, "email", data.get("email"), _("Enter your email address: your link to attend is sent there."))
        if not data.get("consent"):
            self.add_error("consent", _("Tick the box so that we may email you your link."))
        return data


class CommentForm(KeyedForm):
    item = forms.TypedChoiceField(label=_("Agenda item"), coerce=int, choices=(),
                                  widget=forms.Select(attrs={"class": "usa-select"}))
    position = forms.ChoiceField(label=_("Your position"), choices=Comment.Position.choices,
                                 initial=Comment.Position.NEUTRAL, widget=_radios())
    body = forms.CharField(label=_("Your comment"), required=False, max_length=MAX_COMMENT,
                           widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 6}))
    public_name = forms.CharField(label=_("Name to publish with your comment"), max_length=80, required=False,
                                  help_text=_("Your full name, your first name only, or “A resident”."),
                                  widget=_input(autocomplete="name"))
    email = forms.CharField(label=_("Your email address"), max_length=254, required=False,
                            help_text=_("Never published. We tell you when your comment is published."),
                            widget=forms.EmailInput(attrs={"class": "usa-input", "autocomplete": "email"}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.pk, f"{i.number}. {i.display_title}") for i in items]
        self.fields["body"].help_text = _("Up to %(n)s characters. The council receives every comment sent in "
                                          "time; the clerk publishes it on this page if it keeps to the rules.") % {
            "n": formats.number_format(MAX_COMMENT, force_grouping=True)}

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip():
            self.add_error("body", _("Write your comment."))
        if not (data.get("public_name") or "").strip():
            self.add_error("public_name", _("Enter the name to publish: your name, or “A resident”."))
        check_email(self, "email", data.get("email"), _("Enter your email address, so that we can tell you "
                                                        "when your comment is published."))
        return data


class SpeakForm(KeyedForm):
    item = forms.TypedChoiceField(label=_("Which item will you speak on?"), coerce=int, required=False, empty_value=None,
                                  choices=(), widget=forms.Select(attrs={"class": "usa-select"}))
    public_name = forms.CharField(label=_("Name to be called by"), max_length=80, required=False,
                                  help_text=_("The clerk calls you by this name, and it is shown on the live page."),
                                  widget=_input(autocomplete="name"))
    email = forms.CharField(label=_("Your email address"), max_length=254, required=False,
                            help_text=_("We send the link to your place in the queue. Never published."),
                            widget=forms.EmailInput(attrs={"class": "usa-input", "autocomplete": "email"}))
    phone = forms.CharField(label=_("Phone number to call you on (optional)"), max_length=32, required=False,
                            help_text=_("If you will join by phone instead of the video link."),
                            widget=forms.TextInput(attrs={"class": "usa-input", "type": "tel", "autocomplete": "tel"}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("General public comment"))] + [
            (i.pk, f"{i.number}. {i.display_title}") for i in items]

    def clean(self):
        data = super().clean()
        if not (data.get("public_name") or "").strip():
            self.add_error("public_name", _("Enter the name the clerk should call you by."))
        check_email(self, "email", data.get("email"), _("Enter your email address: the link to your place is "
                                                        "sent there."))
        phone = (data.get("phone") or "").strip()
        if phone:
            from civicdesk.core.sms import normalise_phone

            normal = normalise_phone(phone)
            if not normal:
                self.add_error("phone", _("Enter a phone number with its area code, for example (555) 555-0100."))
            else:
                data["phone"] = normal
        return data


class FollowForm(forms.Form):
    channel = forms.ChoiceField(label=_("How?"), choices=BodySubscription.Channel.choices,
                                initial=BodySubscription.Channel.EMAIL, widget=_radios())
    email = forms.CharField(label=_("Email address"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"class": "usa-input", "autocomplete": "email"}))
    phone = forms.CharField(label=_("Mobile phone number"), max_length=32, required=False,
                            widget=forms.TextInput(attrs={"class": "usa-input", "type": "tel", "autocomplete": "tel"}))
    consent = _consent(_("Send me a message when this body announces a meeting. I can stop at any time."))

    def clean(self):
        data = super().clean()
        if data.get("channel") == BodySubscription.Channel.SMS:
            if not (data.get("phone") or "").strip():
                self.add_error("phone", _("Enter your mobile phone number."))
        else:
            check_email(self, "email", data.get("email"), _("Enter your email address."))
        if not data.get("consent"):
            self.add_error("consent", _("Tick the box to agree to receive these messages."))
        return data
