"""Staff two-factor sign-in (django-otp): a TOTP app code after the password, with ten
single-use recovery codes. Required when CIVICDESK_REQUIRE_2FA is on (the default)."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicdesk.privacy.services import client_ip, record_access


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


def needs_second_factor(request: HttpRequest) -> bool:
    from civicdesk.accounts.sso import second_factor_missing

    return second_factor_missing(request.user, request.session)


def second_factor_redirect(request: HttpRequest):
    target = "console:2fa_verify" if user_has_device(request.user) else "console:2fa_setup"
    return redirect(f"{_url(target)}?next={request.get_full_path()}")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


def _next(request: HttpRequest) -> str:
    nxt = request.GET.get("next") or request.POST.get("next") or ""
    return nxt if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) else _url("console:requests")


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect(f"{_url('console:2fa_verify')}?next={_next(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            static, _created = StaticDevice.objects.get_or_create(user=request.user, name="Recovery codes")
            static.token_set.all().delete()
            codes = [secrets.token_hex(4) for _ in range(10)]
            for c in codes:
                static.token_set.create(token=c)
            record_access(actor=request.user, action="2fa_enrolled", object_type="user", object_id=request.user.pk,
                          ip=client_ip(request))
            return render(request, "console/2fa_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", _("That code is not right. Wait a few seconds, then type the 6 digits your app shows now."))
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "console/2fa_setup.html", {"form": form, "secret": secret, "uri": device.config_url,
                                                      "next": _next(request)})


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            used_recovery = isinstance(device, StaticDevice)
            record_access(actor=request.user, action="2fa_recovery_code" if used_recovery else "2fa_verified",
                          object_type="user", object_id=request.user.pk, ip=client_ip(request))
            return redirect(_next(request))
        form.add_error("code", _("That code is not right. Wait a few seconds, then use the 6 digits from your app or a recovery code."))
    return render(request, "console/2fa_verify.html", {"form": form, "next": _next(request)})


__all__ = ["StaticToken"]
