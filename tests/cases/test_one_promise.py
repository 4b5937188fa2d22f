"""One promise: the service's target time is the single source of every "when" a resident
reads: the service page, the form, help articles, the confirmation page and email, the case
page and Open311's expected_datetime."""

import json
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import formats, translation

from civicdesk.accounts.models import Resident
from civicdesk.cases.services import access_token_for
from civicdesk.knowledge.services import save_article
from tests.factories import ArticleFactory, DepartmentFactory, ServiceFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("hours, weekday_hours, text", [
    (48, True, "within 6 working days"),  # Monday to Friday, 8 to 5: 9 hours a day, rounded up
    (9, True, "within 1 working day"),
    (8, True, "within 8 working hours"),
    (48, False, "within 2 days"),  # a department with no hours is always open
    (30, False, "within 30 hours"),
])
def test_the_target_in_words(hours, weekday_hours, text):
    service = ServiceFactory(department=DepartmentFactory(weekday_hours=weekday_hours), sla_hours=hours)
    assert service.target_text == text


def test_every_page_gives_the_same_promise(smtp, run_worker):
    service = ServiceFactory(sla_hours=48, name="Pothole")
    article = ArticleFactory(slug="potholes", title="How potholes are fixed")
    article.services.add(service)
    save_article(article, note="first")
    client = Client()
    for path in (f"/services/{service.service_code}/", f"/services/{service.service_code}/report/",
                 "/help/potholes/"):
        page = client.get(path).content.decode().lower()
        assert "within 6 working days" in page, path
    spanish = Client(headers={"Accept-Language": "es"}).get(f"/services/{service.service_code}/").content.decode()
    assert "en un plazo de 6 días hábiles" in spanish.lower()

    resident = Resident.objects.create(email="ana@example.org")
    req = submit(service, email="ana@example.org", resident=resident)
    with translation.override("en"):
        due = formats.date_format(req.sla_due_at.astimezone(ZoneInfo("America/Chicago")), "DATETIME_FORMAT")
    case_page = client.get(f"/requests/{req.public_id}/").content.decode()
    assert "Expected by" in case_page and due in case_page
    owner = Client()
    owner.get(f"/requests/{req.public_id}/?key={access_token_for(req)}")
    assert f"Expected by {due}." in owner.get(f"/requests/{req.public_id}/submitted/").content.decode()
    run_worker()
    [mail] = smtp.to("ana@example.org")
    assert f"Expected by {due}." in mail["body"]
    [item] = json.loads(client.get(f"/open311/v2/requests/{req.public_id}.json").content)
    assert item["expected_datetime"] == req.sla_due_at.astimezone(ZoneInfo("America/Chicago")).isoformat(
        timespec="seconds")
