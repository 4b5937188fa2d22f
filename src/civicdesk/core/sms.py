"""SMS behind a provider-neutral interface, with one HTTP provider.

``provider()`` returns the configured provider (``CIVICDESK_SMS_PROVIDER``, default the
generic HTTP one below, active when ``CIVICDESK_SMS_API_URL`` is set). A provider sends a
text and checks and parses the provider's inbound webhook.

The generic HTTP provider:
  outbound: POST {CIVICDESK_SMS_API_URL} with ``Authorization: Bearer {CIVICDESK_SMS_API_TOKEN}``
            and JSON {"from", "to", "body"}; expects 2xx and JSON {"id": "..."}.
  inbound:  the provider POSTs JSON {"id", "from", "to", "body"} to /inbound/sms/ with
            ``X-Signature: hex(HMAC-SHA256(CIVICDESK_SMS_WEBHOOK_SECRET, raw body))``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.dispatch import Signal
from django.utils.module_loading import import_string

# A text saying STOP (the carriers' opt-out words), sent by the inbound webhook with `phone`.
# What a resident asked to be texted connects to it and stops (today: schedules' reminders
# and notices), so the webhook's app need not import those domains. Replies in a
# conversation the resident started are not affected.
stop_requested = Signal()
STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "alto", "parar"}


def is_stop(body: str) -> bool:
    return body.strip().strip(".!").lower() in STOP_WORDS


@dataclass
class InboundSms:
    provider_id: str
    sender: str
    body: str


class SmsError(Exception):
    pass


class SmsProvider:
    def send(self, to: str, body: str) -> str:
        raise NotImplementedError

    def verify(self, request) -> bool:
        raise NotImplementedError

    def parse(self, request) -> InboundSms:
        raise NotImplementedError


class HttpSmsProvider(SmsProvider):
    def send(self, to: str, body: str) -> str:
        req = urllib.request.Request(settings.CIVICDESK_SMS_API_URL, method="POST", data=json.dumps(
            {"from": settings.CIVICDESK_SMS_FROM, "to": to, "body": body}).encode(), headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {settings.CIVICDESK_SMS_API_TOKEN}"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return str(json.loads(resp.read() or b"{}").get("id", ""))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as e:
            raise SmsError(f"SMS provider refused or unreachable: {e}") from e

    def verify(self, request) -> bool:
        secret = settings.CIVICDESK_SMS_WEBHOOK_SECRET
        given = request.headers.get("X-Signature", "")
        if not secret or not given:
            return False
        expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, given)

    def parse(self, request) -> InboundSms:
        try:
            data = json.loads(request.body)
            return InboundSms(provider_id=str(data["id"])[:100], sender=str(data["from"])[:40],
                              body=str(data.get("body", ""))[:1600])
        except (ValueError, KeyError, TypeError) as e:
            raise SmsError("Inbound SMS payload must be JSON with id, from and body.") from e


def provider() -> SmsProvider | None:
    if not settings.CIVICDESK_SMS_API_URL:
        return None
    return import_string(settings.CIVICDESK_SMS_PROVIDER)()


def normalise_phone(text: str, region: str = "") -> str:
    """A phone number as typed ("(555) 010-0123", "+52 55 1234 5678") in E.164
    ("+15550100123"), or "" when it is not a possible number. Numbers without a country code
    are read in the agency's country (`CIVICDESK_PHONE_REGION`). The `phonenumbers` library
    (Google's libphonenumber metadata) knows every country's lengths and prefixes."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text.strip(), region or settings.CIVICDESK_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:  # too short, or no area code
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def textable(e164: str) -> bool:
    """Whether texts may go to this number: only to the countries the agency allows
    (`CIVICDESK_SMS_REGIONS`, default its own), so that a form cannot be used to send texts
    to premium-rate numbers abroad."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return False
    # a number in a known range names its country (+1 876 is Jamaica, not the US); one in no
    # known range (the reserved 555 numbers of examples and tests) its code's main country
    region = (phonenumbers.region_code_for_number(number) or
              phonenumbers.region_code_for_country_code(number.country_code))
    return region in settings.CIVICDESK_SMS_REGIONS
