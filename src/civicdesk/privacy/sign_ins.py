"""Sign-ins, sign-outs and failed sign-ins in the audit log (Django's auth signals), for the
console, the admin and single sign-on alike: who came in, from where, and who tried."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .services import client_ip, record_access

SSO_BACKEND = "civicdesk.accounts.sso.StaffOIDCBackend"


def _ip(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="civicdesk-audit-sign-in")
def signed_in(sender, request, user, **kwargs):
    if getattr(user, "backend", "") == SSO_BACKEND:
        return  # accounts.sso records "sso_sign_in" with the role and departments it granted
    record_access(actor=user, action="sign_in", object_type="user", object_id=user.pk, ip=_ip(request))


@receiver(user_logged_out, dispatch_uid="civicdesk-audit-sign-out")
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record_access(actor=user, action="sign_out", object_type="user", object_id=user.pk, ip=_ip(request))


@receiver(user_login_failed, dispatch_uid="civicdesk-audit-sign-in-failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:150]
    known = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
    record_access(actor=None, action="sign_in_failed", object_type="user", object_id=known or "",
                  ip=_ip(request), detail=f"username {username}"[:300])
