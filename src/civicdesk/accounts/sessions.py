"""Staff sessions: expiry after inactivity, sign-out everywhere, and what happens when
an administrator deactivates someone (all their sessions end and their open websockets
are closed at once)."""

from __future__ import annotations

import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

LAST_SEEN = "civicdesk_staff_last_seen"


def user_group(user_id: int) -> str:
    return f"staff-user-{user_id}"


def end_all_sessions(user) -> int:
    """Delete every session of this staff member and close their websockets."""
    ended = 0
    for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(s.get_decoded().get("_auth_user_id")) == str(user.pk):
            s.delete()
            ended += 1
    layer = get_channel_layer()
    if layer is not None:
        try:
            async_to_sync(layer.group_send)(user_group(user.pk), {"type": "force.close"})
        except RuntimeError:  # called from inside an event loop (tests driving a browser)
            pass
    return ended


class StaffIdleTimeoutMiddleware:
    """Sign staff out after CIVICDESK_STAFF_IDLE_MINUTES without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = time.time()
            last = request.session.get(LAST_SEEN, now)
            if now - last > settings.CIVICDESK_STAFF_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return redirect_to_login(request.get_full_path())
            if now - last > 60 or LAST_SEEN not in request.session:  # one session write a minute at most
                request.session[LAST_SEEN] = now
        return self.get_response(request)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="end-sessions-of-deactivated-staff")
def _deactivated(sender, instance, created, **kwargs):
    if not created and not instance.is_active:
        end_all_sessions(instance)
