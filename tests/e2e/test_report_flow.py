"""A resident reports a problem in a real browser; staff update it; the resident sees it."""

import re

import pytest

from civicdesk.cases.models import ServiceRequest
from tests.e2e.conftest import assert_accessible, assert_fits_phone, staff_sign_in
from tests.factories import QuestionFactory, StaffFactory
from tests.helpers import jpeg_with_gps, submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pothole(service):
    from civicdesk.core.translation import save_translations

    service.service_code = "pothole"
    service.save()
    save_translations(service, {"en": {"name": "Pothole"}, "es": {"name": "Bache"}})
    QuestionFactory(service=service, code="size", datatype="singlevaluelist", required=True,
                    description="How big is it?", description_es="¿Qué tamaño tiene?",
                    values=[{"key": "small", "name": "Small", "name_es": "Pequeño"},
                            {"key": "large", "name": "Large", "name_es": "Grande"}])
    return service


def _report(page, base, tmp_path, *, spanish=False):
    page.goto(f"{base}/services/pothole/report/")
    if spanish:
        with page.expect_navigation():
            page.get_by_role("button", name="Español").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "es"
    assert_accessible(page)
    assert_fits_phone(page)
    page.get_by_label("¿Cuál es el problema?" if spanish else "What is the problem?").fill("Deep hole by the bus stop")
    page.locator("#id_q_size").select_option("large")
    # On a phone the map loads when asked (it costs data): the address field needs none.
    page.get_by_role("button", name=re.compile("Elegir el lugar en un mapa|Pick the place on a map")).click()
    page.locator("#pick-map .leaflet-tile-pane").wait_for(state="attached")
    page.locator("#pick-map").click(position={"x": 150, "y": 120})
    assert re.fullmatch(r"-?\d+\.\d{6}", page.locator("#id_lat").input_value())
    photo = tmp_path / "hole.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.locator("#id_photos").set_input_files(str(photo))
    page.get_by_label("Correo electrónico" if spanish else "Email", exact=True).fill("ana@example.org")
    page.get_by_role("button", name="Enviar solicitud" if spanish else "Send request").click()
    page.wait_for_url(re.compile(r"/submitted/$"))
    assert_accessible(page)
    public_id = page.get_by_test_id("public-id").inner_text()
    assert re.fullmatch(r"\d{4}-\d{6}", public_id)
    return public_id


def _staff_sets_in_progress(new_page, base, public_id, message):
    staff = StaffFactory(role="agent", all_departments=True)
    page = new_page(width=1280)
    staff_sign_in(page, base, staff.username)
    page.goto(f"{base}/console/requests/{public_id}/")
    page.locator("#s-status").select_option("in_progress")
    page.locator("#s-message").fill(message)
    page.get_by_role("button", name="Save status").click()
    page.wait_for_selector("text=Status is now in progress.")


def test_resident_reports_with_photo_and_map_then_sees_staff_update(live_server, page, new_page, pothole, tmp_path):
    public_id = _report(page, live_server.url, tmp_path)
    req = ServiceRequest.objects.get(public_id=public_id)
    assert req.lat is not None and req.answers == {"size": "large"} and req.photos.count() == 1
    page.get_by_role("link", name="See the request page").click()
    assert_accessible(page)
    assert "Submitted" in page.locator(".cd-status").text_content()
    _staff_sets_in_progress(new_page, live_server.url, public_id, "Crew assigned for Tuesday")
    page.reload()
    assert "In progress" in page.locator(".cd-status").text_content()
    assert "Crew assigned for Tuesday" in page.get_by_test_id("timeline").inner_text()
    assert page.locator(".cd-photos img").count() == 1


def test_the_same_in_spanish(live_server, page, new_page, pothole, tmp_path):
    public_id = _report(page, live_server.url, tmp_path, spanish=True)
    assert "Gracias: recibimos su solicitud" in page.content()
    page.get_by_role("link", name="Ver la página de la solicitud").click()
    assert "Recibida" in page.locator(".cd-status").text_content()
    _staff_sets_in_progress(new_page, live_server.url, public_id, "Equipo asignado")
    page.reload()
    assert "En proceso" in page.locator(".cd-status").text_content()
    assert "Equipo asignado" in page.get_by_test_id("timeline").inner_text()
    assert_accessible(page)


def test_form_errors_are_announced_and_accessible(live_server, page, pothole):
    page.goto(f"{live_server.url}/services/pothole/report/")
    page.get_by_role("button", name="Send request").click()
    alert = page.locator("#error-summary")
    assert "Pick the place on the map or type an address." in alert.inner_text()
    assert "How big is it?: This question needs an answer." in alert.inner_text()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_resident_page_passes_axe_on_a_phone(live_server, new_page, pothole, lang):
    from civicdesk.cases.services import contact_token_for

    req = submit(pothole, answers={"size": "small"}, address="12 Main St", email="ana@example.org")
    page = new_page(locale="es-ES" if lang == "es" else "en-US")
    for path in ["/", "/services/", "/services/?q=pothole", "/services/pothole/", "/services/pothole/report/",
                 "/requests/", f"/requests/{req.public_id}/", f"/requests/{req.public_id}/submitted/",
                 f"/requests/{req.public_id}/confirm-email/{contact_token_for(req)}/",
                 f"/requests/{req.public_id}/confirm-email/forged/", "/account/signin/"]:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == lang, path
        assert_accessible(page)
        assert_fits_phone(page)


def test_core_path_works_without_javascript(live_server, browser, pothole):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.goto(f"{live_server.url}/services/pothole/report/")
    page.locator("#id_q_size").select_option("small")
    page.get_by_label("Address", exact=True).fill("400 Oak Ave")
    page.get_by_role("button", name="Send request").click()
    public_id = page.get_by_test_id("public-id").inner_text()
    page.get_by_role("link", name="See the request page").click()
    assert public_id in page.locator("h1").inner_text()
    assert "400 Oak Ave" in page.content()
    context.close()


def test_api_docs_render_under_the_content_security_policy(live_server, page):
    """Probe finding: the Swagger page was exempt from the CSP. It now runs under it; the
    page fixture fails the test on any CSP violation Chromium reports."""
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_role("heading", name="CivicDesk API").wait_for()
    page.locator(".opblock-tag", has_text="requests").first.wait_for()
