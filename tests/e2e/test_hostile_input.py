"""Hostile text sent into the resident-facing fields comes back as text: no element is
created from it and no script runs, on the public page, in the console and in the chat
(checked in Chromium). Escaping is checked by the DOM, not only by the CSP blocking it."""

import pytest

from civicdesk.cases import services
from tests.e2e.conftest import staff_sign_in
from tests.factories import StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOADS = [
    '<img src=x id="pwn1" onerror="window.__pwned=1">',
    '<script id="pwn2">window.__pwned=1</script>',
    '"><svg id="pwn3" onload="window.__pwned=1">',
    "javascript:window.__pwned=1//<a id=pwn4 href=javascript:alert(1)>x</a>",
]
TEXT = " ".join(PAYLOADS)


def _no_injection(page):
    assert page.evaluate("window.__pwned") is None
    for i in range(1, 5):
        assert page.locator(f"#pwn{i}").count() == 0


def test_request_fields_render_as_text_on_public_and_staff_pages(live_server, page, new_page, service):
    req = submit(service, description=TEXT, address=PAYLOADS[2][:200], email="ana@example.org")
    agent = StaffFactory(all_departments=True)
    services.add_note(request=req, actor=agent, message=TEXT, public=True)
    page.goto(f"{live_server.url}/requests/{req.public_id}/")
    assert PAYLOADS[0] in page.locator("main").inner_text()  # shown, as text
    _no_injection(page)
    staff = new_page(width=1280)
    staff_sign_in(staff, live_server.url, agent.username)
    staff.goto(f"{live_server.url}/console/requests/{req.public_id}/")
    assert PAYLOADS[1] in staff.locator("main").inner_text()
    _no_injection(staff)
    staff.goto(f"{live_server.url}/console/?q=%3Cscript%3E")
    _no_injection(staff)


def test_search_boxes_echo_queries_as_text(live_server, page):
    page.goto(f"{live_server.url}/services/?q=" + "%3Cimg%20src%3Dx%20id%3Dpwn1%20onerror%3Dwindow.__pwned%3D1%3E")
    assert page.locator("#pwn1").count() == 0 and page.evaluate("window.__pwned") is None
