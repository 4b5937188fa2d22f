from django.urls import path

from . import views

app_name = "schedules"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("calendar.ics", views.ical, name="ical"),
    path("year/", views.year, name="year"),
]
