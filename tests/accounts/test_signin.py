"""Residents sign in with a one-time link sent by email."""

import re

import pytest

from civicdesk.accounts import services
from civicdesk.accounts.models import Resident
from tests.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits, as in production


def _link(smtp, email):
    [mail] = smtp.to(email)
    return re.search(r"http://testserver(/account/signin/[^/\s]+/)", mail["body"]).group(1)


def test_sign_in_link_works_once_and_shows_my_requests(client, smtp, run_worker, service):
    from civicdesk.cases.services import contact_token_for

    mine = submit(service, email="ana@example.org")
    not_confirmed = submit(service, email="ana@example.org")
    run_worker()
    client.post(f"/requests/{mine.public_id}/confirm-email/{contact_token_for(mine)}/")  # from her email
    smtp.messages.clear()
    client.post("/account/signin/", {"email": "Ana@Example.org"})
    run_worker()
    path = _link(smtp, "ana@example.org")
    assert "Continue and sign in" in client.get(path).content.decode()  # GET alone does not sign in
    assert client.post(path)["Location"] == "/account/"
    html = client.get("/account/").content.decode()
    assert mine.public_id in html
    assert not_confirmed.public_id not in html  # anyone may have typed her address on that one
    client.post("/account/signout/")
    assert client.post(path).status_code == 400  # used already


def test_expired_link_is_refused(settings, smtp, run_worker, client):
    settings.CIVICDESK_SIGNIN_LINK_MINUTES = -1
    services.request_sign_in_link(email="late@example.org")
    run_worker()
    assert client.post(_link(smtp, "late@example.org")).status_code == 400


def test_the_raw_token_is_not_stored(smtp, run_worker):
    services.request_sign_in_link(email="b@example.org")
    run_worker()
    token = _link(smtp, "b@example.org").split("/")[-2]
    resident = Resident.objects.get(email="b@example.org")
    assert not resident.sign_in_tokens.filter(token_hash=token).exists()
    from django_tasks_db.models import DBTaskResult

    assert all(token not in str(r.args_kwargs) for r in DBTaskResult.objects.all())


def test_the_language_a_resident_picks_is_remembered_on_every_device(client, smtp, run_worker):
    from django.test import Client

    services.request_sign_in_link(email="luz@example.org")
    run_worker()
    path = _link(smtp, "luz@example.org")
    client.post(path)
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/account/"})
    assert response["Location"] == "/account/" and response.cookies["django_language"].value == "es"
    assert response.cookies["django_language"]["max-age"] == 365 * 24 * 3600  # not just this visit
    resident = Resident.objects.get(email="luz@example.org")
    assert resident.preferred_language == "es"  # emails and texts follow it
    assert client.post("/i18n/setlang/", {"language": "xx", "next": "/"}).status_code == 302
    resident.refresh_from_db()
    assert resident.preferred_language == "es"  # an unknown code changes nothing
    # Another device: signing in there brings the choice back.
    smtp.messages.clear()
    services.request_sign_in_link(email="luz@example.org")
    run_worker()
    phone = Client()
    signed_in = phone.post(_link(smtp, "luz@example.org"))
    assert signed_in.cookies["django_language"].value == "es"
    assert '<html lang="es"' in phone.get("/account/").content.decode()


def test_a_language_nobody_chose_does_not_switch_the_reader(smtp, run_worker):
    """A profile made by staff or the API carries the default language; signing in from a
    Spanish browser stays Spanish."""
    from django.test import Client

    Resident.objects.create(email="pablo@example.org")  # preferred_language "en" by default, never chosen
    services.request_sign_in_link(email="pablo@example.org", language="es")
    run_worker()
    browser = Client(headers={"Accept-Language": "es"})
    signed_in = browser.post(_link(smtp, "pablo@example.org"))
    assert "django_language" not in signed_in.cookies
    assert '<html lang="es"' in browser.get("/account/").content.decode()
