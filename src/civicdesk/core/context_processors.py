"""Values every template may use."""

from django.conf import settings

from civicdesk.core.languages import agency_name


def civicdesk(request):
    return {
        "agency_name": agency_name(),
        "resident": getattr(request, "resident", None),
        "sso_enabled": bool(settings.OIDC_RP_CLIENT_ID),
        "sso_name": settings.CIVICDESK_SSO_NAME,
    }
