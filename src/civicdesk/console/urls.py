from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "console"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="console/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.request_list, name="requests"),
    path("requests/<str:public_id>/", views.request_detail, name="request"),
    path("requests/<str:public_id>/status/", views.change_status, name="change_status"),
    path("requests/<str:public_id>/note/", views.add_note, name="add_note"),
    path("requests/<str:public_id>/assign/", views.assign, name="assign"),
]
