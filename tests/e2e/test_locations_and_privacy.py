"""In Chromium, on a 360 px phone, in English and Spanish: the address autocomplete (with and
without JavaScript), a pin outside the city, the emergency notice, and a private report that
no public page shows. axe-core checks every page; any CSP violation fails the test."""

import json
import re

import pytest

from civicdesk.addresses.models import ImportRun
from civicdesk.addresses.services import forget_cache, import_addresses, import_boundary
from civicdesk.cases.models import ServiceRequest
from civicdesk.catalog.models import Visibility
from tests.e2e.conftest import assert_accessible, assert_fits_phone
from tests.factories import ServiceFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (b"LON,LAT,NUMBER,STREET,UNIT,POSTCODE,ID\n"
       b"-89.4800,41.8500,1228,N Elm St,,60601,A-1\n-89.4801,41.8502,1230,N Elm St,,60601,A-2\n"
       b"-89.4800,41.8400,1228,S Elm St,,60602,A-3\n-89.4700,41.8450,500,Washington Blvd,,60602,A-4\n")
BOUNDARY = {"type": "Polygon", "coordinates": [[[-89.52, 41.82], [-89.44, 41.82], [-89.44, 41.88],
                                                [-89.52, 41.88], [-89.52, 41.82]]]}


@pytest.fixture
def register(settings):
    settings.CIVICDESK_MAP_CENTER = [41.85, -89.48]
    import_boundary(ImportRun.objects.create(kind="boundary", file_name="b.geojson"), json.dumps(BOUNDARY).encode())
    import_addresses(ImportRun.objects.create(kind="addresses", file_name="a.csv"), CSV)
    forget_cache()


@pytest.fixture
def tree(service):
    from civicdesk.core.translation import save_translations

    service.service_code = "tree-down"
    service.save()
    save_translations(service, {
        "en": {"name": "Fallen tree", "emergency_notice": "If someone is hurt or in danger right now, call 911 first."},
        "es": {"name": "Árbol caído",
               "emergency_notice": "Si alguien está herido o en peligro ahora mismo, llame primero al 911."}})
    return service


@pytest.mark.parametrize("lang", ["en", "es"])
def test_autocomplete_picks_a_register_address_and_files_it(live_server, new_page, register, tree, lang):
    page = new_page(locale="es-ES" if lang == "es" else "en-US")
    page.goto(f"{live_server.url}/services/tree-down/report/")
    notice = page.get_by_test_id("emergency-notice")
    assert ("call 911 first" if lang == "en" else "llame primero al 911") in notice.inner_text()
    assert_accessible(page)
    assert_fits_phone(page)
    box = page.locator("#id_address")
    box.press_sequentially("1228 n el", delay=40)
    option = page.get_by_role("option", name="1228 N Elm St")
    option.wait_for()
    assert_accessible(page)  # with the suggestions open
    option.click()
    assert page.locator("#id_address_id").input_value() == "A-1"
    assert page.locator("#id_lat").input_value() == "41.850000"  # the map's pin moved to it
    page.locator("#id_description").fill("A big branch")
    page.get_by_role("button", name="Enviar solicitud" if lang == "es" else "Send request").click()
    page.wait_for_url(re.compile(r"/submitted/$"))
    req = ServiceRequest.objects.get()
    assert (req.address, req.address_id, req.location_checked) == ("1228 N Elm St", "A-1", True)


