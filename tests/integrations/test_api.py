"""The REST API: keys, per-object permissions, pagination, idempotency, problem+json."""

import json

import pytest

from civicdesk.accounts.models import Resident
from civicdesk.cases.models import Status, TimelineEvent
from civicdesk.privacy.models import AuditEntry
from tests.factories import DepartmentFactory, ServiceFactory, StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db


def call(client, method, path, key, body=None, **headers):
    kwargs = {"headers": {"Authorization": f"Bearer {key}", **headers}}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    response = getattr(client, method)(f"/api/v1{path}", **kwargs)
    return response, json.loads(response.content) if response.content else None


def test_a_key_is_required_and_errors_are_problem_json(client, service):
    response = client.get("/api/v1/requests")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["status"] == 401
    response, _ = call(client, "get", "/requests", "cdk_not-a-key")
    assert response.status_code == 401


def test_open311_only_key_cannot_use_the_staff_api(client, open311_key):
    response, _ = call(client, "get", "/requests", open311_key)
    assert response.status_code == 401


def test_key_sees_only_its_departments(client, service, dept_key):
    _, raw = dept_key
    mine = submit(service)
    other = submit(ServiceFactory(department=DepartmentFactory()))
    _, page = call(client, "get", "/requests", raw)
    assert [r["public_id"] for r in page["items"]] == [mine.public_id]
    response, body = call(client, "get", f"/requests/{other.public_id}", raw)
    assert response.status_code == 404 and body["title"] == "Not found"
    response, _ = call(client, "post", f"/requests/{other.public_id}/notes", raw, {"message": "hi"})
    assert response.status_code == 404
    assert not TimelineEvent.objects.filter(request=other, kind="note").exists()


def test_detail_has_timeline_and_contact_and_is_audited(client, service, dept_key):
    key, raw = dept_key
    req = submit(service, email="ana@example.org")
    response, body = call(client, "get", f"/requests/{req.public_id}", raw)
    assert response.status_code == 200
    assert body["contact"]["email"] == "ana@example.org"
    assert [e["kind"] for e in body["events"]] == ["submitted"]
    entry = AuditEntry.objects.get(action="api.view_request")
    assert entry.actor == key.user and entry.object_id == req.public_id and entry.ip == "127.0.0.1"


