"""The language switch and a right-to-left layout, in Chromium on a 360 px phone, with the
accessibility check."""

import pytest

from civicdesk.core import languages
from tests.e2e.conftest import assert_accessible, assert_fits_phone

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_language_switch_changes_every_page_and_is_remembered(live_server, new_page, settings, service):
    settings.LANGUAGES = languages.parse("en,es,fr")
    page = new_page()
    page.goto(f"{live_server.url}/services/")
    assert page.locator("html").get_attribute("lang") == "en"
    switch = page.get_by_label("Language")
    assert [o.strip() for o in switch.locator("option").all_inner_texts()] == ["English", "Español", "Français"]
    assert_accessible(page)
    switch.select_option("fr")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url(f"{live_server.url}/services/")  # back on the same page
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Services"
    page.get_by_role("link", name="Demandes ouvertes").first.click()  # another page: still French
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page)
    assert_fits_phone(page)
    page.reload()
    assert page.locator("html").get_attribute("lang") == "fr"


def test_a_right_to_left_language_mirrors_the_layout(live_server, new_page, settings):
    settings.LANGUAGES = languages.parse("en,es,ar")
    page = new_page(locale="ar")
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("link", name="الطلبات المفتوحة").first.is_visible()  # the interface is in Arabic
    launcher = page.get_by_role("button", name="تحدث معنا").bounding_box()
    assert launcher["x"] < 180  # the chat button sits at the start of the line: the left
    brand = page.locator(".usa-logo, header a").first.bounding_box()
    assert brand["x"] + brand["width"] > 180  # the header starts on the right
    assert_fits_phone(page)
    assert_accessible(page)
