"""Private reports stay private: a crawl of every public page, the map data and the Open311
feeds finds nothing of a private report, nothing but place and status of a "place and status
only" report, and never the house number of a report made at a resident's home."""

import json
import re
import uuid
from collections import deque

import pytest
from django.test import Client

from civicdesk.cases import services
from civicdesk.catalog.models import Visibility
from civicdesk.integrations.services import issue_key
from tests.factories import QuestionFactory, ServiceFactory
from tests.helpers import jpeg_with_gps, submit

pytestmark = pytest.mark.django_db

SKIP = ("/console/", "/admin/", "/account/", "/i18n/", "/static/", "/media/", "/api/v1/docs", "/chat/", "/inbound/")


def _file(service, *, text, address, email, answer=None, lat=41.86, long=-89.47):
    key = uuid.uuid4().hex
    services.stage_photo(upload_key=key, name="p.jpg", raw=jpeg_with_gps())
    req = submit(service, description=text, address=address, email=email, key=key, upload_key=key,
                 lat=lat, long=long, answers={"detail": answer} if answer else None)
    return req, req.photos.get().image.url


def crawl(client, start: list[str], limit: int = 400) -> dict[str, str]:
    """GET every internal page reachable from ``start`` (links and the map's data)."""
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen or path.startswith(SKIP):
            continue
        response = client.get(path)
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        seen[path] = body
        for href in re.findall(r'href="(/[^"#]*)"', body):
            href = href.replace("&amp;", "&")
            if href not in seen:
                queue.append(href)
    return seen


@pytest.fixture
def world(department):
    private = ServiceFactory(department=department, service_code="animal-bite", name="Animal bite",
                             visibility=Visibility.PRIVATE)
    home = ServiceFactory(department=department, service_code="missed-trash", name="Missed trash pickup",
                          block_only=True)
    place_only = ServiceFactory(department=department, service_code="code-complaint", name="Code complaint",
                                visibility=Visibility.LOCATION)
    public = ServiceFactory(department=department, service_code="pothole", name="Pothole")
    held = ServiceFactory(department=department, service_code="graffiti", name="Graffiti", moderated=True)
    for s in (private, home, place_only, public, held):
        QuestionFactory(service=s, code="detail", datatype="string", required=False)
    secret_bite, bite_photo = _file(private, text="Bitten by the Lopez family's dog", address="77 Oak Ave",
                                    email="victim@example.org", answer="right hand", lat=41.852345, long=-89.482345)
    secret_home, home_photo = _file(home, text="Bins at the side gate", address="1234 Elm St Apt 5",
                                    email="home@example.org", answer="garage code 4411", lat=41.851234,
                                    long=-89.481234)
    secret_place, place_photo = _file(place_only, text="Neighbour Smith runs a body shop", address="9 Pine Ct",
                                      email="tipster@example.org", answer="nights only")
    open_one, open_photo = _file(public, text="Deep pothole", address="500 Main St", email="p@example.org")
    waiting, waiting_photo = _file(held, text="Slur sprayed on the wall", address="12 Main St",
                                   email="g@example.org", answer="by the bakery")
    services.add_information(request=waiting, text="Also on the bus shelter")
    return {"private": secret_bite, "home": secret_home, "place": secret_place, "public": open_one, "held": waiting,
            "photos": {"private": bite_photo, "home": home_photo, "place": place_photo, "public": open_photo,
                       "held": waiting_photo}}


