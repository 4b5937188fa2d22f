"""``Idempotency-Key`` on every API POST: a retry gets the first response, nothing new.

The first request with a key claims it (a row with no status yet), runs, and stores its
response; a retry with the same key and body replays the stored response with
``Idempotent-Replayed: true``; the same key with a different body is refused (422). The
claim, the request's writes and the stored response commit together, so a retry while the
first still runs waits for it and replays it, and a process killed mid-request leaves no
claim behind. Server errors are not stored (their writes roll back), so a retry runs again
(the Open311 and portal submissions are themselves idempotent on the key too). Keys are
scoped to the credentials that sent them.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from .models import IdempotencyRecord
from .problems import problem

PREFIXES = ("/api/", "/open311/")
HEADER = "Idempotency-Key"
ABANDONED_AFTER = timedelta(minutes=2)


def _scope(request) -> str:
    creds = (request.headers.get("Authorization", "") + "|" + request.headers.get("X-API-Key", "") + "|"
             + (request.POST.get("api_key", "") if request.content_type != "application/json" else ""))
    return hashlib.sha256(creds.encode()).hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER, "").strip()
        if request.method != "POST" or not key or not request.path.startswith(PREFIXES):
            return self.get_response(request)
        if len(key) > 255 or "\x00" in key:
            return problem(400, "Idempotency-Key too long", "Use at most 255 characters.")
        body_hash = hashlib.sha256(request.body).hexdigest()
        scope = _scope(request)
        # One transaction for the claim, the request's own writes and the stored response:
        # a process killed mid-way commits none of them, so the client's retry simply runs
        # again (at once, not after ABANDONED_AFTER); a retry racing the first waits on the
        # key's unique index and then replays the committed response.
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(scope=scope, key=key, method=request.method,
                                                              path=request.path[:500], body_hash=body_hash)
            except IntegrityError:
                record = IdempotencyRecord.objects.select_for_update().get(scope=scope, key=key)
                if record.body_hash != body_hash or record.path != request.path[:500]:
                    return problem(422, "Idempotency-Key reused",
                                   "This Idempotency-Key was already used for a different request.")
                if record.status is not None:
                    response = HttpResponse(bytes(record.body), status=record.status,
                                            content_type=record.content_type)
                    response["Idempotent-Replayed"] = "true"
                    return response
                if timezone.now() - record.created_at < ABANDONED_AFTER:  # a row from before this rule
                    response = problem(409, "Request in progress",
                                       "A request with this Idempotency-Key is still being processed; retry shortly.")
                    response["Retry-After"] = "1"
                    return response
                record.created_at = timezone.now()  # the first attempt died; take it over
                record.save(update_fields=["created_at"])
            response = self.get_response(request)
            if response.status_code >= 500 or response.status_code in (401, 429) or getattr(response, "streaming",
                                                                                              False):
                transaction.set_rollback(True)  # not kept: a retry runs again
            else:
                record.status = response.status_code
                record.content_type = response.get("Content-Type", "")[:100]
                record.body = response.content
                record.save(update_fields=["status", "content_type", "body"])
        return response
