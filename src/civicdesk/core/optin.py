"""Asking for something to be sent (reminders, area alerts, a body's meetings): one rule for
every kind of `core.models.OptIn`.

Asking again with the same key (contact and what is followed) is the same row. A row never
confirmed, or stopped, is updated and a confirmation is sent again; a row that is on is left
as it is: the page says "check your messages" as it would to anyone, and the owner hears
that they already get these (someone may be testing whether a contact follows something). A
signed-in resident asking for their own email is on at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .tasks import enqueue_on_commit


def ask(model, *, key: dict, fields: dict, language: str, wording: str, own: bool, resident,
        send_confirmation: Callable, then: Callable | None = None) -> tuple[object, bool]:
    """(the row, whether it still needs confirming). `send_confirmation` is a task taking the
    row's primary key; it is queued at most once per window (`OptIn.may_message`). `then(row)`
    runs in the same transaction when the row was created or updated (not when it was on and
    left alone): for what the key and fields do not hold (a many-to-many)."""
    now = timezone.now()
    with transaction.atomic():
        item, created = model.objects.select_for_update().get_or_create(
            **key, defaults={**fields, "language": language, "token": secrets.token_urlsafe(32),
                             "consent_wording": wording, "consented_at": now,
                             "resident": resident if own else None, "confirmed_at": now if own else None})
        if not created and item.active and not own:
            if item.may_message():
                enqueue_on_commit(send_confirmation, item.pk)
            return item, True
        if not created:
            for name, value in fields.items():
                setattr(item, name, value)
            item.language, item.consent_wording, item.consented_at = language, wording, now
            if own:
                item.resident, item.confirmed_at = resident, item.confirmed_at or now
            elif item.stopped_at is not None:
                item.confirmed_at = None  # asked again after stopping: confirm again
            item.stopped_at = None
            item.save()
        if then is not None:
            then(item)
        needs = item.confirmed_at is None
        if needs and item.may_message():
            enqueue_on_commit(send_confirmation, item.pk)
    return item, needs
