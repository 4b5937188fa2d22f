"""The application's URLs plus one view that fails, for the error-page tests."""

from django.urls import path

from civicdesk.urls import urlpatterns as app_urlpatterns


def boom(request):
    raise RuntimeError("secret detail from the traceback: DATABASE_PASSWORD=hunter2")


urlpatterns = [path("boom/", boom), *app_urlpatterns]
