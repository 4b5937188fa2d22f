"""Moderation: on a service that holds reports for review, a resident's words and photos
reach the public only once staff publish them; staff hide or edit anything (with a reason
the resident sees) before or after publication; every step is on the internal timeline and
in the audit log."""

import json
import uuid

import pytest
from django.test import Client

from civicdesk.cases import services
from civicdesk.cases.models import Review, Status, TimelineEvent
from civicdesk.privacy.models import AuditEntry
from tests.factories import QuestionFactory, ServiceFactory, StaffFactory
from tests.helpers import jpeg_with_gps, submit

pytestmark = pytest.mark.django_db

WORDS = "Someone sprayed RUDE-WORD-4471 on the wall"


@pytest.fixture
def graffiti(department):
    service = ServiceFactory(department=department, service_code="graffiti", name="Graffiti", moderated=True)
    QuestionFactory(service=service, code="surface", datatype="string", required=False)
    return service


def _file(service, text=WORDS, *, photo=True, answers=None):
    key = uuid.uuid4().hex
    if photo:
        services.stage_photo(upload_key=key, name="wall.jpg", raw=jpeg_with_gps())
    return submit(service, description=text, key=key, upload_key=key if photo else None,
                  answers=answers, address="500 Main St")


def _owner(req) -> Client:
    """The filer's browser: it opened the private link."""
    owner = Client()
    owner.get(f"/requests/{req.public_id}/?key={services.access_token_for(req)}")
    return owner


def _public(req) -> dict:
    page = Client().get(f"/requests/{req.public_id}/").content.decode()
    [feed] = json.loads(Client().get(f"/open311/v2/requests/{req.public_id}.json").content)
    return {"page": page, "description": feed["description"], "media_url": feed["media_url"],
            "status_notes": feed["status_notes"]}


def test_a_held_report_is_public_only_after_staff_publish_it(client, graffiti, agent):
    req = _file(graffiti, answers={"surface": "brick, opposite number 12"})
    photo_url = req.photos.get().image.url
    assert req.needs_review and req.review == Review.PENDING
    assert req.photos.get().review == Review.PENDING

    seen = _public(req)
    assert WORDS not in seen["page"] and "opposite number 12" not in seen["page"] and photo_url not in seen["page"]
    assert seen["description"] == "" and seen["media_url"] == ""
    assert "Request received" in seen["page"]  # the request itself and its status are public

    mine = _owner(req).get(f"/requests/{req.public_id}/").content.decode()
    assert WORDS in mine and photo_url in mine
    assert mine.count('data-testid="review-pending"') == 2  # the description and the photo
    assert 'data-testid="held-notice"' in mine

    # The department's queue shows it; the request page offers the choices.
    client.force_login(agent)
    queue = client.get("/console/?review=1").content.decode()
    assert req.public_id in queue and "1 request has words or photos waiting for review" in queue
    console = client.get(f"/console/requests/{req.public_id}/").content.decode()
    assert "Publish as written" in console and 'data-testid="moderate-photo"' in console

    client.post(f"/console/requests/{req.public_id}/moderate/", {"item": "text", "action": "approve"})
    photo = req.photos.get()
    client.post(f"/console/requests/{req.public_id}/moderate/", {"item": f"photo:{photo.pk}", "action": "approve"})
    req.refresh_from_db()
    assert not req.needs_review
    seen = _public(req)
    assert WORDS in seen["page"] and "opposite number 12" in seen["page"] and photo_url in seen["page"]
    assert seen["description"] == WORDS and seen["media_url"].endswith(photo_url)
    assert req.public_id not in client.get("/console/?review=1").content.decode()

    # Each step: an internal timeline event (not on the public page) and an audit entry.
    steps = list(req.events.filter(kind=TimelineEvent.Kind.MODERATED).values_list("message", "public", "actor"))
    assert steps == [("Description published as written", False, agent.pk), ("Photo 1 published", False, agent.pk)]
    assert "published as written" not in seen["page"]
    assert AuditEntry.objects.filter(action="moderate", object_id=req.public_id, actor=agent).count() == 2


def test_hiding_needs_a_reason_the_resident_then_sees(client, service, agent):
    """Not a held service: published at once, hidden later."""
    req = _file(service, text="Call 555-0100 to buy my car", photo=False)
    assert "buy my car" in _public(req)["page"] and not req.needs_review
    client.force_login(agent)
    url = f"/console/requests/{req.public_id}/moderate/"
    page = client.post(url, {"item": "text", "action": "hide", "reason": "  "}, follow=True).content.decode()
    assert "Say why, so the resident and your colleagues understand." in page
    assert "buy my car" in _public(req)["description"]  # nothing changed

    client.post(url, {"item": "text", "action": "hide", "reason": "Advertising is not a report"})
    seen = _public(req)
    assert "buy my car" not in seen["page"] and seen["description"] == ""
    mine = _owner(req).get(f"/requests/{req.public_id}/").content.decode()
    assert "buy my car" in mine and 'data-testid="review-hidden"' in mine and "Advertising is not a report" in mine
    [step] = req.events.filter(kind=TimelineEvent.Kind.MODERATED)
    assert step.message == "Description hidden from the public: Advertising is not a report"


