"""Open311 GeoReport v2: every endpoint, in JSON and XML, with the spec's names and errors."""

import json
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from civicdesk.cases import services
from civicdesk.cases.models import ServiceRequest, Status, TimelineEvent
from civicdesk.integrations.models import ApiKey
from tests.helpers import submit

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}


def get(client, path, fmt="json", **params):
    response = client.get(f"/open311/v2/{path}.{fmt}", params)
    if fmt == "json":
        return response, json.loads(response.content)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return response, ET.fromstring(response.content)


def post(client, key, fmt="json", headers=None, **data):
    response = client.post(f"/open311/v2/requests.{fmt}", {"api_key": key, **data}, headers=headers or {})
    return response, (json.loads(response.content) if fmt == "json" else ET.fromstring(response.content))


def test_discovery_in_both_formats(client):
    _, data = get(client, "discovery")
    [endpoint] = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    _, root = get(client, "discovery", "xml")
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]


def test_service_list_has_the_spec_fields(client, pothole):
    _, data = get(client, "services")
    [s] = [s for s in data if s["service_code"] == pothole.service_code]
    assert set(s) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert s["metadata"] is True and s["type"] == "realtime" and s["service_name"] == pothole.name
    _, root = get(client, "services", "xml")
    assert root.tag == "services"
    el = [e for e in root.findall("service") if e.findtext("service_code") == pothole.service_code][0]
    assert el.findtext("metadata") == "true" and el.findtext("group") == "Streets"


def test_service_names_follow_accept_language(client, pothole):
    response = client.get("/open311/v2/services.json", headers={"Accept-Language": "es"})
    [s] = [s for s in json.loads(response.content) if s["service_code"] == pothole.service_code]
    assert s["service_name"] == pothole.get_translation("es").name and s["service_name"] != pothole.name


