"""The pages for a server error. When the database cannot be reached (PostgreSQL
restarting, a failover), the answer is 503 with Retry-After and words that say to try again
in a minute, not a generic error: nothing a resident sent and saw confirmed is lost. The
APIs get the same as problem+json. Rendered without the request's context processors,
which would need the database."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

log = logging.getLogger("civicdesk.errors")
API = ("/api/", "/open311/", "/chat/", "/inbound/")
RETRY_AFTER = "30"


def database_unavailable(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    from django.utils.translation import gettext as _

    down = database_unavailable(sys.exc_info()[1])
    status = 503 if down else 500
    if request.path.startswith(API):
        from civicdesk.integrations.problems import problem

        response = (problem(503, _("Temporarily unavailable"), _("Our records cannot be reached just now. "
                                                                 "Try again in a minute; nothing was filed."))
                    if down else problem(500, _("Server error"), _("Something went wrong on our side. Try again.")))
    else:
        response = HttpResponse(loader.get_template("503.html" if down else "500.html").render(), status=status)
    if down:
        response["Retry-After"] = RETRY_AFTER
        log.warning("database unavailable", extra={"path": request.path[:200]})
    return response
