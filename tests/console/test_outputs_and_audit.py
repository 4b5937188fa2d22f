"""Supervisor outputs that open cleanly, an audit log a city attorney can search, and
integration accounts that are never handed work."""

import codecs
import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicdesk.cases import services as case_services
from civicdesk.conversations import services as chat_services
from civicdesk.core.csvexport import cell
from civicdesk.integrations.services import issue_key
from civicdesk.privacy.models import GENESIS, AuditEntry
from tests.conversations.conftest import start
from tests.factories import ResidentFactory, StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(codecs.BOM_UTF8), body[:20]
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_cells_are_what_a_spreadsheet_should_show():
    assert cell(37.22222) == "37.2" and cell(60.0) == 60 and cell(7) == 7 and cell(None) == ""
    assert cell(True) == "Yes"
    # a text a spreadsheet would run as a formula is defused; a negative number is a number
    assert cell('=HYPERLINK("http://evil.example","click")') == '\'=HYPERLINK("http://evil.example","click")'
    assert cell("@SUM(A1)") == "'@SUM(A1)" and cell("-3.5") == "-3.5"
    assert cell("Great service, thank you") == "Great service, thank you"


def _chain(entries: list[dict]) -> None:
    """Entries at chosen times, chained as record_access would chain them."""
    last = AuditEntry.objects.order_by("-id").first()
    prev = last.hash if last else GENESIS
    for e in entries:
        entry = AuditEntry(prev_hash=prev, **e)
        entry.hash = entry.compute_hash()
        entry.save()
        prev = entry.hash


def test_sign_in_sign_out_and_failed_sign_in_are_in_the_log(client):
    staff = StaffFactory(username="maria")
    client.post("/console/login/", {"username": "maria", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    client.post("/console/login/", {"username": "nobody", "password": "wrong"})
    assert client.post("/console/login/", {"username": "maria", "password": "test-pass-12345"}).status_code == 302
    client.post("/console/logout/")
    got = [(e.action, e.actor_label, e.object_id, e.detail) for e in AuditEntry.objects.order_by("id")]
    assert got == [("sign_in_failed", "", str(staff.pk), "username maria"),
                   ("sign_in_failed", "", "", "username nobody"),
                   ("sign_in", "maria", str(staff.pk), ""),
                   ("sign_out", "maria", str(staff.pk), "")]


def test_opening_a_conversation_is_one_entry_per_visit(client, department):
    agent = StaffFactory(departments=[department])
    started = start(client, department=department.slug)
    client.force_login(agent)
    for _ in range(3):  # the page, a reload, the live connection's join: one visit
        assert client.get(f"/console/conversations/{started['conversation']}/").status_code == 200
    assert AuditEntry.objects.filter(action="view_conversation").count() == 1
    AuditEntry.objects.filter(action="view_conversation").update(at=timezone.now() - timedelta(minutes=11))
    client.get(f"/console/conversations/{started['conversation']}/")  # a later visit is another access
    assert AuditEntry.objects.filter(action="view_conversation").count() == 2


def test_the_log_filters_by_dates_person_resident_and_action_and_exports_what_it_shows(client, service):
    supervisor = StaffFactory(username="sup", role="supervisor", all_departments=True)
    ana = ResidentFactory(email="ana@example.org")
    req = submit(service, email="ana@example.org")
    req.resident = ana
    req.save(update_fields=["resident"])
    now = timezone.now()
    _chain([
        dict(at=now - timedelta(days=40), actor_label="kim", action="view", object_type="service_request",
             object_id=req.public_id),
        dict(at=now - timedelta(days=3), actor_label="kim", action="view_resident", object_type="resident",
             object_id=str(ana.pk)),
        dict(at=now - timedelta(days=2), actor_label="lee", action="view", object_type="service_request",
             object_id="OTHER123"),
        dict(at=now - timedelta(days=1), actor_label="kim", action="change_status", object_type="service_request",
             object_id=req.public_id, detail="in_progress"),
    ])
    client.force_login(supervisor)
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    page = client.get(f"/console/privacy/audit/?start={week_ago}&resident=ana@example.org").content.decode()
    assert "Saw a resident&#x27;s details" in page and "Changed a request&#x27;s status" in page
    assert "OTHER123" not in page  # someone else's request
    assert page.count(req.public_id) == 1  # the 40-day-old view is before the period
    export = client.get(f"/console/privacy/audit/?start={week_ago}&resident=ana@example.org&export=csv")
    rows = rows_of(export)
    assert rows[0][:4] == ["When", "Who", "Action", "Action code"]
    assert [(r[1], r[2]) for r in rows[1:]] == [("kim", "Changed a request's status"),
                                                ("kim", "Saw a resident's details")]
    assert AuditEntry.objects.filter(action="export", object_type="audit", actor=supervisor).exists()
    only_lee = client.get("/console/privacy/audit/?person=lee&action=view").content.decode()
    assert "OTHER123" in only_lee and req.public_id not in only_lee
    bad = client.get("/console/privacy/audit/?start=31/05/2026&export=csv")
    assert bad["Content-Type"].startswith("text/html") and "Enter dates like 2026-05-31." in bad.content.decode()


def test_integration_accounts_are_never_offered_or_given_work(client, service, department):
    key, _secret = issue_key(name="CRM bridge", departments=[department])
    robot = key.user
    person = StaffFactory(departments=[department])
    supervisor = StaffFactory(role="supervisor", all_departments=True)
    req = submit(service)
    client.force_login(supervisor)
    page = client.get(f"/console/requests/{req.public_id}/").content.decode()
    assert person.display_name in page and "CRM bridge" not in page
    with pytest.raises(ValidationError):
        case_services.assign(request=req, actor=supervisor, assignee=robot)
    started = start(client, department=department.slug)
    conv = chat_services.Conversation.objects.get(public_id=started["conversation"])
    assert robot not in chat_services.agents_for(department) and person in chat_services.agents_for(department)
    with pytest.raises(ValidationError):
        chat_services.assign(conversation=conv, agent=robot, by=supervisor)
