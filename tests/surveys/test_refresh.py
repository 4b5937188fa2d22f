"""The worker precomputes the public page and the dashboard's default views, and keeps
doing so on a schedule; the pages show when their figures were computed."""

import pytest
from django.core.cache import cache
from django_tasks_db.models import DBTaskResult

from civicdesk.surveys import figures
from civicdesk.surveys.tasks import schedule_refresh
from tests.factories import ServiceFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_precomputes_and_reschedules(client, run_worker):
    service = ServiceFactory(name="Pothole")
    submit(service)
    schedule_refresh()
    schedule_refresh()  # idempotent: one queued refresh
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_worker()
    public = cache.get("figures:public")
    assert public is not None
    assert {r["service"].name: r["received"] for r in public["rows"]}["Pothole"] == 1
    assert cache.get(f"figures:experience:{figures.default_filters().key()}") is not None
    submit(service)  # the page shows the precomputed figures until the next refresh
    page = client.get("/performance/").content.decode()
    assert "Figures computed" in page
    assert {r["service"].name: r["received"] for r in figures.public_performance()["rows"]}["Pothole"] == 1
    nxt = DBTaskResult.objects.get(status="READY")  # the next run is queued
    assert nxt.run_after is not None
