"""Requests that no page can use are refused before any view runs."""

from django.shortcuts import render

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
OWN_ERRORS = ("/api/", "/open311/")  # the APIs answer in their own error formats


class RejectNulMiddleware:
    """A NUL character (\\0) in a query string or form field: no text field can hold it
    (PostgreSQL refuses it outright), so say so plainly with a 400 instead of letting a
    filter or a save fail later. The APIs check their own fields and name them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OWN_ERRORS) and self._has_nul(request):
            return render(request, "bad_request.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        params = [request.GET]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            params.append(request.POST)
        return any("\x00" in key or any("\x00" in v for v in values)
                   for qd in params for key, values in qd.lists())


PRIVATE_PREFIXES = ("/console/", "/admin/", "/account/", "/api/v1/", "/meetings/attend/", "/meetings/speaker/")


class NoStoreForPrivatePagesMiddleware:
    """Staff pages, the admin, the resident's account and data export, and the REST API
    carry personal data: no browser or proxy may keep a copy (``Cache-Control: no-store``).
    Views that show a resident something private elsewhere (the confirmation with its
    private link, a case page opened by its owner) mark themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES) and not request.path.startswith("/api/v1/docs"):
            from django.utils.cache import patch_cache_control

            patch_cache_control(response, private=True, no_store=True)
        return response


class DebugForLoopbackOnlyMiddleware:
    """With DEBUG on (the demo), Django's debug pages (tracebacks, settings, the URL list)
    are shown only to a browser on this machine. Anyone else gets the plain error page,
    and the traceback goes to the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _remote(request) -> bool:
        from django.conf import settings

        from civicdesk.integrations.auth import client_ip

        return settings.DEBUG and client_ip(request) not in ("127.0.0.1", "::1")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None and self._remote(request):
            from django.views.defaults import page_not_found

            return page_not_found(request, None)  # instead of the debug list of every URL pattern
        return response

    def process_exception(self, request, exception):
        if not self._remote(request):
            return None
        import logging

        from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
        from django.http import Http404
        from django.views import defaults

        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return defaults.permission_denied(request, exception)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return defaults.bad_request(request, exception)
        logging.getLogger("django.request").error("Internal Server Error: %s", request.path, exc_info=exception,
                                                  extra={"status_code": 500, "request": request})
        return defaults.server_error(request)
