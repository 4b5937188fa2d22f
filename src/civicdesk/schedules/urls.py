from django.urls import path

from . import views

app_name = "schedules"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("calendar.ics", views.ical, name="ical"),
    path("year/", views.year, name="year"),
    path("remind/", views.remind, name="remind"),
    path("remind/confirm/<str:token>/", views.confirm, name="confirm"),
    path("remind/stop/<str:token>/", views.stop, name="stop"),
]
