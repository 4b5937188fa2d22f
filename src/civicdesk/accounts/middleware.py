"""Attach the signed-in resident (if any) to each request as ``request.resident``."""

SESSION_KEY = "civicdesk_resident_id"


class ResidentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .models import Resident

        request.resident = None
        # Only touch the session store when the browser sent a session cookie.
        if request.COOKIES.get("sessionid"):
            resident_id = request.session.get(SESSION_KEY)
            if resident_id:
                request.resident = Resident.objects.filter(pk=resident_id).first()
        return self.get_response(request)