def test_without_javascript_a_wrong_address_gets_did_you_mean(live_server, browser, register, tree):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 780})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/services/tree-down/report/")
        page.locator("#id_address").fill("1228 Elm Street")
        page.locator("#id_description").fill("A big branch")
        page.get_by_role("button", name="Send request").click()
        page.get_by_text("Did you mean:").wait_for()
        assert_fits_phone(page)  # (axe-core needs JavaScript: the next test checks this page with it)
        page.locator("label", has_text="1228 S Elm St").click()
        page.get_by_role("button", name="Send request").click()
        page.wait_for_url(re.compile(r"/submitted/$"))
        assert ServiceRequest.objects.get().address == "1228 S Elm St"
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_did_you_mean_page_is_accessible(live_server, new_page, register, tree, lang):
    page = new_page(locale="es-ES" if lang == "es" else "en-US")
    page.goto(f"{live_server.url}/services/tree-down/report/")
    page.locator("#id_address").fill("1228 Elm Street")
    page.locator("#id_description").fill("A big branch")
    page.get_by_role("button", name="Enviar solicitud" if lang == "es" else "Send request").click()
    page.get_by_text("¿Quiso decir:" if lang == "es" else "Did you mean:").wait_for()
    assert_accessible(page)
    assert_fits_phone(page)


def test_a_pin_outside_the_city_is_refused_and_a_pin_inside_shows_its_address(live_server, new_page, register,
                                                                             tree):
    page = new_page(width=1280)
    page.goto(f"{live_server.url}/services/tree-down/report/")
    page.evaluate("document.dispatchEvent(new CustomEvent('civicdesk:pin', {detail: {lat: '41.9500', lng: '-89.4800'}}))")
    page.get_by_text("That place is outside City of Riverton.").wait_for()
    page.evaluate("document.dispatchEvent(new CustomEvent('civicdesk:pin', {detail: {lat: '41.8451', lng: '-89.4701'}}))")
    page.get_by_text("Nearest address: 500 Washington Blvd").wait_for()
    # The server refuses an outside pin whatever the page did.
    page.locator("#id_address").fill("")
    page.locator("details summary").click()
    page.locator("#id_lat").fill("41.95")
    page.locator("#id_long").fill("-89.48")
    page.locator("#id_description").fill("A branch")
    page.get_by_role("button", name="Send request").click()
    page.get_by_text("That place is outside City of Riverton.").first.wait_for()
    assert not ServiceRequest.objects.exists()
    assert_accessible(page)


