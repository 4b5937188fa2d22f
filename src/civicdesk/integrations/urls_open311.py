from django.urls import path, re_path
from django.views.generic import RedirectView

from . import open311

app_name = "open311"
F = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("", RedirectView.as_view(url="discovery.json"), name="root"),
    re_path(r"^discovery" + F, open311.discovery, name="discovery"),
    re_path(r"^services" + F, open311.service_list, name="services"),
    re_path(r"^services/(?P<code>[-\w]+)" + F, open311.service_definition, name="service"),
    re_path(r"^requests" + F, open311.requests_view, name="requests"),
    re_path(r"^requests/(?P<request_id>[-\w]+)" + F, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[-\w]+)" + F, open311.token_detail, name="token"),
]
