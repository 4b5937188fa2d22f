"""Values every template may use."""

from django.conf import settings


def civicdesk(request):
    return {
        "agency_name": settings.CIVICDESK_AGENCY_NAME,
        "resident": getattr(request, "resident", None),
        "sso_enabled": bool(settings.OIDC_RP_CLIENT_ID),
        "sso_name": settings.CIVICDESK_SSO_NAME,
    }
