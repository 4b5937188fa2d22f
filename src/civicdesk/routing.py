"""Every websocket route of the application (asgi.py serves them; the browser tests too)."""

from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from civicdesk.conversations.routing import websocket_urlpatterns as chat_routes
from civicdesk.meetings.consumers import MeetingConsumer

websocket_urlpatterns = [
    *chat_routes,
    # the live meeting page: public and read-only, opened from our own pages
    path("ws/meetings/<int:pk>/", AllowedHostsOriginValidator(MeetingConsumer.as_asgi())),
]
