"""Browser fixtures: Debian's Chromium driven by Playwright, and axe-core checks."""

import os
import shutil
import socket
import threading
import time
from datetime import time as dtime

import pytest
import uvicorn
from channels.routing import ProtocolTypeRouter, URLRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from civicdesk.catalog.models import BusinessHours
from civicdesk.core.asgi_handler import get_asgi_application
from civicdesk.routing import websocket_urlpatterns
from tests.conftest import require_service
from tests.factories import DepartmentFactory

# Playwright's sync API runs an event loop in this thread; the test body still talks to
# the database synchronously, which Django allows only with this flag (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CIVICDESK_CHROMIUM", "/usr/bin/chromium")
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        require_service("Chromium", f"{CHROMIUM} not found (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []
    refused: list[str] = []

    def make(width=360, height=780, locale="en-US"):
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        # Map tiles come from the internet, which tests never reach.
        context.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
        contexts.append(context)
        page = context.new_page()
        # Anything our Content Security Policy blocks is a bug in the page.
        page.on("console", lambda m: refused.append(f"{page.url} {m.location}: {m.text}")
                if "Content Security Policy" in m.text else None)
        return page

    yield make
    for c in contexts:
        c.close()
    assert refused == [], "Content Security Policy violations:\n" + "\n".join(refused)


@pytest.fixture
def page(new_page):
    return new_page()


def assert_accessible(page):
    """No WCAG 2.2 A/AA violations (the 2.0, 2.1 and 2.2 rules) reported by axe-core on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def assert_fits_phone(page, width=360):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px screen"


def staff_sign_in(page, base, username, password="test-pass-12345"):
    """Sign a staff member in to the console in this browser page."""
    page.goto(f"{base}/console/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def asgi_server(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "civicdesk.conversations.layers.InMemoryChannelLayer"}}
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    app = ProtocolTypeRouter({"http": ASGIStaticFilesHandler(get_asgi_application()),
                              "websocket": URLRouter(websocket_urlpatterns)})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def parks():
    dept = DepartmentFactory(name="Parks and Recreation", name_es="Parques y Recreación", slug="parks")
    dept.hours.all().delete()
    for weekday in range(7):
        BusinessHours.objects.create(department=dept, weekday=weekday, opens=dtime(0), closes=dtime(23, 59, 59))
    return dept
