"""The request form through the Django test client (the no-JavaScript path)."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicdesk.cases.models import ServiceRequest
from tests.factories import QuestionFactory
from tests.helpers import jpeg_with_gps, submit

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {"submission_key": uuid.uuid4().hex, "description": "Deep hole", "address": "12 Main St",
            "lat": "", "long": "", "email": ""}
    data.update(overrides)
    return data


def test_form_submits_and_redirects_to_confirmation(client, service):
    response = client.post(f"/services/{service.service_code}/report/", form_data(lat="41.85", long="-89.48"))
    req = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/requests/{req.public_id}/submitted/"
    page = client.get(response["Location"])
    assert req.public_id in page.content.decode()
    assert "?key=" in page.content.decode()  # the private link, shown to this browser only


def test_double_submit_creates_one_request(client, service):
    data = form_data()
    first = client.post(f"/services/{service.service_code}/report/", data)
    second = client.post(f"/services/{service.service_code}/report/", data)
    assert ServiceRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_double_submit_with_map_location_is_not_offered_as_its_own_duplicate(client, service):
    data = form_data(lat="41.85", long="-89.48", address="")
    first = client.post(f"/services/{service.service_code}/report/", data)
    second = client.post(f"/services/{service.service_code}/report/", data)
    assert ServiceRequest.objects.count() == 1
    assert second.status_code == 302 and first["Location"] == second["Location"]


def test_retry_after_the_cookie_is_lost_still_files_once_and_keeps_the_private_link(client, service):
    data = form_data()
    first = client.post(f"/services/{service.service_code}/report/", data)
    client.cookies.clear()  # a retry from a browser that never got the first answer
    second = client.post(f"/services/{service.service_code}/report/", data)
    assert ServiceRequest.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert "?key=" in client.get(second["Location"]).content.decode()


def test_errors_are_listed_and_nothing_is_saved(client, service):
    QuestionFactory(service=service, code="size", datatype="singlevaluelist", required=True,
                    description="How big is it?", values=[{"key": "s", "name": "Small"}])
    response = client.post(f"/services/{service.service_code}/report/",
                           form_data(address="", email="nope", **{"q_size": ""}))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Pick the place on the map or type an address." in html
    assert "Enter an email address like name@example.com." in html
    assert "How big is it?: This question needs an answer." in html
    assert ServiceRequest.objects.count() == 0


def test_errors_in_spanish(client, service):
    client.cookies["django_language"] = "es"
    response = client.post(f"/services/{service.service_code}/report/", form_data(address=""))
    assert "Marque el lugar en el mapa o escriba una dirección." in response.content.decode()


def test_bad_photo_is_named_and_good_photo_is_kept_for_the_retry(client, service):
    data = form_data(address="")
    response = client.post(f"/services/{service.service_code}/report/", {
        **data, "photos": [SimpleUploadedFile("ok.jpg", jpeg_with_gps(), "image/jpeg"),
                           SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", "image/jpeg")]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "virus.jpg" in html and "not a photo we can read" in html
    assert "ok.jpg" in html  # listed as already attached
    assert '<input type="hidden" name="staged_photos" value="1">' in html  # the form says so on the retry
    response = client.post(f"/services/{service.service_code}/report/",
                           {**data, "address": "12 Main St", "staged_photos": "1"})
    assert ServiceRequest.objects.get().photos.count() == 1


def test_nearby_open_request_is_offered_before_filing(client, service):
    existing = submit(service, lat=41.85, long=-89.48)
    data = form_data(lat="41.85015", long="-89.48")
    response = client.post(f"/services/{service.service_code}/report/", data)
    assert response.status_code == 200
    assert "Someone already reported this nearby" in response.content.decode()
    assert existing.public_id in response.content.decode()
    assert ServiceRequest.objects.count() == 1
    response = client.post(f"/services/{service.service_code}/report/", {**data, "confirm_new": "on"})
    assert response.status_code == 302 and ServiceRequest.objects.count() == 2


def test_case_page_hides_internal_notes_and_contact(client, service, agent):
    from civicdesk.cases import services

    req = submit(service, email="ana@example.org")
    services.add_note(request=req, actor=agent, message="Secret crew note", public=False)
    services.add_note(request=req, actor=agent, message="Crew scheduled", public=True)
    html = client.get(f"/requests/{req.public_id}/").content.decode()
    assert "Crew scheduled" in html
    assert "Secret crew note" not in html and "ana@example.org" not in html


def test_private_link_lets_the_submitter_reopen(client, service, agent):
    from civicdesk.cases import services

    req = submit(service)
    services.change_status(request=req, actor=agent, status="resolved")
    assert "Reopen this request" not in client.get(f"/requests/{req.public_id}/").content.decode()
    assert client.post(f"/requests/{req.public_id}/reopen/", {"reason": "x"}).status_code == 404
    response = client.get(f"/requests/{req.public_id}/?key={services.access_token_for(req)}")
    assert response["Location"] == f"/requests/{req.public_id}/"  # the secret leaves the address bar
    assert "Reopen this request" in client.get(response["Location"]).content.decode()
    client.post(f"/requests/{req.public_id}/reopen/", {"reason": "The hole is back"})
    req.refresh_from_db()
    assert req.status == "in_progress"


def test_every_portal_page_has_both_languages(client, service):
    req = submit(service)
    for url in ["/", "/services/", f"/services/{service.service_code}/", f"/services/{service.service_code}/report/",
                "/requests/", f"/requests/{req.public_id}/", "/account/signin/"]:
        en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        es = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert '<html lang="en" dir="ltr">' in en and '<html lang="es" dir="ltr">' in es, url
        assert "Skip to main content" in en and "Saltar al contenido principal" in es, url


def test_open_requests_list_filters_by_service(client, service):
    from tests.factories import ServiceFactory

    mine = submit(service)
    other = submit(ServiceFactory())
    html = client.get(f"/requests/?service={service.service_code}").content.decode()
    assert mine.public_id in html and other.public_id not in html


def test_list_pages_have_fixed_query_counts(client, service, django_assert_max_num_queries):
    for _ in range(30):
        submit(service)
    with django_assert_max_num_queries(7):  # one of them: the services' names in every language
        client.get("/requests/")
    with django_assert_max_num_queries(4):
        client.get("/services/")


def test_confirmation_page_shows_contact_details_only_to_the_browser_that_filed(client, service):
    """Probe finding: /requests/<id>/submitted/ showed the reporter's email to anyone, and
    public IDs are sequential."""
    from django.test import Client

    client.post(f"/services/{service.service_code}/report/",
                form_data(lat="41.85", long="-89.48", email="reporter@example.org"))
    req = ServiceRequest.objects.get()
    mine = client.get(f"/requests/{req.public_id}/submitted/")
    assert "reporter@example.org" in mine.content.decode()
    assert "no-store" in mine["Cache-Control"]
    stranger = Client().get(f"/requests/{req.public_id}/submitted/")
    page = stranger.content.decode()
    assert stranger.status_code == 200 and req.public_id in page
    assert "reporter@example.org" not in page and "?key=" not in page
    # The same holds for the case page: only its owner sees the email.
    assert "reporter@example.org" not in Client().get(f"/requests/{req.public_id}/").content.decode()


def test_the_filer_adds_information_and_photos_through_the_private_link(client, service):
    from django.test import Client

    from civicdesk.cases import services as case_services

    req = submit(service, email="ana@example.org")
    owner = Client()
    owner.get(f"/requests/{req.public_id}/?key={case_services.access_token_for(req)}")
    page = owner.get(f"/requests/{req.public_id}/").content.decode()
    key = page.split('name="info_key" value="')[1].split('"')[0]
    # A bad photo: the words and the good photo are kept for the next try, nothing is added.
    bad = owner.post(f"/requests/{req.public_id}/add/", {
        "info_key": key, "text": "It is next to the bus stop",
        "photos": [SimpleUploadedFile("ok.jpg", jpeg_with_gps(), "image/jpeg"),
                   SimpleUploadedFile("notes.jpg", b"not a photo", "image/jpeg")]})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "notes.jpg" in html and "It is next to the bus stop" in html and "already sent are kept" in html
    assert not req.events.filter(kind="note").exists()
    done = owner.post(f"/requests/{req.public_id}/add/", {"info_key": key, "text": "It is next to the bus stop"})
    assert done.status_code == 302
    again = owner.post(f"/requests/{req.public_id}/add/", {"info_key": key, "text": "It is next to the bus stop"})
    assert again.status_code == 302  # a retry
    [note] = req.events.filter(kind="note")
    assert note.public and note.message == "It is next to the bus stop" and req.photos.count() == 1
    public = Client().get(f"/requests/{req.public_id}/").content.decode()
    assert "It is next to the bus stop" in public and "Add information" not in public
    assert Client().post(f"/requests/{req.public_id}/add/", {"info_key": key, "text": "spam"}).status_code == 404
    empty = owner.post(f"/requests/{req.public_id}/add/", {"info_key": key, "text": " "})
    assert empty.status_code == 400 and "Write what you want to add, or add a photo." in empty.content.decode()
