"""Staff single sign-on with OpenID Connect (mozilla-django-oidc).

The identity provider (Microsoft Entra ID, Okta, Keycloak, Google Workspace...) decides who
works here: on every sign-in the groups in its ``groups`` claim set the person's role
(CIVICDESK_SSO_ROLE_GROUPS) and departments (CIVICDESK_SSO_DEPARTMENT_PREFIX + slug). A
person in none of the role groups is refused, and an account that lost its groups is
deactivated (its sessions and websockets end at once). People are matched by the
provider's stable subject ID, never by a bare email address: an email is only used to link
an existing local account once, when the provider says it is verified.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import SuspiciousOperation
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from civicdesk.catalog.models import Department
from civicdesk.privacy.services import client_ip, record_access

from .models import Role, User

logger = logging.getLogger("civicdesk.sso")
SSO_SESSION_KEY = "civicdesk_sso"
RANK = {Role.AGENT: 1, Role.SUPERVISOR: 2, Role.ADMINISTRATOR: 3}
BACKEND = "civicdesk.accounts.sso.StaffOIDCBackend"


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def groups_of(claims: dict) -> set[str]:
    groups = claims.get(settings.CIVICDESK_SSO_GROUPS_CLAIM) or []
    return {str(g) for g in groups} if isinstance(groups, list) else set()


def role_for(groups: set[str]) -> str | None:
    roles = [settings.CIVICDESK_SSO_ROLE_GROUPS[g] for g in groups if g in settings.CIVICDESK_SSO_ROLE_GROUPS]
    roles = [r for r in roles if r in RANK]
    return max(roles, key=RANK.__getitem__) if roles else None


def department_slugs(groups: set[str]) -> set[str]:
    prefix = settings.CIVICDESK_SSO_DEPARTMENT_PREFIX
    return {g[len(prefix):] for g in groups if prefix and g.startswith(prefix)}


class StaffOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        self.enabled = enabled()
        if self.enabled:  # the library refuses to start without its settings
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not self.enabled:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.InvalidTokenError, requests.RequestException, ValueError, KeyError) as e:
            # A forged, expired or foreign token, or a provider that does not answer: no
            # sign-in, and the person is sent back to the sign-in page with a message.
            logger.warning("single sign-on refused", extra={"reason": str(e)[:200]})
            return None

    def verify_token(self, token, **kwargs):
        """The library checks the signature and the nonce; we also check that the token was
        issued for us (audience, authorized party) and has an expiry."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token issued for another client")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token authorized for another party")
        if "exp" not in payload:
            raise SuspiciousOperation("ID token without an expiry")
        return payload

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        users = User.objects.filter(sso_subject=claims["sub"])
        if users.exists() or not (claims.get("email") and claims.get("email_verified") is True):
            return users
        return User.objects.filter(sso_subject="", email__iexact=claims["email"], is_staff=True)

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        return user if user is not None and user.is_active else None

    def create_user(self, claims):
        if role_for(groups_of(claims)) is None:
            raise SuspiciousOperation(f"{claims.get('sub')} is in none of the role groups")
        base = (claims.get("preferred_username") or claims.get("email") or "staff").split("@")[0][:100]
        username = base if not User.objects.filter(username=base).exists() else f"{base}-{get_random_string(6)}"
        user = User.objects.create_user(username, email=claims.get("email", ""), sso_subject=claims["sub"])
        user.set_unusable_password()  # signs in through the provider only
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        groups = groups_of(claims)
        role = role_for(groups)
        if role is None:
            if user.is_active:
                user.is_active = False  # left every group: no more access, sessions end now
                user.save()
                record_access(actor=None, action="sso_deactivated", object_type="user", object_id=user.pk,
                              detail=f"{user.username}: no role group at the identity provider")
            raise SuspiciousOperation(f"{user.username} is in none of the role groups")
        user.sso_subject = claims["sub"]
        user.role, user.is_staff = role, True
        user.email = claims.get("email", user.email)
        user.first_name = (claims.get("given_name") or user.first_name)[:150]
        user.last_name = (claims.get("family_name") or user.last_name)[:150]
        user.save()
        user.departments.set(Department.objects.filter(slug__in=department_slugs(groups)))
        return user


def start(request: HttpRequest) -> HttpResponse:
    if not enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


def callback(request: HttpRequest) -> HttpResponse:
    if not enabled():
        raise Http404
    return OIDCAuthenticationCallbackView.as_view()(request)


@receiver(user_logged_in, dispatch_uid="civicdesk-sso-signed-in")
def _signed_in(sender, request, user, **kwargs):
    if request is None or getattr(user, "backend", "") != BACKEND:
        return
    request.session[SSO_SESSION_KEY] = True
    record_access(actor=user, action="sso_sign_in", object_type="user", object_id=user.pk, ip=client_ip(request),
                  detail=f"role {user.role}; departments "
                         + ",".join(user.departments.order_by("slug").values_list("slug", flat=True)))


def second_factor_required(user) -> bool:
    """Everyone when CIVICDESK_REQUIRE_2FA is on; whoever has confirmed a device in any case
    (turning it on for oneself must mean something when the site-wide setting is off)."""
    if settings.CIVICDESK_REQUIRE_2FA:
        return True
    from django_otp import user_has_device

    return bool(getattr(user, "is_authenticated", False)) and user_has_device(user, confirmed=True)


def second_factor_missing(user, session) -> bool:
    return second_factor_required(user) and not second_factor_done(user, session)


def second_factor_done(user, session) -> bool:
    """Confirmed with our one-time code, or signed in through the identity provider (which
    enforces its own second factor) when CIVICDESK_SSO_SATISFIES_2FA."""
    from django_otp import DEVICE_ID_SESSION_KEY

    if session.get(DEVICE_ID_SESSION_KEY):
        return True
    return bool(settings.CIVICDESK_SSO_SATISFIES_2FA and session.get(SSO_SESSION_KEY))
