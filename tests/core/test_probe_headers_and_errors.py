"""Findings of the outside probe about headers and error pages (docs/security.md)."""

import json

import pytest
from django.test import Client

from civicdesk.accounts.middleware import SESSION_KEY
from civicdesk.accounts.models import Resident
from tests.helpers import submit

pytestmark = pytest.mark.django_db


def test_api_docs_and_openapi_document_send_a_content_security_policy(client):
    for path in ("/api/v1/docs", "/api/v1/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy


def test_residents_data_export_and_console_case_pages_are_never_stored(client, service, agent):
    resident = Resident.objects.create(email="ana@example.org", first_name="Ana")
    req = submit(service, email="ana@example.org", resident=resident)
    session = client.session
    session[SESSION_KEY] = resident.pk
    session.save()
    for path in ("/account/my-data.json", "/account/my-data.html", "/account/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    staff = Client()
    staff.force_login(agent)
    response = staff.get(f"/console/requests/{req.public_id}/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    response = staff.get(f"/api/v1/requests/{req.public_id}")  # a session is no key: 401, still no-store
    assert "no-store" in response["Cache-Control"]
    public = Client().get(f"/requests/{req.public_id}/")  # the public case page may be cached
    assert "no-store" not in public.get("Cache-Control", "")


@pytest.mark.urls("tests.core.boom_urls")
def test_debug_pages_are_for_this_machine_only(settings, caplog):
    """Probe finding: the demo (DEBUG on) showed tracebacks to other machines."""
    settings.DEBUG = True
    remote = Client(REMOTE_ADDR="203.0.113.5", raise_request_exception=False)
    response = remote.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "hunter2" not in body and "Traceback" not in body and "DATABASE" not in body
    assert "hunter2" in caplog.text  # the details are in the log
    missing = remote.get("/no-such-page/")
    assert missing.status_code == 404 and "boom/" not in missing.content.decode()  # no URL list
    local = Client(REMOTE_ADDR="127.0.0.1", raise_request_exception=False).get("/boom/")
    assert local.status_code == 500 and "hunter2" in local.content.decode()  # the developer's own browser


def test_open311_impossible_date_is_a_400_even_with_debug_on(client, settings):
    settings.DEBUG = True
    response = Client(REMOTE_ADDR="203.0.113.5").get("/open311/v2/requests.json",
                                                     {"start_date": "2026-13-45T99:99"})
    assert response.status_code == 400
    assert "start_date" in json.loads(response.content)[0]["description"]
