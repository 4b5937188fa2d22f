"""Webhooks against a real HTTP receiver: signed, retried, never duplicated, disabled when dead."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from civicdesk.cases import services
from civicdesk.cases.models import Status
from civicdesk.integrations import webhooks
from civicdesk.integrations.models import WebhookDelivery, WebhookEndpoint
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits, as in production


class Receiver:
    """An HTTP server that records what it gets and answers with the next scripted status."""

    def __init__(self, statuses=()):
        self.received: list[dict] = []
        self.script = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.script.pop(0) if receiver.script else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self):
        return [json.loads(r["body"]) for r in self.received]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.fixture
def fast_retries(settings):
    settings.CIVICDESK_WEBHOOK_RETRY_BASE_S = 0
    settings.CIVICDESK_WEBHOOK_MAX_ATTEMPTS = 4


def endpoint(url, events=("*",)):
    return WebhookEndpoint.objects.create(name="Work orders", url=url, events=list(events))


def test_events_are_signed_and_delivered_after_commit(service, agent, receiver, run_worker):
    ep = endpoint(receiver.url, ["request.created", "request.status_changed"])
    req = submit(service)
    services.change_status(request=req, actor=agent, status=Status.IN_PROGRESS, message="On it")
    services.add_note(request=req, actor=agent, message="internal")  # not subscribed, and internal
    assert receiver.received == []  # the request cycle sends nothing itself
    run_worker()
    events = receiver.events()
    assert [e["type"] for e in events] == ["request.created", "request.status_changed"]
    assert events[1]["data"]["request"]["public_id"] == req.public_id
    assert events[1]["data"]["event"]["status_to"] == "in_progress" and events[1]["data"]["event"]["message"] == "On it"
    for raw in receiver.received:
        headers = {k.lower(): v for k, v in raw["headers"].items()}
        assert webhooks.verify(ep.secret, headers["civicdesk-signature"], raw["body"])
        assert not webhooks.verify("whsec_wrong", headers["civicdesk-signature"], raw["body"])
        assert not webhooks.verify(ep.secret, headers["civicdesk-signature"], raw["body"] + b" ")
        assert headers["civicdesk-event-id"] == json.loads(raw["body"])["id"]
    delivery = WebhookDelivery.objects.filter(event_type="request.created").get()
    assert delivery.state == "succeeded" and delivery.last_status_code == 200 and delivery.last_latency_ms is not None


def test_public_notes_only(service, agent, receiver, run_worker):
    endpoint(receiver.url, ["request.note_added"])
    req = submit(service)
    services.add_note(request=req, actor=agent, message="internal")
    services.add_note(request=req, actor=agent, message="We ordered the part", public=True)
    run_worker()
    assert [e["data"]["event"]["message"] for e in receiver.events()] == ["We ordered the part"]


def test_failures_are_retried_with_the_same_event_id(service, fast_retries, run_worker):
    flaky = Receiver(statuses=[500, 503])
    try:
        endpoint(flaky.url, ["request.created"])
        submit(service)
        for _ in range(4):
            run_worker()
        ids = [e["id"] for e in flaky.events()]
        assert len(ids) == 3 and len(set(ids)) == 1  # two failures, then success, one event
        delivery = WebhookDelivery.objects.get()
        assert delivery.state == "succeeded" and delivery.attempts == 3
        assert WebhookEndpoint.objects.get().consecutive_failures == 0
    finally:
        flaky.server.shutdown()


def test_dead_endpoint_is_disabled_and_admins_are_told(service, fast_retries, run_worker, settings, smtp):
    from tests.factories import StaffFactory

    StaffFactory(role="administrator", email="it@riverton.gov")
    settings.CIVICDESK_WEBHOOK_MAX_ATTEMPTS = 1
    settings.CIVICDESK_WEBHOOK_DISABLE_AFTER = 2
    ep = endpoint("http://127.0.0.1:9/nothing-listens-here", ["request.created"])
    submit(service)
    submit(service)
    run_worker()
    ep.refresh_from_db()
    assert not ep.active and "2 deliveries failed" in ep.disabled_reason
    assert WebhookDelivery.objects.filter(state="failed").count() == 2
    assert any("Webhook endpoint disabled" in m["subject"] for m in smtp.to("it@riverton.gov"))
    submit(service)  # a disabled endpoint gets nothing new
    assert WebhookDelivery.objects.count() == 2


def test_redeliver_sends_the_same_event_again(service, receiver, run_worker):
    endpoint(receiver.url, ["request.created"])
    submit(service)
    run_worker()
    delivery = WebhookDelivery.objects.get()
    webhooks.redeliver(delivery)
    run_worker()
    ids = [e["id"] for e in receiver.events()]
    assert len(ids) == 2 and ids[0] == ids[1] == str(delivery.event_id)


def test_status_sync_through_the_api_reaches_resident_and_webhook(client, service, receiver, run_worker, smtp):
    from civicdesk.accounts.models import Role
    from civicdesk.integrations.services import issue_key

    endpoint(receiver.url, ["request.status_changed"])
    _, raw = issue_key(name="Work orders", role=Role.ADMINISTRATOR)
    from civicdesk.accounts.models import Resident

    ana = Resident.objects.create(email="ana@example.org")
    req = submit(service, email="ana@example.org", resident=ana)  # signed in: her address is confirmed
    run_worker()
    smtp.messages.clear()
    response = client.post(f"/api/v1/requests/{req.public_id}/status", data=json.dumps(
        {"status": "resolved", "message": "Pothole filled"}), content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    run_worker()
    [mail] = smtp.to("ana@example.org")
    assert "Pothole filled" in mail["body"]
    assert [e["data"]["event"]["status_to"] for e in receiver.events()] == ["resolved"]


def test_conversation_events_without_personal_data(department, receiver, run_worker):
    from civicdesk.accounts.models import Resident
    from civicdesk.conversations import services as chat
    from tests.factories import StaffFactory

    endpoint(receiver.url, ["conversation.created", "conversation.assigned", "conversation.closed"])
    agent = StaffFactory(departments=[department])  # offline: nothing is assigned automatically
    resident = Resident.objects.create(email="ana@example.org", first_name="Ana")
    conv = chat.start_conversation(department=department, resident=resident, channel="email", greet=False).conversation
    chat.assign(conversation=conv, agent=agent, by=agent)
    chat.close(conversation=conv, by=agent, resolution_code="answered")
    run_worker()
    events = receiver.events()
    assert [e["type"] for e in events] == ["conversation.created", "conversation.assigned", "conversation.closed"]
    closed = events[-1]["data"]["conversation"]
    assert closed["id"] == conv.public_id and closed["resolution_code"] == "answered"
    assert closed["assigned_to"] == agent.username and closed["department"] == department.slug
    assert "ana@example.org" not in json.dumps(events) and "Ana" not in json.dumps(events)
