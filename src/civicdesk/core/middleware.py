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
