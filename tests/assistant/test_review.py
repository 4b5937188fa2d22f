"""Supervisors' review of what residents asked the assistant."""

import pytest

from civicdesk.assistant.models import Turn
from tests.factories import ArticleFactory, ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_the_review_names_the_guess_by_its_title_not_its_id(client):
    article = ArticleFactory(title="When is my trash picked up?")
    service = ServiceFactory(name="Pothole")
    Turn.objects.create(question="garbage day?", language="en", outcome="unsure", label=f"article:{article.pk}",
                        score=0.41)
    Turn.objects.create(question="hole in road", language="en", outcome="handoff", label=f"service:{service.pk}",
                        score=0.38)
    Turn.objects.create(question="weather tomorrow", language="en", outcome="unsure", label="", score=0.1)
    client.force_login(StaffFactory(role="supervisor", all_departments=True))
    page = client.get("/console/assistant/").content.decode()
    assert "When is my trash picked up? (0.41)" in page and "Pothole (0.38)" in page
    assert f"article:{article.pk} (" not in page and f"service:{service.pk} (" not in page
    assert "— (0.10)" in page
