"""Resident sign-in by one-time email link."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from civicdesk.core import languages
from civicdesk.core.tasks import enqueue_on_commit

from .models import Resident, SignInToken


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in_token_for(row: SignInToken) -> str:
    return salted_hmac("civicdesk.sign-in", f"{row.pk}:{row.nonce}").hexdigest()


def request_sign_in_link(*, email: str, language: str = "en", next_url: str = "") -> None:
    """Email a one-time sign-in link. Says nothing about whether the address was known."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter an email address like name@example.com.")}) from None
    with transaction.atomic():
        resident, _created = Resident.objects.get_or_create(email=email, defaults={
            "preferred_language": language, "language_chosen_at": timezone.now()})  # the language they signed up in
        row = SignInToken.objects.create(
            resident=resident, nonce=secrets.token_hex(16), token_hash=secrets.token_hex(32),
            next_url=next_url[:200],
            expires_at=timezone.now() + timedelta(minutes=settings.CIVICDESK_SIGNIN_LINK_MINUTES))
        row.token_hash = _hash(sign_in_token_for(row))
        row.save(update_fields=["token_hash"])
        from .tasks import send_sign_in_link

        enqueue_on_commit(send_sign_in_link, row.pk, language)


def redeem_sign_in_token(*, token: str) -> SignInToken | None:
    """Use a sign-in link once. Returns the token row, or None if unknown, used or expired."""
    with transaction.atomic():
        row = (SignInToken.objects.select_for_update().select_related("resident")
               .filter(token_hash=_hash(token or "")).first())
        if row is None or row.used_at is not None or row.expires_at < timezone.now():
            return None
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
        Resident.objects.filter(pk=row.resident_id).update(last_signed_in_at=row.used_at)
    return row


def update_profile(*, resident: Resident, first_name: str, last_name: str, phone: str,
                   preferred_language: str, preferred_channel: str) -> Resident:
    if not languages.is_shipped(preferred_language):
        raise ValidationError({"preferred_language": _("Choose one of the languages in the list.")})
    if preferred_channel not in Resident.Channel.values:
        raise ValidationError({"preferred_channel": _("Choose email, text message or phone call.")})
    resident.first_name = first_name.strip()[:80]
    resident.last_name = last_name.strip()[:80]
    resident.phone = phone.strip()[:40]
    if preferred_language != resident.preferred_language or resident.language_chosen_at is None:
        resident.language_chosen_at = timezone.now()
    resident.preferred_language = preferred_language
    resident.preferred_channel = preferred_channel
    resident.save()
    return resident
