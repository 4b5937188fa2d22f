"""The resident site's main navigation, for templates/portal/_header.html."""

from django.urls import reverse
from django.utils.translation import gettext as _


def nav(request):
    """The main links (section, address, words) and the section the page is in, so the header
    marks it (``usa-current``) and the page itself gets ``aria-current``."""
    links = [("services", reverse("portal:catalog"), _("Services")), ("help", reverse("knowledge:index"), _("Help")),
             ("requests", reverse("portal:requests"), _("Open requests")),
             ("schedules", reverse("schedules:lookup"), _("Collection days"))]
    if getattr(request, "resident", None):
        links.append(("account", reverse("portal:account"), _("My requests")))
    else:
        links.append(("signin", reverse("portal:signin"), _("Sign in")))
    section = next((name for name, url, _words in links if request.path.startswith(url)), "")
    return {"nav_links": links, "nav_section": section}


def _offline_strings() -> dict[str, str]:
    return {
        "worker": reverse("portal:service_worker"),
        "waiting": _("Your report “%(service)s” is saved on this device. It will be sent as soon as you are back online."),
        "filed": _("Your report “%(service)s” was filed:"),
        "failed": _("Your report “%(service)s” could not be filed: %(error)s"),
        "open": _("Open it to correct and send it"),
        "notKept": _("This device could not keep your report. Check your connection and send it again."),
        "noticeTitle": _("Report filed"),
        "noticeBody": _("%(service)s: request %(id)s"),
    }


def offline(request):
    """The words of static/civicdesk/js/offline.js (a callable: only pages that draw it)."""
    return {"offline_strings": _offline_strings}
