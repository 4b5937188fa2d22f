"""The Django admin for staff: the same second factor as the console, and the same
per-address limit on password tries.

The admin's own sign-in form takes the password; a staff member who must also give a code
(every one when CIVICDESK_REQUIRE_2FA is on, and anyone who has confirmed an authenticator
app in any case) is then sent to the console's code page and comes back to the admin.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from civicdesk.core.ratelimit import limit_posts

from .sso import second_factor_missing


class StaffAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and not second_factor_missing(request.user, request.session)

    def login(self, request, extra_context=None):
        return _limited_login(request, self, extra_context)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            user = request.user
            if user.is_active and user.is_staff and second_factor_missing(user, request.session):
                return _to_second_factor(request)
            return inner(request, *args, **kwargs)

        wrapper.__dict__.update(inner.__dict__)
        return wrapper


@limit_posts("signin", "CIVICDESK_RATE_SIGNIN_PER_MINUTE")
def _limited_login(request, site, extra_context):
    response = admin.AdminSite.login(site, request, extra_context)
    user = request.user
    if user.is_authenticated and user.is_staff and second_factor_missing(user, request.session):
        return _to_second_factor(request)
    return response


def _to_second_factor(request):
    from django_otp import user_has_device

    target = "console:2fa_verify" if user_has_device(request.user) else "console:2fa_setup"
    nxt = request.GET.get("next") or request.get_full_path()
    if nxt.startswith(reverse("admin:login")):
        nxt = reverse("admin:index")
    return redirect(f"{reverse(target)}?{urlencode({'next': nxt})}")
