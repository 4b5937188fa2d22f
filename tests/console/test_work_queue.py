"""The work queue: queues and saved views per agent, bulk changes with one public update,
and targets about to be missed escalated to supervisors (task, console, email)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicdesk.cases.escalation import escalate_due
from civicdesk.cases.models import BulkChange, Escalation, ServiceRequest, Status, TimelineEvent
from civicdesk.cases.tasks import schedule_target_checks
from civicdesk.privacy.models import AuditEntry
from tests.factories import ServiceFactory, StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)  # the task worker commits, as in production


def test_queues_and_a_saved_view_belong_to_the_agent(client, service, agent):
    mine, theirs, nobodys = submit(service), submit(service), submit(service)
    other = StaffFactory(departments=[service.department])
    ServiceRequest.objects.filter(pk=mine.pk).update(assigned_to=agent)
    ServiceRequest.objects.filter(pk=theirs.pk).update(assigned_to=other)
    client.force_login(agent)
    page = client.get("/console/?assigned=me").content.decode()
    assert mine.public_id in page and theirs.public_id not in page and nobodys.public_id not in page
    page = client.get("/console/?assigned=none").content.decode()
    assert nobodys.public_id in page and mine.public_id not in page
    saved = client.post("/console/views/", {"name": "Unassigned potholes", "query": "assigned=none&page=3&evil=1"})
    assert saved["Location"] == "/console/?assigned=none"  # the page and unknown fields are not kept
    assert "Unassigned potholes" in client.get("/console/").content.decode()
    client.force_login(other)
    assert "Unassigned potholes" not in client.get("/console/").content.decode()
    assert client.post("/console/views/", {"name": "", "query": "assigned=me"}, follow=True).content.decode().count(
        "Give the view a name.") == 1


def test_bulk_change_assigns_moves_and_tells_each_resident_once(client, service, smtp, run_worker):
    supervisor = StaffFactory(role="supervisor", departments=[service.department])
    crew = StaffFactory(departments=[service.department])
    a = submit(service, email="a@example.org")
    b = submit(service, email="b@example.org")
    done = submit(service)
    ServiceRequest.objects.filter(pk=done.pk).update(status=Status.CLOSED)
    outside = submit(ServiceFactory())  # another department: not this supervisor's
    ServiceRequest.objects.filter(pk__in=[a.pk, b.pk]).update(contact_confirmed_at=timezone.now())  # they said it is theirs
    run_worker()
    smtp.messages.clear()
    client.force_login(supervisor)
    form = {"key": "k" * 32, "ids": [a.public_id, b.public_id, done.public_id, outside.public_id],
            "assignee": crew.pk, "status": "in_progress", "message": "A crew is on the way this week."}
    page = client.post("/console/requests/bulk/", form, follow=True).content.decode()
    assert "2 requests changed." in page
    assert f"{done.public_id} not changed" in page  # a closed request cannot move to in progress
    client.post("/console/requests/bulk/", form)  # the same form again (a double click): nothing more
    run_worker()
    for req in (a, b):
        req.refresh_from_db()
        assert (req.status, req.assigned_to) == (Status.IN_PROGRESS, crew)
        updates = req.events.filter(public=True, message="A crew is on the way this week.")
        assert updates.count() == 1
    outside.refresh_from_db()
    assert outside.status == Status.SUBMITTED and outside.assigned_to is None
    assert sorted(m["to"][0] for m in smtp.messages) == ["a@example.org", "b@example.org"]
    assert BulkChange.objects.count() == 1
    entries = AuditEntry.objects.filter(action="bulk_update").order_by("object_id")
    assert [(e.actor, e.object_id) for e in entries] == [(supervisor, a.public_id), (supervisor, b.public_id)]
    assert "status in_progress" in entries[0].detail and crew.get_username() in entries[0].detail


def test_a_bulk_change_cut_off_half_way_goes_on_when_sent_again(client, service):
    """The first sending stopped after one request (a process restarted): the second does the
    rest, and nothing twice."""
    supervisor = StaffFactory(role="supervisor", departments=[service.department])
    a, b = submit(service), submit(service)
    from civicdesk.cases import services

    services.assign(request=a, actor=supervisor, assignee=supervisor)
    BulkChange.objects.create(key="half", actor=supervisor, changed=[a.public_id])  # not done
    client.force_login(supervisor)
    page = client.post("/console/requests/bulk/", {"key": "half", "ids": [a.public_id, b.public_id],
                                                    "assignee": supervisor.pk}, follow=True).content.decode()
    assert "2 requests changed." in page
    assert a.events.filter(kind="assigned").count() == 1  # not assigned a second time
    b.refresh_from_db()
    assert b.assigned_to == supervisor
    assert BulkChange.objects.get(key="half").done_at is not None


def test_a_target_about_to_be_missed_goes_to_the_supervisors_once(client, service, smtp, run_worker, settings):
    settings.CIVICDESK_SLA_ESCALATE_HOURS = 4
    boss = StaffFactory(role="supervisor", departments=[service.department], email="boss@example.gov")
    StaffFactory(role="supervisor", departments=[ServiceFactory().department], email="elsewhere@example.gov")
    StaffFactory(departments=[service.department], email="crew@example.gov")  # an agent: not told
    late_soon = submit(service)
    later = submit(service)
    now = timezone.now()
    ServiceRequest.objects.filter(pk=late_soon.pk).update(sla_due_at=now + timedelta(hours=3))
    ServiceRequest.objects.filter(pk=later.pk).update(sla_due_at=now + timedelta(days=2))
    run_worker()
    smtp.messages.clear()
    schedule_target_checks()  # what deployments queue; it runs, then queues itself again
    run_worker()
    assert list(Escalation.objects.values_list("request_id", flat=True)) == [late_soon.pk]
    assert [m["to"] for m in smtp.messages] == [["boss@example.gov"]]
    assert late_soon.public_id in smtp.messages[0]["subject"]
    assert TimelineEvent.objects.filter(request=late_soon, public=False, message__startswith="Escalated").count() == 1
    # the clock moves on two days: the other one is due soon now; the first is not escalated again
    assert [e.request_id for e in escalate_due(now=now + timedelta(days=1, hours=21))] == [later.pk]
    run_worker()
    assert len(smtp.messages) == 2
    client.force_login(boss)
    page = client.get("/console/").content.decode()
    assert "2 requests are about to miss their target" in page and late_soon.public_id in page
    # a new due date (the workflow changed it) may be escalated again
    ServiceRequest.objects.filter(pk=late_soon.pk).update(sla_due_at=now + timedelta(hours=1))
    assert [e.request_id for e in escalate_due(now=now)] == [late_soon.pk]
