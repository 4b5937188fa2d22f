"""The application's URLs plus one view that fails, for the error-page tests."""

from django.urls import path

from civicdesk.urls import urlpatterns as app_urlpatterns


def boom(request):
    raise RuntimeError("secret detail from the traceback: DATABASE_PASSWORD=hunter2")


def database_away(request):
    """A view whose database does not answer: a real connection attempt to a PostgreSQL
    port where nothing listens (what a page meets while the server restarts)."""
    import socket

    from django.db.utils import ConnectionHandler

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    away = ConnectionHandler({"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1",
                                          "PORT": str(port), "NAME": "civicdesk", "USER": "civicdesk"}})
    away["default"].ensure_connection()


urlpatterns = [path("boom/", boom), path("database-away/", database_away),
               path("api/v1/database-away", database_away), *app_urlpatterns]
handler500 = "civicdesk.core.errors.server_error"
