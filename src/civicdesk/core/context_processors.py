"""Values every template may use."""

import re

from django.conf import settings
from django.utils.translation import gettext as _

from civicdesk.core.languages import agency_name


def _uswds_strings() -> dict[str, str]:
    """USWDS's own English words (its file input), in the reader's language (uswds-i18n.js)."""
    return {
        "Drag files here or": _("Drag files here or"), "Drag file here or": _("Drag file here or"),
        "Choose from folder": _("Choose from folder"), "choose from folder": _("choose from folder"),
        "No files selected.": _("No files selected."), "No file selected.": _("No file selected."),
        "Change files": _("Change files"), "Change file": _("Change file"), "Selected files": _("Selected files"),
        "Selected file": _("Selected file"), "You have selected the file:": _("You have selected the file:"),
        "Error: This is not a valid file type.": _("Error: This is not a valid file type."),
    }


def _contact() -> dict[str, str]:
    phone = settings.CIVICDESK_AGENCY_PHONE
    # "311 · (555) 010-0311": a phone dials the last number given
    dial = re.sub(r"[^\d+]", "", phone.split("·")[-1])
    return {"phone": phone, "dial": dial, "email": settings.CIVICDESK_AGENCY_EMAIL,
            "address": settings.CIVICDESK_AGENCY_ADDRESS}


def civicdesk(request):
    return {
        "uswds_strings": _uswds_strings(),
        "agency_name": agency_name(),
        "agency_contact": _contact(),
        "resident": getattr(request, "resident", None),
        "sso_enabled": bool(settings.OIDC_RP_CLIENT_ID),
        "sso_name": settings.CIVICDESK_SSO_NAME,
    }
