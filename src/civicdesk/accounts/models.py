"""Staff users (with a role and departments) and residents (contact profiles).

Staff sign in with a password; residents are not Django users: they sign in with a
one-time link sent by email, or stay anonymous.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")
    CLERK = "clerk", _("Clerk (public meetings)")


class User(AbstractUser):
    """A staff member. Residents are ``Resident`` rows, not users."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AGENT)
    departments = models.ManyToManyField(
        "catalog.Department", blank=True, related_name="staff",
        help_text=_("The departments whose requests this person sees and works."),
    )
    all_departments = models.BooleanField(
        default=False,
        help_text=_("Works across every department (for example a 311 contact-center agent)."),
    )
    language = models.CharField(max_length=8, default="en")  # one of settings.LANGUAGES
    # The identity provider's stable ID ("sub") for people who sign in with single sign-on.
    sso_subject = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sso_subject"], condition=~models.Q(sso_subject=""),
                                               name="user_sso_subject_unique")]

    @property
    def sees_all_departments(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR or self.all_departments

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Resident(models.Model):
    """A resident's contact profile. Every field is optional but the row's identity."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")
        PHONE = "phone", _("Phone call")

    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # One of the agency's languages (settings.LANGUAGES): no choices here, so adding a
    # language needs no migration; forms and services check it.
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="en")
    # When the resident chose it (the language switch while signed in, their profile, the
    # language they signed up in); until then messages follow each request's own language.
    language_chosen_at = models.DateTimeField(null=True, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    created_at = models.DateTimeField(default=timezone.now)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~models.Q(email=""), name="resident_email_unique")
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or f"Resident {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SignInToken(models.Model):
    """A one-time sign-in link.

    The token is an HMAC of (row id, nonce) under SECRET_KEY, so the sending task can
    recompute it from the id; only its SHA-256 is stored.
    """

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="sign_in_tokens")
    nonce = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    next_url = models.CharField(max_length=200, blank=True)
