"""A missed collection is offered, and taken, only once the collection day has passed at the
resident's address: the day after, the schedule page links to the report with the address
filled in; on the day itself the form says to wait and files nothing."""

import uuid
from datetime import date

import pytest
from django.utils import timezone

from civicdesk.cases.models import ServiceRequest
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def missed(riverton):
    service = ServiceFactory(service_code="missed-trash", name="Missed trash pickup")
    riverton["trash"].missed_service = service
    riverton["trash"].save()
    return service


def on(monkeypatch, day):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)


def report(client, service, language="en"):
    return client.post(f"/services/{service.service_code}/report/", {
        "submission_key": uuid.uuid4().hex, "description": "Cart was out, not emptied",
        "address": "", "address_id": "A-1", "lat": "", "long": "", "email": ""},
        HTTP_ACCEPT_LANGUAGE=language)


def test_the_day_after_the_schedule_offers_the_report_with_the_address(client, missed, monkeypatch):
    on(monkeypatch, date(2026, 12, 4))  # Friday; West trash was Thursday
    page = client.get("/schedules/", {"address_id": "A-1"}).content.decode()
    assert "Not collected on Thursday, December 3? Report it" in page
    assert "/services/missed-trash/report/?address_id=A-1" in page
    form = client.get("/services/missed-trash/report/", {"address_id": "A-1"}).content.decode()
    assert 'value="1228 N Elm St"' in form and 'value="A-1"' in form
    assert report(client, missed).status_code == 302
    assert ServiceRequest.objects.get().service == missed


def test_on_the_collection_day_it_is_not_offered_and_not_taken(client, missed, monkeypatch):
    on(monkeypatch, date(2026, 12, 3))  # Thursday: the truck may still come
    page = client.get("/schedules/", {"address_id": "A-1"}).content.decode()
    assert "Report it" not in page
    response = report(client, missed)
    assert response.status_code == 400
    assert ("Trash is collected today at this address, until the end of the day. If it is missed, "
            "report it from tomorrow.") in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_in_spanish_on_the_day_it_says_to_wait(client, missed, monkeypatch):
    on(monkeypatch, date(2026, 12, 10))  # Thursday
    response = report(client, missed, language="es")
    assert response.status_code == 400
    assert "Basura se recoge hoy en esta dirección" in response.content.decode()
    assert not ServiceRequest.objects.exists()
