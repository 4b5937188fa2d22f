"""Staff two-step sign-in (TOTP + recovery codes) and lockout after wrong passwords."""

import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.CIVICDESK_REQUIRE_2FA = True


def sign_in(client, user):
    return client.post("/console/login/", {"username": user.username, "password": "test-pass-12345"})


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_first_sign_in_enrolls_an_app_and_gives_recovery_codes(client, required):
    staff = StaffFactory()
    sign_in(client, staff)
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"].startswith("/console/2fa/setup/")
    page = client.get(response["Location"])
    assert "otpauth://totp/" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    wrong = client.post("/console/2fa/setup/", {"code": "000000", "next": "/console/"})
    assert "That code is not right" in wrong.content.decode()
    time.sleep(1.1)  # after a wrong code django-otp makes the next try wait (1 s, then 2, 4, ...)
    done = client.post("/console/2fa/setup/", {"code": code_for(device), "next": "/console/"})
    codes = [c for c in done.content.decode().split("<code>")[1:]]
    assert len(codes) == 10
    assert client.get("/console/").status_code == 200


def test_later_sign_ins_need_the_code_or_a_recovery_code(client, required):
    staff = StaffFactory()
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    from django_otp.plugins.otp_static.models import StaticDevice

    static = StaticDevice.objects.create(user=staff, name="Recovery codes")
    static.token_set.create(token="recover1")
    sign_in(client, staff)
    assert client.get("/console/inbox/")["Location"].startswith("/console/2fa/verify/")
    assert client.post("/console/2fa/verify/", {"code": "123456"}).status_code == 200  # wrong: form again
    assert client.get("/console/").status_code == 302
    time.sleep(1.1)
    response = client.post("/console/2fa/verify/", {"code": code_for(device), "next": "/console/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/console/inbox/"
    assert client.get("/console/inbox/").status_code == 200
    client.logout()
    sign_in(client, staff)
    client.post("/console/2fa/verify/", {"code": "recover1"})
    assert client.get("/console/").status_code == 200
    assert not static.token_set.exists()  # a recovery code works once


@pytest.mark.django_db(transaction=True)
def test_agent_websocket_needs_the_second_factor(agent_socket, required):
    assert not agent_socket(StaffFactory()).connected  # a password alone opens no console socket


def test_wrong_passwords_lock_the_account_from_that_address_only(client, settings):
    """Probe finding: five wrong passwords from anywhere locked a named staff member out for
    15 minutes. The lock is per account and address together."""
    settings.CIVICDESK_RATE_SIGNIN_PER_MINUTE = 1000
    staff = StaffFactory()
    for _ in range(5):
        client.post("/console/login/", {"username": staff.username, "password": "wrong"},
                    REMOTE_ADDR="203.0.113.9")
    locked = client.post("/console/login/", {"username": staff.username, "password": "test-pass-12345"},
                         REMOTE_ADDR="203.0.113.9")  # even the right password, from there
    assert locked.status_code in (403, 429) and "Sign-in locked" in locked.content.decode()
    assert client.get("/console/").status_code == 302
    # The staff member, from their own desk, still signs in.
    own = Client().post("/console/login/", {"username": staff.username, "password": "test-pass-12345"},
                        REMOTE_ADDR="198.51.100.20")
    assert own.status_code == 302 and own["Location"] == "/console/"


def test_admin_sign_in_is_rate_limited_per_address(client, settings):
    """Probe finding: /admin/login/ had no per-address limit (the console's had one)."""
    settings.CIVICDESK_RATE_SIGNIN_PER_MINUTE = 3
    statuses = [client.post("/admin/login/", {"username": f"guess{i}", "password": "x"}).status_code
                for i in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    assert Client(REMOTE_ADDR="198.51.100.7").post("/admin/login/", {"username": "u", "password": "x"}).status_code == 200


@pytest.fixture
def admin_with_app():
    staff = StaffFactory(role="administrator", is_superuser=True)
    return staff, TOTPDevice.objects.create(user=staff, name="app", confirmed=True)


def test_a_confirmed_device_is_always_asked_for_even_with_the_site_setting_off(client, settings, admin_with_app):
    """Probe finding: with CIVICDESK_REQUIRE_2FA off, a password alone opened the console and
    the admin of someone who had turned two-step sign-in on."""
    assert settings.CIVICDESK_REQUIRE_2FA is False
    staff, device = admin_with_app
    sign_in(client, staff)
    assert client.get("/console/")["Location"].startswith("/console/2fa/verify/")
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith("/console/2fa/verify/")
    assert client.get("/admin/accounts/user/").status_code == 302
    response = client.post("/console/2fa/verify/", {"code": code_for(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_the_admin_password_form_leads_to_the_code_then_back(client, admin_with_app):
    staff, device = admin_with_app
    response = client.post("/admin/login/?next=/admin/", {"username": staff.username,
                                                          "password": "test-pass-12345", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"].startswith("/console/2fa/verify/")
    assert "next=%2Fadmin%2F" in response["Location"]
    assert client.get("/admin/").status_code == 302  # not in yet


def test_staff_without_a_device_use_a_password_when_the_setting_is_off(client):
    staff = StaffFactory(role="administrator", is_superuser=True)
    sign_in(client, staff)
    assert client.get("/console/").status_code == 200
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_agent_websocket_needs_the_code_of_a_confirmed_device_with_the_setting_off(agent_socket):
    staff = StaffFactory()
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    assert not agent_socket(staff).connected
