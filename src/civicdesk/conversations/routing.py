from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from .consumers import AgentConsumer, ResidentChatConsumer

websocket_urlpatterns = [
    # The widget may live on any agency website: its socket is authorized by the
    # conversation's token, not by cookies, so any origin may open it.
    path("ws/chat/", ResidentChatConsumer.as_asgi()),
    # Staff sockets use the session cookie, so only our own origin may open them.
    path("ws/console/", AllowedHostsOriginValidator(AuthMiddlewareStack(AgentConsumer.as_asgi()))),
]
