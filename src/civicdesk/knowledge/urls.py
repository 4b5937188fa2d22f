from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("help/", views.index, name="index"),
    path("help/<slug:slug>/", views.article, name="article"),
    path("help/<slug:slug>/feedback/", views.feedback, name="feedback"),
    path("search/", views.search_page, name="search"),
    path("online/", views.online, name="online"),
]
