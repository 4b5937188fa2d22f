from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from civicdesk.accounts.admin_site import StaffAdminSite
from civicdesk.conversations import views as conversation_views
from civicdesk.core import metrics
from civicdesk.core import views as core_views
from civicdesk.integrations.api import api
from civicdesk.portal import views as portal_views

# The admin asks for the same second factor as the console (accounts/admin_site.py).
admin.site.__class__ = StaffAdminSite

urlpatterns = [
    # The language switch: Django's, plus the signed-in resident's profile remembers it.
    path("i18n/setlang/", portal_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("console/", include("civicdesk.console.urls")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("civicdesk.integrations.urls_open311")),
    path("chat/", include("civicdesk.conversations.urls")),
    path("addresses/", include("civicdesk.addresses.urls")),
    path("schedules/", include("civicdesk.schedules.urls")),
    path("alerts/", include("civicdesk.alerts.urls")),
    path("meetings/", include("civicdesk.meetings.urls")),
    path("inbound/email/", conversation_views.inbound_email, name="inbound_email"),
    path("inbound/sms/", conversation_views.inbound_sms, name="inbound_sms"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", metrics.view, name="metrics"),
    path("", include("civicdesk.knowledge.urls")),
    path("", include("civicdesk.surveys.urls")),
    path("", include("civicdesk.portal.urls")),
]

# Uploaded photos. They are re-encoded JPEGs written by us, never user-named files; a
# larger install serves MEDIA_ROOT from its reverse proxy instead (docs/deployment.md).
urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

if settings.CIVICDESK_BENCH:
    from civicdesk.core import bench_views

    urlpatterns.append(path("bench/insert", bench_views.bare_insert))

handler500 = "civicdesk.core.errors.server_error"
