"""Area alerts: a resident follows the public reports near an address or in a ward; gets an
email for each new report and update (immediate) or one digest a day, once each; never about
private services; with errors in their language and a one-click stop."""

from datetime import datetime, timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from civicdesk.addresses.models import AddressPoint, Ward
from civicdesk.alerts import tasks
from civicdesk.alerts.models import AlertDigest, AreaAlert
from civicdesk.cases import services as cases
from civicdesk.cases.models import TimelineEvent
from tests.factories import ServiceFactory, StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)
HOME = (41.85, -89.50)
NEAR = (41.852, -89.501)  # about 230 m away
FAR = (41.85, -89.46)  # about 3.3 km away


@pytest.fixture
def place(db):
    AddressPoint.objects.create(ref="A-1", number="1228", street="N Elm St", lat=HOME[0], long=HOME[1],
                                street_key="n elm st", search="1228 n elm st")
    return Ward.objects.create(name="Ward 1", polygons=[[[[-89.52, 41.82], [-89.48, 41.82], [-89.48, 41.88],
                                                          [-89.52, 41.88], [-89.52, 41.82]]]])


def follow(client, language="en", **fields):
    data = {"area": "near", "address": "", "address_id": "A-1", "radius": "500", "ward": "", "mode": "immediate",
            "email": "nadia@example.org", "consent": "on", **fields}
    return client.post("/alerts/", {k: v for k, v in data.items() if v is not None}, HTTP_ACCEPT_LANGUAGE=language)


def confirm(client, smtp, run_worker, email="nadia@example.org"):
    run_worker()
    link = next(w for w in smtp.to(email)[-1]["body"].split() if "/alerts/confirm/" in w)
    client.post(urlparse(link).path)


def test_a_new_report_nearby_and_its_update_are_emailed_once_far_and_private_ones_not(
        client, place, service, smtp, run_worker):
    response = follow(client)
    assert "Check your email" in response.content.decode()
    run_worker()
    assert "within 500 m of 1228 N Elm St" in smtp.messages[0]["body"]
    assert AreaAlert.objects.get().confirmed_at is None
    submit(service, lat=NEAR[0], long=NEAR[1], description="Streetlight out all week")
    run_worker()
    assert len(smtp.messages) == 1  # not confirmed yet: nothing
    confirm(client, smtp, run_worker)

    near = submit(service, lat=NEAR[0], long=NEAR[1], description="Deep pothole by the school")
    submit(service, lat=FAR[0], long=FAR[1], description="Far away")
    hidden = ServiceFactory(visibility="private", name="Welfare check")
    submit(hidden, lat=NEAR[0], long=NEAR[1], description="Private matter")
    run_worker()
    [alert] = smtp.to("nadia@example.org")[1:]
    assert alert["subject"].startswith(f"New report: {service.name}")
    assert "Deep pothole by the school" in alert["body"]
    assert f"/requests/{near.public_id}/" in alert["body"] and "/alerts/stop/" in alert["body"]

    cases.change_status(request=near, actor=StaffFactory(all_departments=True), status="in_progress",
                        message="Crew on site this afternoon.")
    run_worker()
    update = smtp.to("nadia@example.org")[-1]
    assert "In progress" in update["subject"] and "Crew on site this afternoon." in update["body"]
    tasks.alert_event.call(TimelineEvent.objects.filter(request=near).latest("created_at").pk)  # again
    assert len(smtp.to("nadia@example.org")) == 3
    bodies = " ".join(m["body"] for m in smtp.messages)
    assert "Private matter" not in bodies and "Far away" not in bodies and "Welfare check" not in bodies


def test_a_ward_digest_lists_yesterdays_reports_once(client, place, service, smtp, run_worker):
    follow(client, area="ward", ward=str(place.pk), mode="daily", address_id="")
    confirm(client, smtp, run_worker)
    inside = submit(service, lat=41.84, long=-89.51, description="Graffiti on the bridge")
    submit(service, lat=FAR[0], long=FAR[1], description="Outside the ward")
    yesterday = timezone.now() - timedelta(days=1)
    TimelineEvent.objects.update(created_at=yesterday)
    today = timezone.localdate().isoformat()
    assert tasks.daily_digests.call(today)["sent"] == 1
    assert tasks.daily_digests.call(today)["sent"] == 0  # run again: nobody gets two
    digest = smtp.to("nadia@example.org")[-1]
    assert digest["subject"].strip().startswith("1 public report or update in Ward 1 on ")
    assert f"/requests/{inside.public_id}/" in digest["body"] and "Outside the ward" not in digest["body"]
    assert AlertDigest.objects.get().events == 1


@pytest.mark.parametrize(("fields", "error"), [
    ({"consent": None}, "Tick the box to agree to receive these emails."),
    ({"email": "nadia"}, "Enter an email address like name@example.com."),
    ({"address_id": "", "address": "99999 Nowhere Rd"}, "We could not find “99999 Nowhere Rd”"),
    ({"address_id": ""}, "Enter the address to follow the reports near."),
    ({"area": "ward", "ward": ""}, "Choose the ward to follow."),
])
def test_bad_input_says_what_is_wrong_and_follows_nothing(client, place, fields, error):
    response = follow(client, **fields)
    assert response.status_code == 400 and error in response.content.decode()
    assert not AreaAlert.objects.exists()


def test_errors_in_spanish_and_asking_twice_is_one_alert(client, place, smtp, run_worker):
    page = follow(client, language="es", consent=None, email="x").content.decode()
    assert "Marque la casilla" in page and "nombre@ejemplo.com" in page
    follow(client)
    follow(client, email="NADIA@example.org")
    assert AreaAlert.objects.count() == 1


def test_one_click_stop(client, place, smtp, run_worker, service):
    follow(client)
    confirm(client, smtp, run_worker)
    alert = AreaAlert.objects.get()
    assert client.post(f"/alerts/stop/{alert.token}/", {"List-Unsubscribe": "One-Click"}).status_code == 200
    submit(service, lat=NEAR[0], long=NEAR[1])
    run_worker()
    assert len(smtp.to("nadia@example.org")) == 1  # the confirmation only


def test_the_morning_digest_is_queued_once(db):
    from django_tasks_db.models import DBTaskResult

    evening = timezone.make_aware(datetime(2026, 12, 2, 20, 0))
    tasks.schedule_digests(evening)
    tasks.schedule_digests(evening)
    [queued] = DBTaskResult.objects.filter(task_path__endswith="daily_digests")
    assert queued.args_kwargs["args"] == ["2026-12-03"]


def test_administrators_looking_at_the_alerts_are_audited(client, place, smtp, run_worker):
    from civicdesk.privacy.models import AuditEntry

    follow(client)
    admin = StaffFactory(role="administrator", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get("/admin/alerts/areaalert/").content.decode()
    assert "nadia@example.org" in page
    assert AuditEntry.objects.filter(action="view_area_alerts", actor=admin).exists()
