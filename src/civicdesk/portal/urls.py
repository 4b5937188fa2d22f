from django.urls import path

from civicdesk.privacy import views as privacy_views

from . import pwa, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("favicon.ico", pwa.favicon, name="favicon"),
    path("offline/", pwa.offline, name="offline"),
    path("services/", views.catalog, name="catalog"),
    path("services/<slug:code>/", views.service_detail, name="service"),
    path("services/<slug:code>/report/", views.report, name="report"),
    path("requests/", views.open_requests, name="requests"),
    path("requests/<str:public_id>/", views.request_detail, name="request"),
    path("requests/<str:public_id>/submitted/", views.submitted, name="submitted"),
    path("requests/<str:public_id>/follow/", views.follow, name="follow"),
    path("requests/<str:public_id>/reopen/", views.reopen, name="reopen"),
    path("requests/<str:public_id>/add/", views.add_info, name="add_info"),
    path("requests/<str:public_id>/confirm-email/<str:token>/", views.confirm_contact, name="confirm_contact"),
    path("follow/<str:token>/confirm/", views.confirm_follow, name="confirm_follow"),
    path("follow/<str:token>/stop/", views.unfollow, name="unfollow"),
    path("account/", views.account, name="account"),
    path("account/signin/", views.signin, name="signin"),
    path("account/signin/<str:token>/", views.signin_redeem, name="signin_redeem"),
    path("account/signout/", views.signout, name="signout"),
    path("account/choices/", privacy_views.update_consents, name="consents"),
    path("account/my-data.<str:fmt>", privacy_views.export, name="export"),
    path("account/erase/", privacy_views.request_erasure, name="erase"),
]
