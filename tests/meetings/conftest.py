"""A council with one upcoming hybrid meeting (three agenda items, a PDF), a follower-less
body, and the clerk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from civicdesk.core.translation import save_translations
from civicdesk.meetings import services
from civicdesk.meetings.demo import pdf
from civicdesk.meetings.models import AgendaItem, Body, Meeting, Topic


def make_council(days: int = 7, **meeting_fields) -> dict:
    body = Body.objects.create(slug="council", kind=Body.Kind.COUNCIL)
    save_translations(body, {"en": {"name": "City Council"}, "es": {"name": "Concejo Municipal"}})
    budget = Topic.objects.create(slug="budget")
    save_translations(budget, {"en": {"name": "Budget"}, "es": {"name": "Presupuesto"}})
    parks = Topic.objects.create(slug="parks")
    save_translations(parks, {"en": {"name": "Parks"}, "es": {"name": "Parques"}})
    fields = {"mode": Meeting.Mode.HYBRID, "place": "City Hall", "address": "100 Main St", "lat": 41.85,
              "long": -89.48, "stream_url": "https://www.youtube.com/watch?v=abcDEF12345",
              "state": Meeting.State.SCHEDULED, **meeting_fields}
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=days)
    meeting = Meeting.objects.create(body=body, starts_at=start, ends_at=start + timedelta(hours=2), **fields)
    save_translations(meeting, {"en": {"title": "Budget hearing", "description": "The 2027 budget."},
                                "es": {"title": "Audiencia del presupuesto", "description": "El presupuesto de 2027."}})
    items = []
    for number, (topic, en, es) in enumerate([(budget, "Operating budget", "Presupuesto operativo"),
                                              (parks, "Riverside playground", "Parque infantil Riverside"),
                                              (None, "Library hours", "Horario de bibliotecas")], start=1):
        item = AgendaItem.objects.create(meeting=meeting, number=number, topic=topic)
        save_translations(item, {"en": {"title": en}, "es": {"title": es}})
        items.append(item)
    document = services.add_document(items[0], title="Budget summary", name="summary.pdf",
                                     raw=pdf("Budget summary", ["Total: $184 million"]))
    return {"body": body, "meeting": meeting, "items": items, "topics": {"budget": budget, "parks": parks},
            "document": document}


@pytest.fixture
def council(db):
    return make_council()


@pytest.fixture
def clerk(db):
    from tests.factories import StaffFactory

    return StaffFactory(role="clerk")


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