def test_cursor_pagination_walks_every_request_once(client, service, admin_key):
    made = {submit(service).public_id for _ in range(5)}
    seen, cursor = [], None
    while True:
        _, page = call(client, "get", "/requests?limit=2" + (f"&cursor={cursor}" if cursor else ""), admin_key[1])
        seen += [r["public_id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(made) and len(seen) == 5
    response, body = call(client, "get", "/requests?cursor=garbage!", admin_key[1])
    assert response.status_code == 422 and body["errors"][0]["field"] == "cursor"


def test_filters(client, service, admin_key, agent):
    a, b = submit(service), submit(service)
    from civicdesk.cases import services

    services.change_status(request=b, actor=agent, status=Status.RESOLVED)
    _, page = call(client, "get", "/requests?status=open", admin_key[1])
    assert [r["public_id"] for r in page["items"]] == [a.public_id]
    _, page = call(client, "get", f"/requests?status=resolved&service_code={service.service_code}", admin_key[1])
    assert [r["public_id"] for r in page["items"]] == [b.public_id]


def test_status_change_through_the_api_reaches_the_resident(client, service, dept_key):
    key, raw = dept_key
    req = submit(service, email="ana@example.org")
    response, body = call(client, "post", f"/requests/{req.public_id}/status", raw,
                          {"status": "in_progress", "message": "Crew scheduled for Monday"})
    assert response.status_code == 200 and body["status"] == "in_progress"
    event = TimelineEvent.objects.get(request=req, kind="status")
    assert event.public and event.actor == key.user
    page = client.get(f"/requests/{req.public_id}/").content.decode()
    assert "Crew scheduled for Monday" in page


def test_refused_transition_is_422_with_the_field(client, service, dept_key):
    req = submit(service)
    response, body = call(client, "post", f"/requests/{req.public_id}/status", dept_key[1], {"status": "on_hold"})
    assert response.status_code == 422
    assert body["errors"] == [{"field": "reason", "message": "Say why, so the resident understands."}]
    response, body = call(client, "post", f"/requests/{req.public_id}/status", dept_key[1], {"status": "flying"})
    assert response.status_code == 422 and body["errors"][0]["field"] == "status"


def test_notes_assign_and_merge(client, service, department, dept_key):
    raw = dept_key[1]
    req, original = submit(service), submit(service)
    call(client, "post", f"/requests/{req.public_id}/notes", raw, {"message": "Internal only"})
    assert "Internal only" not in client.get(f"/requests/{req.public_id}/").content.decode()
    colleague = StaffFactory(departments=[department])
    outsider = StaffFactory(departments=[DepartmentFactory()])
    response, body = call(client, "post", f"/requests/{req.public_id}/assign", raw, {"username": colleague.username})
    assert response.status_code == 200 and body["assigned_to"] == colleague.username
    response, body = call(client, "post", f"/requests/{req.public_id}/assign", raw, {"username": outsider.username})
    assert response.status_code == 422 and body["errors"][0]["field"] == "assignee"
    response, body = call(client, "post", f"/requests/{req.public_id}/merge", raw, {"into": original.public_id})
    assert response.status_code == 200 and body["status"] == "duplicate" and body["duplicate_of"] == original.public_id


def test_idempotency_key_replays_the_first_response(client, service, dept_key):
    req = submit(service)
    path = f"/requests/{req.public_id}/notes"
    first, a = call(client, "post", path, dept_key[1], {"message": "Called the resident"}, **{"Idempotency-Key": "n-1"})
    second, b = call(client, "post", path, dept_key[1], {"message": "Called the resident"}, **{"Idempotency-Key": "n-1"})
    assert a == b and second["Idempotent-Replayed"] == "true"
    assert TimelineEvent.objects.filter(request=req, kind="note").count() == 1
    third, body = call(client, "post", path, dept_key[1], {"message": "Something else"}, **{"Idempotency-Key": "n-1"})
    assert third.status_code == 422 and "different request" in body["detail"]


def test_residents_create_and_read(client, admin_key):
    raw = admin_key[1]
    response, body = call(client, "post", "/residents", raw, {"email": "Ana@Example.org", "first_name": "Ana",
                                                               "preferred_language": "es"})
    assert response.status_code == 201 and body["email"] == "ana@example.org"
    again, same = call(client, "post", "/residents", raw, {"email": "ana@example.org"})
    assert again.status_code == 200 and same["id"] == body["id"] and Resident.objects.count() == 1
    _, read = call(client, "get", f"/residents/{body['id']}", raw)
    assert read["preferred_language"] == "es"
    response, problem = call(client, "post", "/residents", raw, {"email": "nope", "preferred_language": "fr"})
    assert response.status_code == 422
    assert {e["field"] for e in problem["errors"]} == {"email", "preferred_language"}


def test_catalog(client, service, admin_key):
    _, services = call(client, "get", "/services", admin_key[1])
    assert service.service_code in [s["service_code"] for s in services]
    _, depts = call(client, "get", "/departments", admin_key[1])
    assert service.department.slug in [d["slug"] for d in depts]


def test_rate_limit_per_key(client, admin_key):
    key, raw = admin_key
    key.rate_per_minute = 1
    key.save()
    assert call(client, "get", "/departments", raw)[0].status_code == 200
    response, body = call(client, "get", "/departments", raw)
    assert response.status_code == 429 and response["Retry-After"] == "60"


def test_openapi_document(client):
    doc = json.loads(client.get("/api/v1/openapi.json").content)
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/requests/{public_id}/status" in doc["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_nul_characters_are_refused_not_a_server_error(client, service, admin_key):
    req = submit(service)
    response, body = call(client, "post", f"/requests/{req.public_id}/notes", admin_key[1], {"message": "a\x00b"})
    assert response.status_code == 422 and body["errors"][0]["field"] == "message"
    response, _ = call(client, "get", "/requests/%00", admin_key[1])
    assert response.status_code == 404
    response = client.get("/open311/v2/requests.json", {"service_code": "x\x00"})
    assert response.status_code == 400 and "NUL" in response.json()[0]["description"]


def test_odd_but_valid_offsets_are_accepted(client, service, admin_key):
    submit(service)
    response, body = call(client, "get", "/requests?updated_since=2000-01-01T00:00:00-17:47", admin_key[1])
    assert response.status_code == 200 and len(body["items"]) == 1
    response = client.get("/open311/v2/requests.json", {"start_date": "2026-11-01T00:00:00+18:00"})
    assert response.status_code == 200
