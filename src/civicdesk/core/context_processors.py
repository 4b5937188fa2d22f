"""Values every template may use."""

from django.conf import settings


def civicdesk(request):
    return {
        "agency_name": settings.CIVICDESK_AGENCY_NAME,
        "resident": getattr(request, "resident", None),
    }
