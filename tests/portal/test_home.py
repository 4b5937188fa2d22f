"""The home page: popular services first."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ServiceFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db


def popular_names(html: str) -> list[str]:
    section = html.split('id="popular-heading"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<span class="cd-tile__name">Report: ([^<]+)</span>', section)


def test_popular_services_are_the_most_used_in_the_last_90_days(client):
    streetlight, graffiti, potholes, noise = (ServiceFactory(name=n) for n in
                                              ("Streetlight out", "Graffiti", "Potholes", "Noise"))
    for _ in range(3):
        submit(graffiti)
    submit(streetlight)
    for _ in range(5):  # many, but long ago
        submit(potholes, submitted_at=timezone.now() - timedelta(days=120))
    retired = ServiceFactory(name="Old form")
    for _ in range(9):  # the most used of all, then retired: never shown
        submit(retired)
    retired.active = False
    retired.save()

    names = popular_names(client.get("/").content.decode())

    assert names[:2] == ["Graffiti", "Streetlight out"]
    assert set(names[2:]) == {"Noise", "Potholes"}  # unused lately: by name after the used ones
    assert names[2:] == sorted(names[2:])
    assert "Old form" not in names
