"""The portal as an app on a phone with a weak signal (docs/offline.md): it can be installed,
pages seen once open without a connection, and a report written offline is kept on the
device and filed exactly once when the connection returns."""

import re

import pytest

from civicdesk.cases.models import RequestPhoto, ServiceRequest
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_report_flow import pothole  # noqa: F401 (fixture)
from tests.helpers import jpeg_with_gps

pytestmark = pytest.mark.django_db(transaction=True)


def _controlled(page, url):
    """Open a page and wait until the service worker is in charge of it."""
    page.goto(url)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000)


def test_a_report_written_offline_is_filed_once_when_the_connection_returns(asgi_server, new_page, pothole,  # noqa: F811
                                                                            tmp_path):
    page = new_page()
    context = page.context
    context.grant_permissions(["notifications"], origin=asgi_server)
    _controlled(page, f"{asgi_server}/")
    _controlled(page, f"{asgi_server}/services/pothole/report/")
    page.reload()  # every file the form uses now passes through the worker, which keeps it

    context.set_offline(True)
    # A page seen before opens without a connection; one never seen says why it cannot.
    page.goto(f"{asgi_server}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("How can")
    page.goto(f"{asgi_server}/help/")
    assert page.get_by_role("heading", level=1).inner_text() == "No connection"
    assert_accessible(page)

    page.goto(f"{asgi_server}/services/pothole/report/")
    page.get_by_label("What is the problem?").fill("Deep hole by the bus stop, written in the tunnel")
    page.locator("#id_q_size").select_option("large")
    # On a phone the map loads when asked (it costs data): the address field needs none.
    page.get_by_role("button", name=re.compile("Elegir el lugar en un mapa|Pick the place on a map")).click()
    page.locator("#pick-map .leaflet-tile-pane").wait_for(state="attached")
    page.locator("#pick-map").click(position={"x": 150, "y": 120})
    photo = tmp_path / "hole.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.locator("#id_photos").set_input_files(str(photo))
    page.get_by_label("Email", exact=True).fill("ana@example.org")
    page.get_by_role("button", name="Send request").click()

    waiting = page.locator(".cd-offline-status [data-state=waiting]")
    waiting.wait_for()
    assert "saved on this device" in waiting.inner_text() and "Pothole" in waiting.inner_text()
    assert page.locator("form[data-offline-report]").is_hidden()
    assert_accessible(page)
    assert ServiceRequest.objects.count() == 0  # nothing reached the server

    # The connection returns: the worker sends it; the page sends it too at the same moment
    # (two senders, one report): the submission key makes the server file it once.
    context.set_offline(False)
    page.evaluate("window.CivicDeskQueue.flush()")
    filed = page.locator(".cd-offline-status [data-state=filed]")
    filed.wait_for(timeout=15000)
    public_id = filed.get_by_role("link").inner_text()
    assert re.fullmatch(r"\d{4}-\d{6}", public_id)
    [req] = ServiceRequest.objects.all()
    assert req.public_id == public_id
    assert req.description == "Deep hole by the bus stop, written in the tunnel"
    assert req.answers.get("size") == "large" and req.lat is not None
    assert RequestPhoto.objects.filter(request=req).count() == 1
    # Once said, the kept copy is gone from the device.
    page.wait_for_function("() => window.CivicDeskQueue.all().then(items => items.length === 0)")


def test_the_portal_can_be_installed(asgi_server, new_page):
    page = new_page()
    page.goto(f"{asgi_server}/")
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["display"] == "standalone" and manifest["start_url"].startswith("/")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:  # every icon is there
        assert page.evaluate(f"fetch({icon['src']!r}).then(r => r.status)") == 200
    # /favicon.ico, which browsers ask for whatever the page says (Playwright aborts favicon
    # requests in its browser, so a plain HTTP client asks)
    import urllib.request

    with urllib.request.urlopen(f"{asgi_server}/favicon.ico") as icon:  # follows the redirect
        assert icon.status == 200 and icon.headers["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    page.wait_for_function("() => navigator.serviceWorker.ready.then(r => !!r.active)")