def test_a_private_report_never_appears_publicly(live_server, new_page, department):
    private = ServiceFactory(department=department, service_code="animal-bite", name="Animal bite",
                             visibility=Visibility.PRIVATE)
    req = submit(private, description="Bitten by the neighbour's dog", address="77 Oak Ave")
    page = new_page()
    for path in ("/requests/", f"/requests/{req.public_id}/", "/open311/v2/requests.json"):
        page.goto(live_server.url + path)
        assert "Bitten by" not in page.content() and req.public_id not in page.locator("body").inner_text()
    page.goto(f"{live_server.url}/requests/")
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_filer_adds_information_from_the_private_link(live_server, new_page, service, lang, tmp_path):
    from civicdesk.cases.services import access_token_for
    from tests.helpers import jpeg_with_gps

    req = submit(service, description="Hole", address="12 Main St")
    page = new_page(locale="es-ES" if lang == "es" else "en-US")
    page.goto(f"{live_server.url}/requests/{req.public_id}/?key={access_token_for(req)}")
    page.locator("#info-text").fill("Next to the bus stop")
    photo = tmp_path / "more.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.locator("#info-photos").set_input_files(str(photo))
    assert_accessible(page)
    assert_fits_phone(page)
    page.get_by_role("button", name="Agregar a mi solicitud" if lang == "es" else "Add to my request").click()
    page.get_by_text("Next to the bus stop").first.wait_for()
    assert_accessible(page)
    assert req.photos.count() == 1 and req.events.filter(kind="note", message="Next to the bus stop").exists()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_moderation_from_the_residents_and_the_staffs_side(live_server, new_page, department, agent, lang):
    """A held report: the filer sees "waiting for review", the public sees neither words nor
    photo; an agent publishes the words and hides the photo with a reason; the public page
    follows, and the filer reads the reason in their language."""
    import uuid

    from civicdesk.cases import services
    from tests.e2e.conftest import staff_sign_in
    from tests.helpers import jpeg_with_gps

    graffiti = ServiceFactory(department=department, service_code="graffiti", name="Graffiti", name_es="Grafiti",
                              moderated=True)
    key = uuid.uuid4().hex
    services.stage_photo(upload_key=key, name="wall.jpg", raw=jpeg_with_gps())
    req = submit(graffiti, description="Tag on the library wall", address="12 Main St", key=key, upload_key=key,
                 language=lang)
    photo_url = req.photos.get().image.url
    locale = "es-ES" if lang == "es" else "en-US"
    owner = new_page(locale=locale)
    owner.goto(f"{live_server.url}/requests/{req.public_id}/?key={services.access_token_for(req)}")
    waiting = owner.get_by_test_id("review-pending")
    assert waiting.count() == 2
    assert waiting.first.text_content() == ("En espera de revisión" if lang == "es" else "Waiting for review")
    assert_accessible(owner)
    assert_fits_phone(owner)

    public = new_page(locale=locale)
    public.goto(f"{live_server.url}/requests/{req.public_id}/")
    assert "Tag on the library wall" not in public.content() and photo_url not in public.content()

    console = new_page(width=1280, height=900)
    staff_sign_in(console, live_server.url, agent.username)
    console.goto(f"{live_server.url}/console/requests/{req.public_id}/")
    console.get_by_role("button", name="Publish as written").click()
    console.get_by_text("Published.").wait_for()
    photo = console.get_by_test_id("moderate-photo")
    photo.get_by_label("Reason").fill("A face is visible")
    photo.get_by_role("button", name="Hide").click()
    console.get_by_text("Hidden from the public.").wait_for()
    assert_accessible(console)

    public.reload()
    assert "Tag on the library wall" in public.content() and photo_url not in public.content()
    assert_accessible(public)
    owner.reload()
    hidden = owner.get_by_test_id("review-hidden")
    assert hidden.text_content() == ("No se muestra al público" if lang == "es" else "Not shown to the public")
    assert "A face is visible" in owner.content()
    assert_accessible(owner)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_dangerous_answer_files_an_urgent_request(live_server, new_page, register, tree, department, lang):
    """The emergency rule from the resident's side: the notice on top of the form, "yes" to
    the danger question, and the confirmation promises hours, not days."""
    from datetime import timedelta

    from django.utils import timezone

    from civicdesk.cases.models import Priority
    from civicdesk.catalog.models import PriorityRule
    from tests.factories import QuestionFactory

    department.on_call_emails = "oncall@riverton.example"
    department.save()
    hazard = QuestionFactory(service=tree, code="hazard", datatype="singlevaluelist", required=True,
                             description="Is it a danger to people right now?",
                             description_es="¿Es un peligro para las personas ahora mismo?",
                             values=[{"key": "no", "name": "No", "name_es": "No"},
                                     {"key": "yes", "name": "Yes", "name_es": "Sí"}])
    PriorityRule.objects.create(service=tree, question=hazard, answer="yes", target_hours=4)
    page = new_page(locale="es-ES" if lang == "es" else "en-US")
    page.goto(f"{live_server.url}/services/tree-down/report/")
    page.get_by_test_id("emergency-notice").wait_for()
    page.locator("#id_description").fill("A tree fell on the sidewalk")
    page.get_by_label(re.compile("peligro" if lang == "es" else "danger")).select_option(
        label="Sí" if lang == "es" else "Yes")
    page.locator("#id_address").fill("1228 N Elm St")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Enviar solicitud" if lang == "es" else "Send request").click()
    page.wait_for_url(re.compile(r"/submitted/$"))
    assert_accessible(page)
    req = ServiceRequest.objects.get()
    assert req.priority == Priority.URGENT and req.answers == {"hazard": "yes"}
    assert timedelta(hours=3, minutes=55) < req.sla_due_at - timezone.now() <= timedelta(hours=4)
    expected = page.get_by_test_id("expected").inner_text()
    assert str(timezone.localtime(req.sla_due_at).day) in expected
    assert req.events.filter(kind="priority").exists()
