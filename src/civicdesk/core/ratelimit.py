"""Per-client rate limits for sign-in, sign-in links and public forms (counted in the
cache: Redis when configured, so the limit holds across processes). Over the limit the
client gets a 429 page in their language with Retry-After."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.shortcuts import render

from civicdesk.integrations.auth import client_ip, rate_limited


def limit_posts(bucket: str, setting: str):
    """Limit POSTs to the view per client address to ``settings.<setting>`` per minute."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and rate_limited(f"{bucket}:{client_ip(request)}", getattr(settings, setting)):
                response = render(request, "too_many.html", status=429)
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
