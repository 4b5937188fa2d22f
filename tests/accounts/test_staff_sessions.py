"""Staff sessions end after inactivity, everywhere on request, and at once on deactivation."""

import time

import pytest
from django.contrib.sessions.models import Session

from civicdesk.accounts.sessions import LAST_SEEN
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_idle_staff_are_signed_out(client, settings):
    staff = StaffFactory()
    client.force_login(staff)
    assert client.get("/console/").status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - (settings.CIVICDESK_STAFF_IDLE_MINUTES * 60 + 5)
    session.save()
    response = client.get("/console/")
    assert response.status_code == 302 and "/console/login/" in response["Location"]
    assert client.get("/console/").status_code == 302  # really signed out


def test_sign_out_everywhere_ends_other_sessions(client):
    from django.test import Client

    staff = StaffFactory()
    laptop, phone = Client(), Client()
    laptop.force_login(staff)
    phone.force_login(staff)
    assert laptop.post("/console/logout/everywhere/").status_code == 302
    assert phone.get("/console/").status_code == 302
    assert not any(str(s.get_decoded().get("_auth_user_id")) == str(staff.pk) for s in Session.objects.all())


def test_deactivation_closes_open_websockets(agent_socket, settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "civicdesk.conversations.layers.InMemoryChannelLayer"}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    staff = StaffFactory()
    sock = agent_socket(staff)
    assert sock.connected
    staff.is_active = False
    staff.save()
    closed = sock.loop.run(sock.comm.receive_output(timeout=3))
    assert closed["type"] == "websocket.close" and closed["code"] == 4401
    channel_layers.backends.clear()
