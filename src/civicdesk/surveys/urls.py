from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/thanks/", views.thanks, name="thanks"),
    path("feedback/<str:token>/", views.answer, name="answer"),
    path("performance/", views.performance, name="performance"),
]
