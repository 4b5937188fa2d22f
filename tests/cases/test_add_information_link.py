"""Issue 21: the email that tells the resident they can add information links to a page
that lets them, opened as they would open it (a fresh browser, from the plain-text part or
the HTML part), for every kind of service."""

import re

import pytest
from django.test import Client

from civicdesk.accounts.models import Resident
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits, as in production


def _link_after_the_promise(text: str) -> str:
    """The first link after the words that promise adding information."""
    after = text.split("add information", 1)[1]
    return re.search(r"https?://[^\s<>\"]+", after).group(0)


@pytest.mark.parametrize("kind", ["public", "moderated", "private", "spanish"])
def test_the_add_information_link_in_the_email_opens_the_add_information_form(kind, service, smtp, run_worker):
    if kind == "moderated":
        service.moderated = True
    if kind == "private":
        service.visibility = "private"
    service.save()
    resident = Resident.objects.create(email="ana@example.org")
    req = submit(service, email="ana@example.org", resident=resident, **({"language": "es"} if kind == "spanish" else {}))
    run_worker()
    [mail] = smtp.to("ana@example.org")
    promise = "agregue información" if kind == "spanish" else "add information"
    for part in (mail["body"], mail["html"]):
        assert promise in part
        link = _link_after_the_promise(part.replace(promise, "add information"))
        assert link.startswith("http://testserver/")
        browser = Client()  # the resident's mail client opens a browser with no cookie of ours
        response = browser.get(link.removeprefix("http://testserver"), follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert f'action="/requests/{req.public_id}/add/#add-info"' in page and 'name="text"' in page
        # and the form works
        key = re.search(r'name="info_key" value="([0-9a-f]+)"', page).group(1)
        added = browser.post(f"/requests/{req.public_id}/add/", {"info_key": key, "text": "It is deeper now"},
                             follow=True)
        assert added.status_code == 200 and "It is deeper now" in added.content.decode()
