"""Sending one batch of messages to subscribers, each by their own channel, each at most once.

A batch opens one SMTP connection and asks for the SMS provider once, when first needed.
Each message is sent in the transaction that writes its record (a row whose unique key says
"sent"): an `IntegrityError` means an earlier run sent it. A recipient the mail server or the
SMS provider refuses (a dead address, a disconnected number) is logged and skipped, so one
bad contact never stops everyone after it; several refusals in a row mean the server or
provider itself is failing, and the batch stops with an error for its task to be retried
(what was sent is recorded, so the retry sends only the rest).
"""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import get_connection
from django.db import IntegrityError, transaction

from civicdesk.core import mail
from civicdesk.core.sms import SmsError

log = logging.getLogger("civicdesk.outbox")
FAILURES_IN_A_ROW = 5
SENT, ALREADY, FAILED = "sent", "already", "failed"


class Outbox:
    def __init__(self) -> None:
        self.connection = None
        self.sms = None
        self.in_a_row = 0

    def can_send(self, channel: str) -> bool:
        """Whether this channel can send at all (no SMS provider configured: no texts)."""
        if channel == "sms":
            if self.sms is None:
                from civicdesk.core.sms import provider

                self.sms = provider() or False
            return self.sms is not False
        if self.connection is None:
            self.connection = get_connection()
            self.connection.open()
        return True

    def send_once(self, record, *, channel: str, contact: str, language: str, text: str = "",
                  subject: str = "", body: str = "", headers: dict | None = None) -> str:
        """`record()` writes the "sent" row; then the message goes by `channel`."""
        try:
            with transaction.atomic():
                record()
                if channel == "sms":
                    self.sms.send(contact, text)
                else:
                    mail.send(subject=subject, body=body, to=[contact], language=language,
                              connection=self.connection, headers=headers)
        except IntegrityError:
            return ALREADY
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, SmsError) as e:
            self.in_a_row += 1
            log.warning("message refused for one recipient", extra={"channel": channel, "error": str(e)[:200]})
            if self.in_a_row >= FAILURES_IN_A_ROW:
                raise
            return FAILED
        self.in_a_row = 0
        return SENT

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
