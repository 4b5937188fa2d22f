"""Staff two-step sign-in (TOTP + recovery codes) and lockout after wrong passwords."""

import time

import pytest
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


def test_wrong_passwords_lock_the_account(client, settings):
    settings.CIVICDESK_RATE_SIGNIN_PER_MINUTE = 1000
    staff = StaffFactory()
    for _ in range(5):
        client.post("/console/login/", {"username": staff.username, "password": "wrong"})
    locked = sign_in(client, staff)  # even the right password, now
    assert locked.status_code in (403, 429) and "Sign-in locked" in locked.content.decode()
    assert client.get("/console/").status_code == 302
