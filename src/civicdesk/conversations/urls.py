from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("config/", views.config, name="config"),
    path("start/", views.start, name="start"),
    path("<str:public_id>/leave-message/", views.leave_message, name="leave_message"),
    path("<str:public_id>/transcript/", views.transcript, name="transcript"),
    path("<str:public_id>/attachment/", views.attachment, name="attachment"),
    path("resume/<str:public_id>/", views.resume, name="resume"),
]
