"""Errors as ``application/problem+json`` (RFC 9457), with a field-level list."""

from __future__ import annotations

import json

from django.http import HttpResponse


def problem(status: int, title: str, detail: str = "", *, errors: list[dict] | None = None,
            type_: str = "about:blank") -> HttpResponse:
    body: dict = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")


def field_errors(message_dict: dict[str, list[str]]) -> list[dict]:
    return [{"field": field, "message": str(m)} for field, msgs in message_dict.items() for m in msgs]
