"""The collection schedule in a real browser, on a phone, in English and Spanish: an address
picked from the autocomplete, the schedule with a holiday change, the calendar file a phone
would import (parsed by `icalendar`), the printable year; axe-core on every page."""

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from civicdesk.core.translation import save_translations
from civicdesk.schedules.models import ScheduleChange
from tests.e2e.conftest import assert_accessible, assert_fits_phone
from tests.schedules.conftest import riverton  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "en": {"locale": "en-US", "address": "Your address", "show": "Show my schedule", "trash": "Trash",
           "schedule": "Schedule for 1228 N Elm St", "calendar": "Add to my calendar (iCalendar)",
           "year": "Printable calendar for the year", "changes": "Holiday and other changes"},
    "es": {"locale": "es-ES", "address": "Su dirección", "show": "Ver mi calendario", "trash": "Basura",
           "schedule": "Calendario para 1228 N Elm St", "calendar": "Añadir a mi calendario (iCalendar)",
           "year": "Calendario del año para imprimir", "changes": "Cambios por días festivos y otros"},
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_resident_finds_their_collection_days_and_takes_them_along(live_server, new_page, riverton,  # noqa: F811
                                                                     lang):
    words = WORDS[lang]
    soon = date.today() + timedelta(days=3)
    storm = ScheduleChange.objects.create(start=soon, end=soon + timedelta(days=2), shift_days=1)
    save_translations(storm, {"en": {"name": "Storm cleanup"}, "es": {"name": "Limpieza tras la tormenta"}})
    page = new_page(locale=words["locale"])
    page.goto(live_server.url + "/schedules/")
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)
    assert_fits_phone(page)
    page.get_by_label(words["address"]).fill("1228 n el")
    page.get_by_role("option", name="1228 N Elm St").click()
    page.get_by_role("button", name=words["show"]).click()
    page.get_by_role("heading", name=words["schedule"]).wait_for()
    card = page.locator(".usa-card", has=page.get_by_role("heading", name=words["trash"]))
    assert card.locator("time").count() >= 2  # the next day and the ones after
    page.get_by_role("heading", name=words["changes"]).wait_for()
    page.get_by_text("Storm cleanup" if lang == "en" else "Limpieza tras la tormenta", exact=True).wait_for()
    assert_accessible(page)
    assert_fits_phone(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=words["calendar"]).click()
    cal = Calendar.from_ical(open(download.value.path(), "rb").read())
    days = sorted(e.decoded("dtstart") for e in cal.walk("VEVENT") if str(e["summary"]).startswith(words["trash"]))
    assert days and days[-1] > date.today() and all(d.weekday() in (3, 4) for d in days)  # Thursdays (or moved)

    page.get_by_role("link", name=words["year"]).click()
    page.get_by_role("table").first.wait_for()
    assert page.get_by_role("table").count() == 12
    assert_accessible(page)
    assert_fits_phone(page)


REMIND = {
    "en": {"locale": "en-US", "heading": "Get a reminder the evening before", "email": "Email address for email reminders",
           "consent": "I agree to receive these reminders", "send": "Send me reminders",
           "consent_error": "Tick the box to agree to receive reminders.", "check": "Check your email",
           "start": "Start my reminders", "on": "Reminders are on", "stop": "Stop my reminders",
           "stopped": "Reminders are stopped", "subject": "Tomorrow, Thursday, December 3: Trash"},
    "es": {"locale": "es-ES", "heading": "Reciba un recordatorio la tarde anterior", "email": "Correo electrónico para recordatorios por correo",
           "consent": "Acepto recibir estos recordatorios", "send": "Enviarme recordatorios",
           "consent_error": "Marque la casilla para aceptar recibir recordatorios.", "check": "Revise su correo",
           "start": "Empezar mis recordatorios", "on": "Los recordatorios están activados",
           "stop": "Cancelar mis recordatorios", "stopped": "Los recordatorios están cancelados",
           "subject": "Mañana, jueves, 3 de diciembre: Basura"},
}


