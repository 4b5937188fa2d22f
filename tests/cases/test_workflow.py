"""Status workflow, reasons, duplicates, reopening, assignment and who may see what."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from civicdesk.cases import selectors, services
from civicdesk.cases.models import Status
from tests.factories import DepartmentFactory, ServiceFactory, StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db


def test_staff_moves_request_through_the_workflow(service, agent):
    req = submit(service)
    for status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED):
        services.change_status(request=req, actor=agent, status=status, message="step")
        assert req.status == status
    assert req.resolved_at and req.closed_at
    assert [e.status_to for e in req.events.filter(kind="status")] == [
        "acknowledged", "in_progress", "resolved", "closed"]


def test_closed_request_cannot_change_status(service, agent):
    req = submit(service)
    services.change_status(request=req, actor=agent, status=Status.CLOSED)
    with pytest.raises(ValidationError) as e:
        services.change_status(request=req, actor=agent, status=Status.IN_PROGRESS)
    assert "cannot become" in e.value.messages[0]
    assert req.events.filter(kind="status").count() == 1


@pytest.mark.parametrize("status", [Status.ON_HOLD, Status.REJECTED])
def test_on_hold_and_rejected_need_a_reason(service, agent, status):
    req = submit(service)
    with pytest.raises(ValidationError) as e:
        services.change_status(request=req, actor=agent, status=status)
    assert "reason" in e.value.message_dict
    services.change_status(request=req, actor=agent, status=status, reason="Outside city limits")
    req.refresh_from_db()
    assert req.status_reason == "Outside city limits"
    assert "Outside city limits" in req.events.last().message


def test_duplicate_needs_a_different_original(service, agent):
    original, copy = submit(service), submit(service)
    with pytest.raises(ValidationError):
        services.change_status(request=copy, actor=agent, status=Status.DUPLICATE)
    with pytest.raises(ValidationError):
        services.change_status(request=copy, actor=agent, status=Status.DUPLICATE, duplicate_of=copy)
    services.change_status(request=copy, actor=agent, status=Status.DUPLICATE, duplicate_of=original)
    assert copy.duplicate_of == original and copy.closed_at is not None


def test_resident_reopens_within_window_but_not_after(service, agent, settings):
    settings.CIVICDESK_REOPEN_DAYS = 7
    req = submit(service)
    with pytest.raises(ValidationError):
        services.reopen(request=req, reason="still broken")  # not resolved yet
    services.change_status(request=req, actor=agent, status=Status.RESOLVED)
    with pytest.raises(ValidationError):
        services.reopen(request=req, reason="")
    services.reopen(request=req, reason="The hole is back")
    assert req.status == Status.IN_PROGRESS and req.resolved_at is None
    services.change_status(request=req, actor=agent, status=Status.RESOLVED,
                           at=timezone.now() - timedelta(days=8))
    with pytest.raises(ValidationError) as e:
        services.reopen(request=req, reason="again")
    assert "7 days" in e.value.messages[0]


def test_internal_note_is_not_on_the_public_timeline(service, agent):
    req = submit(service)
    services.add_note(request=req, actor=agent, message="Crew says: nasty one", public=False)
    services.add_note(request=req, actor=agent, message="Scheduled for Tuesday", public=True)
    public = [e.message for e in selectors.public_timeline(req)]
    assert "Scheduled for Tuesday" in public
    assert "Crew says: nasty one" not in public


def test_assign_only_to_staff_of_the_department(service, agent):
    req = submit(service)
    outsider = StaffFactory(departments=[DepartmentFactory()])
    with pytest.raises(ValidationError):
        services.assign(request=req, actor=agent, assignee=outsider)
    services.assign(request=req, actor=agent, assignee=agent)
    req.refresh_from_db()
    assert req.assigned_to == agent
    assert not req.events.get(kind="assigned").public


def test_agent_sees_only_their_departments_requests(service, agent):
    mine = submit(service)
    other = submit(ServiceFactory())
    visible = set(selectors.requests_visible_to(agent))
    assert mine in visible and other not in visible
    assert selectors.access_request_for_staff(agent, mine.public_id) == mine
    with pytest.raises(Http404):
        selectors.access_request_for_staff(agent, other.public_id)


def test_administrator_and_contact_center_agents_see_every_department(service):
    req = submit(ServiceFactory())
    admin = StaffFactory(role="administrator")
    contact_center = StaffFactory(role="agent", all_departments=True)
    supervisor_elsewhere = StaffFactory(role="supervisor", departments=[service.department])
    assert selectors.access_request_for_staff(admin, req.public_id) == req
    assert selectors.access_request_for_staff(contact_center, req.public_id) == req
    with pytest.raises(Http404):
        selectors.access_request_for_staff(supervisor_elsewhere, req.public_id)


def test_non_staff_user_sees_nothing(service):
    submit(service)
    user = StaffFactory(is_staff=False)
    assert not selectors.requests_visible_to(user).exists()
