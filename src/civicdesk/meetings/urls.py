from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/live/", views.live, name="live"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/speak/", views.speak, name="speak"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("attend/<str:token>/", views.attend, name="attend"),
    path("speaker/<str:token>/", views.speaker, name="speaker"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("bodies/<slug:slug>/follow/", views.follow, name="follow"),
    path("bodies/<slug:slug>/meetings.ics", views.body_ics, name="body_ics"),
    path("follow/confirm/<str:token>/", views.follow_confirm, name="follow_confirm"),
    path("follow/stop/<str:token>/", views.follow_stop, name="follow_stop"),
]