def _path(url: str) -> str:
    from urllib.parse import urlparse

    return urlparse(url).path


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_resident_subscribes_to_reminders_confirms_and_stops_them(live_server, new_page, riverton,  # noqa: F811
                                                                    smtp, run_worker, settings, lang):
    from civicdesk.schedules import reminders
    from civicdesk.schedules.models import Subscription

    settings.CIVICDESK_QUIET_HOURS = ""
    words = REMIND[lang]
    page = new_page(locale=words["locale"])
    page.goto(live_server.url + "/schedules/?address_id=A-1")
    page.get_by_role("heading", name=words["heading"]).wait_for()
    page.get_by_label(words["email"], exact=True).fill("vecina@example.org")
    page.get_by_role("button", name=words["send"]).click()
    page.get_by_text(words["consent_error"]).first.wait_for()  # nothing ticked: said, and nothing kept
    assert not Subscription.objects.exists()
    assert page.get_by_label(words["email"], exact=True).input_value() == "vecina@example.org"
    assert_accessible(page)
    assert_fits_phone(page)

    page.get_by_text(words["consent"]).click()
    page.get_by_role("button", name=words["send"]).click()
    page.get_by_role("heading", name=words["check"]).wait_for()
    assert_accessible(page)
    run_worker()
    [confirmation] = smtp.to("vecina@example.org")
    link = next(w for w in confirmation["body"].split() if "/remind/confirm/" in w)
    page.goto(live_server.url + _path(link))
    page.get_by_role("button", name=words["start"]).click()
    page.get_by_text(words["on"]).first.wait_for()
    assert_accessible(page)
    assert_fits_phone(page)

    reminders.reminder_run.call(date(2026, 12, 3).isoformat())
    run_worker()
    reminder = smtp.to("vecina@example.org")[-1]
    assert reminder["subject"].strip() == words["subject"]
    stop = next(w for w in reminder["body"].split() if "/remind/stop/" in w)
    page.goto(live_server.url + _path(stop))
    assert_accessible(page)
    page.get_by_role("button", name=words["stop"]).click()
    page.get_by_text(words["stopped"]).first.wait_for()
    assert_accessible(page)
    assert_fits_phone(page)
    assert Subscription.objects.get().stopped_at is not None


def test_an_administrator_previews_zones_on_the_map_then_imports_them(live_server, new_page, riverton,  # noqa: F811
                                                                      tmp_path):
    import json

    from civicdesk.schedules.models import Zone
    from tests.e2e.conftest import staff_sign_in
    from tests.factories import StaffFactory

    StaffFactory(username="ada", role="administrator")
    area = [[[-89.52, 41.78], [-89.48, 41.78], [-89.48, 41.82], [-89.52, 41.82], [-89.52, 41.78]]]
    path = tmp_path / "south.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "South"}, "geometry": {"type": "Polygon", "coordinates": area}}]}))
    for width in (1280, 768):
        page = new_page(width=width)
        staff_sign_in(page, live_server.url, "ada")
        page.goto(live_server.url + "/console/schedules/")
        page.locator("#zones-map .leaflet-interactive").first.wait_for()  # the zones drawn
        assert_accessible(page)
    page.get_by_label("Service").select_option(label="Trash")
    page.get_by_label("Day of the week").select_option(label="Friday")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Preview: 1 zone in the file").wait_for()
    page.locator("#zones-map .leaflet-interactive").first.wait_for()
    assert page.locator("#zones-map .leaflet-interactive").count() == 1  # only the file's, dashed
    assert not Zone.objects.filter(name="South").exists()
    assert_accessible(page)
    page.get_by_role("button", name="Import these zones").click()
    page.get_by_text("1 zone imported for Trash.").wait_for()
    assert Zone.objects.get(name="South").weekday == 4