def test_an_edit_publishes_a_version_beside_the_residents_own_words(client, graffiti, agent):
    req = _file(graffiti, photo=False)
    client.force_login(agent)
    url = f"/console/requests/{req.public_id}/moderate/"
    response = client.post(url, {"item": "text", "action": "edit", "text": "Graffiti with an offensive word",
                                 "reason": "Offensive word removed"}, follow=True)
    assert "The edited text is public." in response.content.decode()
    seen = _public(req)
    assert seen["description"] == "Graffiti with an offensive word" and "RUDE-WORD" not in seen["page"]
    req.refresh_from_db()
    assert req.description == WORDS  # the resident's words are kept as written
    mine = _owner(req).get(f"/requests/{req.public_id}/").content.decode()
    assert WORDS in mine and 'data-testid="edited-for-public"' in mine
    # An empty edit is refused rather than publishing nothing.
    page = client.post(url, {"item": "text", "action": "edit", "text": " ", "reason": "x"}, follow=True)
    assert "Write the text the public should see, or hide it." in page.content.decode()


def test_a_published_photo_can_be_hidden_everywhere(client, service, agent):
    req = _file(service)
    photo = req.photos.get()
    published_at, file_name = photo.image.url, photo.image.name
    assert published_at in _public(req)["page"] and photo.image.storage.exists(file_name)
    client.force_login(agent)
    client.post(f"/console/requests/{req.public_id}/moderate/",
                {"item": f"photo:{photo.pk}", "action": "hide", "reason": "A face is visible"})
    seen = _public(req)
    assert photo.image.url not in seen["page"] and seen["media_url"] == ""
    assert seen["description"] == WORDS  # the words are a separate decision
    assert not photo.image.storage.exists(file_name)  # the address the public had is dead
    photo.refresh_from_db()
    assert photo.image.storage.exists(photo.image.name)  # the photo is kept for staff…
    mine = _owner(req).get(f"/requests/{req.public_id}/").content.decode()
    assert photo.image.url in mine  # …and the filer, at its new address


def test_added_information_and_a_reopen_reason_wait_too(client, graffiti, agent, settings):
    req = _file(graffiti, photo=False)
    services.moderate(request=req, actor=agent, item="text", action="approve")
    services.add_information(request=req, text="It is on the side facing SECRET-ALLEY as well")
    req.refresh_from_db()
    assert req.needs_review
    seen = _public(req)
    assert "SECRET-ALLEY" not in seen["page"] and "SECRET-ALLEY" not in seen["status_notes"]
    assert "SECRET-ALLEY" in _owner(req).get(f"/requests/{req.public_id}/").content.decode()

    services.change_status(request=req, actor=agent, status=Status.RESOLVED, message="Painted over")
    services.reopen(request=req, reason="They sprayed NAME-OF-NEIGHBOUR again")
    seen = _public(req)
    assert "Reopened by the resident" in seen["page"]  # the status change is public at once
    assert "NAME-OF-NEIGHBOUR" not in seen["page"] and "NAME-OF-NEIGHBOUR" not in seen["status_notes"]

    client.force_login(agent)
    console = client.get(f"/console/requests/{req.public_id}/").content.decode()
    assert console.count('data-testid="moderate-note"') == 2
    note, reopened = req.events.filter(kind__in=services.RESIDENT_WORDS).order_by("id")
    client.post(f"/console/requests/{req.public_id}/moderate/", {"item": f"note:{note.pk}", "action": "approve"})
    client.post(f"/console/requests/{req.public_id}/moderate/",
                {"item": f"note:{reopened.pk}", "action": "hide", "reason": "Names a neighbour"})
    seen = _public(req)
    assert "SECRET-ALLEY" in seen["page"] and "NAME-OF-NEIGHBOUR" not in seen["page"]
    req.refresh_from_db()
    assert not req.needs_review


def test_staff_moderate_only_their_departments_and_only_this_requests_items(client, graffiti, department):
    req = _file(graffiti)
    other = _file(graffiti)
    outsider = StaffFactory(username="other-dept")  # no department
    client.force_login(outsider)
    response = client.post(f"/console/requests/{req.public_id}/moderate/", {"item": "text", "action": "approve"})
    assert response.status_code == 404
    req.refresh_from_db()
    assert req.review == Review.PENDING

    colleague = StaffFactory(username="colleague", departments=[department])
    client.force_login(colleague)
    foreign_photo = other.photos.get()
    page = client.post(f"/console/requests/{req.public_id}/moderate/",
                       {"item": f"photo:{foreign_photo.pk}", "action": "approve"}, follow=True).content.decode()
    assert "That is not part of this request." in page
    foreign_photo.refresh_from_db()
    assert foreign_photo.review == Review.PENDING
    staff_note = services.add_note(request=req, actor=colleague, message="Crew booked", public=True)
    with pytest.raises(Exception, match="not part of this request"):
        services.moderate(request=req, actor=colleague, item=f"note:{staff_note.pk}", action="hide", reason="x")


@pytest.mark.django_db(transaction=True)  # the worker commits, as in production
def test_a_follower_reads_no_more_than_the_public_page(graffiti, agent, smtp, run_worker):
    req = _file(graffiti, photo=False)
    services.moderate(request=req, actor=agent, item="text", action="approve")
    follower = services.follow(request=req, email="nosy@example.org")
    services.confirm_follow(token=follower.token)
    services.change_status(request=req, actor=agent, status=Status.RESOLVED, message="Painted over")
    services.reopen(request=req, reason="They sprayed NAME-OF-NEIGHBOUR again")
    run_worker()
    mails = smtp.to("nosy@example.org")
    assert any("Painted over" in m["body"] for m in mails)
    reopened = [m for m in mails if "In progress" in m["body"]]
    assert reopened and all("NAME-OF-NEIGHBOUR" not in m["body"] for m in mails)