def test_a_crawl_of_every_public_page_and_feed_finds_nothing_private(world):
    anonymous = Client()
    reqs = [world[k] for k in ("private", "home", "place", "public", "held")]
    start = ["/", "/services/", "/requests/", "/help/", "/online/", "/performance/", "/search/?q=dog",
             "/open311/v2/requests.json", "/open311/v2/requests.xml"]
    for r in reqs:
        start += [f"/requests/{r.public_id}/", f"/requests/{r.public_id}/submitted/",
                  f"/open311/v2/requests/{r.public_id}.json", f"/open311/v2/requests.json?service_request_id={r.public_id}"]
    pages = crawl(anonymous, start)
    everything = "\n".join(pages.values())
    assert "Deep pothole" in everything and world["photos"]["public"] in everything  # the crawl sees public data
    forbidden = [
        # the private report: nothing at all, not even its number
        "Bitten by", "Lopez", "77 Oak Ave", "right hand", "victim@example.org", world["private"].public_id,
        "41.852", "89.482",
        world["photos"]["private"],
        # the report at a resident's home: never the house number, the unit or the exact point
        "1234 Elm", "Apt 5", "garage code", "side gate", "home@example.org", "41.851234", "-89.481234",
        world["photos"]["home"],
        # place and status only: no description, answers or photos
        "Smith", "body shop", "nights only", "tipster@example.org", world["photos"]["place"],
        # waiting for staff review: none of the resident's words or photos yet
        "Slur sprayed", "by the bakery", "bus shelter", "g@example.org", world["photos"]["held"],
    ]
    leaks = {needle: [p for p, body in pages.items() if needle in body] for needle in forbidden}
    assert {k: v[:3] for k, v in leaks.items() if v} == {}
    assert "1200 block of Elm St" in everything  # the block is shown instead
    assert "9 Pine Ct" in everything  # the place of a "place and status only" report is public
    assert "12 Main St" in everything  # a report waiting for review: its place and status are public
    # The map's data on the open-requests page: rounded points for the home report, none for the private.
    points = json.loads(re.search(r'<script id="map-points" type="application/json">(.*?)</script>',
                                  pages["/requests/"], re.S).group(1))
    by_id = {p["id"]: p for p in points}
    assert world["private"].public_id not in by_id
    assert (by_id[world["home"].public_id]["lat"], by_id[world["home"].public_id]["lng"]) == (41.851, -89.481)


def test_open311_omits_private_requests_and_details_it_may_not_show(world, client):
    feed = json.loads(client.get("/open311/v2/requests.json").content)
    by_id = {r["service_request_id"]: r for r in feed}
    assert world["private"].public_id not in by_id
    assert client.get(f"/open311/v2/requests/{world['private'].public_id}.json").status_code == 404
    home = by_id[world["home"].public_id]
    assert (home["address"], home["lat"], home["long"], home["address_id"]) == ("1200 block of Elm St", 41.851,
                                                                                -89.481, "")
    place = by_id[world["place"].public_id]
    assert (place["description"], place["media_url"], place["address"]) == ("", "", "9 Pine Ct")
    assert by_id[world["public"].public_id]["description"] == "Deep pothole"


def test_the_filer_and_the_private_link_still_see_everything(world):
    req = world["private"]
    owner = Client()
    assert owner.get(f"/requests/{req.public_id}/").status_code == 404
    response = owner.get(f"/requests/{req.public_id}/?key={services.access_token_for(req)}", follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bitten by the Lopez family" in page and "77 Oak Ave" in page and "right hand" in page
    assert world["photos"]["private"] in page
    home = world["home"]
    page = owner.get(f"/requests/{home.public_id}/?key={services.access_token_for(home)}", follow=True)
    assert "1234 Elm St Apt 5" in page.content.decode()


def test_staff_and_api_keys_still_work_private_requests(world, agent, client):
    client.force_login(agent)
    page = client.get(f"/console/requests/{world['private'].public_id}/").content.decode()
    assert "Bitten by the Lopez family" in page
    _, raw = issue_key(name="Work orders", role="agent", departments=list(agent.departments.all()))
    response = Client().get(f"/api/v1/requests/{world['private'].public_id}",
                            headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200 and "Bitten by" in response.content.decode()


def test_a_private_service_offers_no_nearby_reports_to_follow(world, client):
    form = {"submission_key": uuid.uuid4().hex, "description": "Another bite", "address": "77 Oak Ave",
            "lat": "41.852345", "long": "-89.482345"}
    response = client.post("/services/animal-bite/report/", form)
    assert response.status_code == 302  # filed at once: no "someone already reported this nearby"
    form.update(submission_key=uuid.uuid4().hex, lat="41.851234", long="-89.481234")
    response = client.post("/services/missed-trash/report/", form)
    page = response.content.decode()
    assert "Someone already reported this nearby" in page and "1200 block of Elm St" in page
    assert "1234 Elm" not in page
