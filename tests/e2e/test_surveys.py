"""Survey pages, the public performance page and the CX dashboard in a real browser, with
the accessibility check."""

import pytest

from civicdesk.surveys.models import Response, Survey
from civicdesk.surveys.services import ensure_built_in, invite
from tests.e2e.conftest import assert_accessible, assert_fits_phone, staff_sign_in
from tests.factories import ServiceFactory, StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def surveys(db):
    ensure_built_in()
    service = ServiceFactory(name="Pothole", name_es="Bache")
    req = submit(service, email="ana@example.org")
    _inv, token = invite(Survey.objects.get(slug="a11-cx"), channel="web", request=req,
                         email="ana@example.org")
    return {"token": token, "service": service}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_survey_and_performance_pages_pass_axe_on_a_phone(live_server, new_page, surveys, lang):
    page = new_page(locale="es-ES" if lang == "es" else "en-US")
    for path in [f"/feedback/{surveys['token']}/", "/feedback/", "/feedback/thanks/",
                 "/feedback/expired-or-wrong/", "/performance/"]:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == lang, path
        assert_accessible(page)
        assert_fits_phone(page)


def test_resident_answers_with_the_keyboard_friendly_form(live_server, page, surveys):
    page.goto(f"{live_server.url}/feedback/{surveys['token']}/")
    page.get_by_role("group", name="I am satisfied with the service I received from Pothole.") \
        .locator("label", has_text="Strongly agree").click()
    page.get_by_role("group", name="This interaction increased my confidence in Pothole.") \
        .locator("label", has_text="Agree").first.click()
    page.get_by_label("Any additional feedback?").fill("Fixed in two days")
    page.get_by_role("button", name="Send answers").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    r = Response.objects.get()
    assert (r.satisfaction, r.comment, r.service) == (5, "Fixed in two days", surveys["service"])


def test_dashboard_passes_axe_and_draws_its_chart(live_server, new_page, surveys):
    Response.objects.create(survey=Survey.objects.get(slug="a11-cx"), channel="web", satisfaction=4,
                            trust=5, ease=4, comment="Helpful crew")
    StaffFactory(username="lead", role="supervisor", all_departments=True)
    page = new_page(width=1280, height=900)
    staff_sign_in(page, live_server.url, "lead")
    page.goto(f"{live_server.url}/console/cx/")
    page.get_by_role("heading", name="Customer experience").wait_for()
    assert page.evaluate("!!window.Chart && !!document.querySelector('#cx-trend').getContext('2d')")
    assert page.get_by_text("Helpful crew").is_visible()
    assert_accessible(page)