def test_service_definition_lists_attributes_with_values(client, pothole):
    _, data = get(client, f"services/{pothole.service_code}")
    assert data["service_code"] == pothole.service_code
    size, depth, near = data["attributes"]
    assert size == {"variable": True, "code": "size", "datatype": "singlevaluelist", "required": True,
                    "datatype_description": "", "order": 1, "description": "How big is it?",
                    "values": [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}]}
    assert depth["datatype"] == "number" and "values" not in depth
    assert near["datatype"] == "multivaluelist"
    _, root = get(client, f"services/{pothole.service_code}", "xml")
    assert root.tag == "service_definition"
    attrs = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attrs] == ["size", "depth", "near"]
    assert [v.findtext("key") for v in attrs[0].findall("values/value")] == ["small", "large"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_and_jurisdiction_get_spec_errors(client, pothole, fmt):
    response, body = get(client, "services/no-such-thing", fmt)
    assert response.status_code == 404
    if fmt == "json":
        assert body[0]["code"] == 404 and "no-such-thing" in body[0]["description"]
    else:
        assert body.tag == "errors" and body.find("error/code").text == "404"
    response, _ = get(client, "services", fmt, jurisdiction_id="elsewhere.gov")
    assert response.status_code == 404
    response, _ = get(client, "services", fmt, jurisdiction_id="civicdesk.local")
    assert response.status_code == 200


def test_post_files_a_request_through_the_same_service_as_the_portal(client, pothole, open311_key):
    response, data = post(client, open311_key, service_code=pothole.service_code, lat="41.85", long="-89.48",
                          **{"attribute[size]": "large", "attribute[depth]": "12", "attribute[near][]": ["school", "bus"]},
                          email="ana@example.org", first_name="Ana", last_name="Ruiz", description="Deep hole",
                          device_id="phone-1", account_id="acct-9", media_url="https://example.org/p.jpg")
    assert response.status_code == 200
    [item] = data
    req = ServiceRequest.objects.get(public_id=item["service_request_id"])
    assert item["account_id"] == "acct-9" and item["token"]
    assert req.channel == "open311" and req.answers == {"size": "large", "depth": 12, "near": ["school", "bus"]}
    assert req.contact_email == "ana@example.org" and req.contact_name == "Ana Ruiz"
    # An address a client sends may be anybody's: it joins an account once its owner confirms.
    assert req.resident is None and not req.contact_confirmed
    assert req.client_meta == {"device_id": "phone-1", "account_id": "acct-9", "api_key": "Riverton 311 app"}
    assert req.events.get().kind == TimelineEvent.Kind.SUBMITTED
    assert req.sla_due_at is not None
    _, [shown] = get(client, f"requests/{req.public_id}")
    assert set(shown) == REQUEST_FIELDS
    assert shown["media_url"] == "https://example.org/p.jpg" and shown["status"] == "open"
    _, [by_token] = get(client, f"tokens/{item['token']}")
    assert by_token == {"service_request_id": req.public_id, "token": item["token"]}


def test_post_xml_response(client, pothole, open311_key):
    response, root = post(client, open311_key, "xml", service_code=pothole.service_code,
                          address_string="12 Main St", **{"attribute[size]": "small"})
    assert response.status_code == 200
    assert root.tag == "service_requests"
    assert ServiceRequest.objects.filter(public_id=root.findtext("request/service_request_id"),
                                         address="12 Main St").exists()


def test_address_id_alone_is_a_location(client, pothole, open311_key):
    response, [item] = post(client, open311_key, service_code=pothole.service_code, address_id="A-5521",
                            **{"attribute[size]": "small"})
    assert response.status_code == 200
    assert ServiceRequest.objects.get(public_id=item["service_request_id"]).address_id == "A-5521"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_errors_name_each_field(client, pothole, open311_key, fmt):
    response, body = post(client, open311_key, fmt, service_code=pothole.service_code, lat="91", long="0",
                          **{"attribute[depth]": "deep", "attribute[near]": "mall"}, email="not-an-email")
    assert response.status_code == 400
    messages = ([e["description"] for e in body] if fmt == "json"
                else [e.findtext("description") for e in body.findall("error")])
    assert any(m.startswith("attribute[size]:") for m in messages)  # required, missing
    assert any(m.startswith("attribute[depth]:") and "number" in m for m in messages)
    assert any(m.startswith("attribute[near]:") and "mall" in m for m in messages)
    assert any("latitude" in m for m in messages)
    assert any(m.startswith("email:") for m in messages)
    assert ServiceRequest.objects.count() == 0


def test_post_needs_a_valid_key_and_a_known_service(client, pothole, open311_key):
    response, body = post(client, "cdk_wrong", service_code=pothole.service_code, address_string="x")
    assert response.status_code == 403 and "api_key" in body[0]["description"]
    ApiKey.objects.update(revoked_at=timezone.now())
    response, _ = post(client, open311_key, service_code=pothole.service_code, address_string="x")
    assert response.status_code == 403
    ApiKey.objects.update(revoked_at=None)
    response, body = post(client, open311_key, service_code="nope", address_string="x")
    assert response.status_code == 404 and body[0]["code"] == 404
    response, body = post(client, open311_key, address_string="x")
    assert response.status_code == 400 and "service_code" in body[0]["description"]


def test_idempotency_key_retry_files_once(client, pothole, open311_key):
    data = {"service_code": pothole.service_code, "address_string": "1 Elm St", "attribute[size]": "small"}
    first, [a] = post(client, open311_key, headers={"Idempotency-Key": "retry-1"}, **data)
    second, [b] = post(client, open311_key, headers={"Idempotency-Key": "retry-1"}, **data)
    assert a == b and second["Idempotent-Replayed"] == "true"
    assert ServiceRequest.objects.count() == 1
    third, _ = post(client, open311_key, headers={"Idempotency-Key": "retry-1"}, **{**data, "address_string": "2 Oak"})
    assert third.status_code == 422 and ServiceRequest.objects.count() == 1


def test_post_rate_limit_per_key(client, pothole, open311_key):
    ApiKey.objects.update(rate_per_minute=2)
    codes = [post(client, open311_key, service_code=pothole.service_code, address_string="x",
                  **{"attribute[size]": "small"})[0].status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_requests_list_filters(client, pothole, agent):
    old = submit(pothole, submitted_at=timezone.now() - timedelta(days=120), answers={"size": "small"})
    a = submit(pothole, answers={"size": "small"})
    b = submit(pothole, answers={"size": "large"})
    services.change_status(request=b, actor=agent, status=Status.RESOLVED, message="Filled today")
    _, data = get(client, "requests")
    assert {r["service_request_id"] for r in data} == {a.public_id, b.public_id}  # default: last 90 days
    _, data = get(client, "requests", status="closed")
    assert [(r["service_request_id"], r["status"], r["status_notes"]) for r in data] == [
        (b.public_id, "closed", "Filled today")]
    _, data = get(client, "requests", service_request_id=f"{old.public_id},{a.public_id}")
    assert {r["service_request_id"] for r in data} == {old.public_id, a.public_id}
    start = (timezone.now() - timedelta(days=130)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()
    _, data = get(client, "requests", start_date=start, end_date=end)
    assert [r["service_request_id"] for r in data] == [old.public_id]
    _, data = get(client, "requests", service_code="other-code")
    assert data == []
    _, root = get(client, "requests", "xml")
    assert root.tag == "service_requests"
    assert {e.tag for e in root.find("request")} == REQUEST_FIELDS


@pytest.mark.parametrize("params, needle", [
    ({"start_date": "yesterday"}, "start_date"),
    ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90 days"),
    ({"status": "pending"}, "status"),
    # Probe finding: a well-formed but impossible date was a 500 with a traceback.
    ({"start_date": "2026-13-45T99:99"}, "start_date"),
    ({"end_date": "2026-02-30T10:00:00Z"}, "end_date"),
    ({"start_date": "2026-01-01T10:00:00+99:00"}, "start_date"),
    ({"start_date": "9999-12-31T00:00:00Z"}, "between the years"),
    ({"end_date": "0001-01-01T00:00:00Z"}, "between the years"),
])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_requests_list_errors(client, params, needle, fmt):
    response, body = get(client, "requests", fmt=fmt, **params)
    assert response.status_code == 400
    description = body[0]["description"] if fmt == "json" else body.find("error/description").text
    assert needle in description


def test_dates_are_w3c_with_offset(client, pothole):
    req = submit(pothole, answers={"size": "small"})
    _, [item] = get(client, f"requests/{req.public_id}")
    assert item["requested_datetime"].endswith(("-05:00", "-06:00"))  # America/Chicago
    response, body = get(client, "requests/2026-999999")
    assert response.status_code == 404 and body[0]["code"] == 404
