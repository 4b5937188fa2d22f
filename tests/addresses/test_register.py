"""The address register: imports (command and upload page), matching as residents type,
autocomplete, the nearest address to a pin, the boundary, and every place a location enters
(the form with and without JavaScript, Open311, duplicates). The optional external geocoder
is tested against an HTTP server the test starts in Nominatim's role."""

import json
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicdesk.addresses import services
from civicdesk.addresses.models import AddressPoint, Boundary, ImportRun
from civicdesk.cases.models import ServiceRequest
from tests.helpers import ProviderServer, submit

pytestmark = pytest.mark.django_db

# The OpenAddresses layout, as its downloads have it.
OPENADDRESSES = """LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID,HASH
-89.4800,41.8500,1228,N Elm St,,Riverton,,IL,60601,A-1,h1
-89.4801,41.8501,1229,N Elm St,,Riverton,,IL,60601,A-2,h2
-89.4801,41.8501,1229,N Elm St,2,Riverton,,IL,60601,A-3,h3
-89.4800,41.8400,1228,S Elm St,,Riverton,,IL,60602,A-4,h4
-89.4700,41.8450,500,Washington Blvd,,Riverton,,IL,60602,A-5,h5
-89.4700,41.8460,502,Washington Blvd,,Riverton,,IL,60602,A-6,h6
-89.4900,41.8550,77,Oak Ave,,Riverton,,IL,60601,A-7,h7
,,,Main St,,Riverton,,IL,60601,A-8,h8
abc,41.85,12,Main St,,Riverton,,IL,60601,A-9,h9
-89.48,41.85,12,,,Riverton,,IL,60601,A-10,h10
-89.9000,41.9900,5,Far Rd,,Elsewhere,,IL,60700,A-11,h11
"""
BOUNDARY = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
    "type": "Polygon", "coordinates": [[[-89.52, 41.82], [-89.44, 41.82], [-89.44, 41.88], [-89.52, 41.88],
                                        [-89.52, 41.82]],
                                       # a hole: the county's land in the middle of town
                                       [[-89.461, 41.861], [-89.459, 41.861], [-89.459, 41.863],
                                        [-89.461, 41.863], [-89.461, 41.861]]]}}]}


@pytest.fixture
def register(tmp_path):
    boundary = tmp_path / "boundary.geojson"
    boundary.write_text(json.dumps(BOUNDARY))
    call_command("import_addresses", str(boundary), "--boundary")
    path = tmp_path / "addresses.csv"
    path.write_text(OPENADDRESSES)
    call_command("import_addresses", str(path))
    services.forget_cache()
    return path


def test_the_command_imports_openaddresses_and_reports_every_rejected_row(tmp_path, capsys, register):
    out = capsys.readouterr()
    assert "7 imported, 4 rejected" in out.out
    assert AddressPoint.objects.count() == 7
    run = ImportRun.objects.filter(kind="addresses").get()
    assert [(r["row"], r["reason"]) for r in run.rejects] == [
        (9, "no house number"), (10, "latitude or longitude is not a number"), (11, "no street"),
        (12, "the point is outside the boundary")]
    assert "row 12: the point is outside the boundary" in out.err
    # Importing again updates rows by their register ID instead of doubling them.
    call_command("import_addresses", str(register))
    assert AddressPoint.objects.count() == 7


def test_geojson_points_import_and_a_file_without_the_columns_is_refused(tmp_path):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "g1", "geometry": {"type": "Point", "coordinates": [-89.48, 41.85]},
         "properties": {"number": "10", "street": "Lake Shore Dr", "postcode": "60601"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-89.48, 41.85]}, "properties": {}}]}
    path = tmp_path / "points.geojson"
    path.write_text(json.dumps(doc))
    call_command("import_addresses", str(path))
    assert AddressPoint.objects.get().label == "10 Lake Shore Dr"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,value\nx,1\n")
    with pytest.raises(CommandError, match="no column for: number, street, lat, long"):
        call_command("import_addresses", str(bad))


@pytest.mark.parametrize("typed, expected", [
    ("1228 N Elm St", "1228 N Elm St"),
    ("1228 north elm street", "1228 N Elm St"),
    ("1228 N. ELM ST., Riverton, IL 60601", "1228 N Elm St"),
    ("1228 N Elm", "1228 N Elm St"),  # no street type
    ("1228 N Elmm St", "1228 N Elm St"),  # a typo
    ("1228 N Elm Stret", "1228 N Elm St"),  # a typo in the type
    ("1229 N Elm St Apt 2", "1229 N Elm St #2"),  # a unit
    ("1229 N Elm St #2", "1229 N Elm St #2"),
    ("500 Washington Boulevard", "500 Washington Blvd"),
    ("500 washingtn blvd", "500 Washington Blvd"),
])
def test_typed_addresses_match_the_register(register, typed, expected):
    assert services.geocode(typed).candidate.label == expected


def test_ambiguous_or_unknown_addresses_get_suggestions_not_a_guess(register):
    both = services.geocode("1228 Elm St")  # North or South?
    assert both.candidate is None and {c.label for c in both.suggestions} == {"1228 N Elm St", "1228 S Elm St"}
    near = services.geocode("504 Washington Blvd")
    assert near.candidate is None and [c.label for c in near.suggestions][:2] == ["502 Washington Blvd",
                                                                                  "500 Washington Blvd"]
    assert services.geocode("12 Nowhere Lane").candidate is None


def test_autocomplete_and_the_nearest_address_to_a_pin(client, register):
    labels = [r["label"] for r in client.get("/addresses/suggest.json", {"q": "1228 n el"}).json()["results"]]
    assert labels == ["1228 N Elm St"]
    labels = [r["label"] for r in client.get("/addresses/suggest.json", {"q": "500 Washington Boul"}).json()["results"]]
    assert labels == ["500 Washington Blvd"]
    assert client.get("/addresses/suggest.json", {"q": "elm"}).json()["results"] == []
    near = client.get("/addresses/reverse.json", {"lat": "41.84505", "long": "-89.47002"}).json()
    assert near["result"]["label"] == "500 Washington Blvd"
    outside = client.get("/addresses/reverse.json", {"lat": "41.95", "long": "-89.48"}).json()
    assert outside == {"inside": False, "message": "That place is outside City of Riverton."}
    assert client.get("/addresses/reverse.json", {"lat": "x", "long": "1"}).status_code == 400


def test_the_boundary_has_holes_and_edges(register):
    assert services.inside(41.85, -89.48) is True
    assert services.inside(41.862, -89.460) is False  # the hole
    assert services.inside(41.90, -89.48) is False
    Boundary.objects.all().delete()
    services.forget_cache()
    assert services.inside(41.90, -89.48) is None  # no boundary: unknown, nothing refused


def form(**overrides):
    data = {"submission_key": uuid.uuid4().hex, "description": "Deep hole", "address": "", "lat": "", "long": ""}
    data.update(overrides)
    return data


def test_a_typed_address_gets_the_registers_point_and_id(client, service, register):
    response = client.post(f"/services/{service.service_code}/report/", form(address="1228 north elm street"))
    assert response.status_code == 302
    req = ServiceRequest.objects.get()
    assert (req.address, req.address_id, req.lat, req.long, req.zipcode, req.location_checked) == (
        "1228 N Elm St", "A-1", 41.85, -89.48, "60601", True)


def test_without_javascript_an_unknown_address_asks_did_you_mean(client, service, register):
    page = client.post(f"/services/{service.service_code}/report/", form(address="1228 Elm St"))
    assert page.status_code == 400 and not ServiceRequest.objects.exists()
    html = page.content.decode()
    assert "Did you mean:" in html and 'value="A-1"' in html and 'value="A-4"' in html
    again = client.post(f"/services/{service.service_code}/report/",
                        form(address="1228 Elm St", address_choice="A-4"))
    assert again.status_code == 302
    assert ServiceRequest.objects.get().address == "1228 S Elm St"


def test_a_pin_outside_the_boundary_is_refused_naming_the_agency(client, service, register):
    page = client.post(f"/services/{service.service_code}/report/", form(lat="41.95", long="-89.48"))
    assert page.status_code == 400 and "outside City of Riverton" in page.content.decode()
    assert not ServiceRequest.objects.exists()


def test_a_pin_gets_the_nearest_address_and_an_unknown_typed_one_is_flagged(client, service, register):
    client.post(f"/services/{service.service_code}/report/", form(lat="41.8452", long="-89.4700"))
    pinned = ServiceRequest.objects.get()
    assert (pinned.address, pinned.location_checked, pinned.lat) == ("500 Washington Blvd", True, 41.8452)
    client.post(f"/services/{service.service_code}/report/",
                form(address="Behind the old mill", lat="41.8300", long="-89.5000"))
    flagged = ServiceRequest.objects.exclude(pk=pinned.pk).get()
    assert (flagged.address, flagged.location_checked) == ("Behind the old mill", False)


def test_duplicates_are_found_for_typed_addresses(client, service, register):
    first = submit(service, lat=None, long=None, address="1228 N Elm St")
    assert (first.lat, first.long) == (41.85, -89.48)
    page = client.post(f"/services/{service.service_code}/report/", form(address="1228 north elm st"))
    assert "Someone already reported this nearby" in page.content.decode() and first.public_id in page.content.decode()


def test_open311_address_string_alone_gets_coordinates(client, service, register):
    from civicdesk.integrations.services import issue_key

    key = issue_key(name="311 app", open311_only=True)[1]
    response = client.post("/open311/v2/requests.json", {"api_key": key, "service_code": service.service_code,
                                                         "address_string": "77 oak avenue", "description": "x"})
    assert response.status_code == 200, response.content
    req = ServiceRequest.objects.get()
    assert (req.lat, req.long, req.address_id) == (41.855, -89.49, "A-7")
    by_id = client.post("/open311/v2/requests.json", {"api_key": key, "service_code": service.service_code,
                                                      "address_id": "A-5", "description": "y"})
    assert by_id.status_code == 200
    assert ServiceRequest.objects.get(address_id="A-5").address == "500 Washington Blvd"
    wrong = client.post("/open311/v2/requests.json", {"api_key": key, "service_code": service.service_code,
                                                      "address_string": "1228 Elm St"})
    body = wrong.json()
    assert wrong.status_code == 400 and any("did you mean 1228 N Elm St; 1228 S Elm St" in e["description"]
                                            or "did you mean 1228 S Elm St; 1228 N Elm St" in e["description"]
                                            for e in body)


class Nominatim(ProviderServer):
    """A small server in Nominatim's role: /search and /reverse in jsonv2."""

    def __init__(self):
        def answer(method, path, query, body, headers):
            if path == "/search":
                return 200, ([{"lat": "41.8501", "lon": "-89.4801", "osm_type": "node", "osm_id": 42,
                               "display_name": "12, Main Street, Riverton",
                               "address": {"house_number": "12", "road": "Main Street", "postcode": "60601"}}]
                             if "main" in query.get("q", "").lower() else [])
            return 200, {"lat": "41.8501", "lon": "-89.4801", "osm_type": "node", "osm_id": 42,
                         "address": {"house_number": "12", "road": "Main Street"}}

        super().__init__(answer)
        self.asked = self.calls


@pytest.fixture
def nominatim(settings):
    server = Nominatim()
    settings.CIVICDESK_GEOCODER, settings.CIVICDESK_GEOCODER_URL = "nominatim", server.url
    yield server
    server.server.shutdown()


def test_an_agency_without_a_register_can_use_a_nominatim_server(client, service, nominatim):
    response = client.post(f"/services/{service.service_code}/report/", form(address="12 Main St"))
    assert response.status_code == 302
    req = ServiceRequest.objects.get()
    assert (req.address, req.lat, req.long, req.address_id) == ("12 Main Street", 41.8501, -89.4801, "node42")
    path, query = nominatim.asked[0]
    assert path == "/search" and query["q"] == "12 Main St, Riverton" and query["format"] == "jsonv2"
    page = client.post(f"/services/{service.service_code}/report/", form(address="1 Nowhere Rd"))
    assert page.status_code == 400 and "could not find" in page.content.decode()
    near = client.get("/addresses/reverse.json", {"lat": "41.85", "long": "-89.48"}).json()
    assert near["result"]["label"] == "12 Main Street"


def test_no_geocoder_keeps_typed_addresses_as_typed(client, service, settings):
    settings.CIVICDESK_GEOCODER = "none"
    assert client.post(f"/services/{service.service_code}/report/", form(address="12 Main St")).status_code == 302
    req = ServiceRequest.objects.get()
    assert (req.address, req.lat, req.location_checked) == ("12 Main St", None, None)


@pytest.mark.django_db(transaction=True)
def test_administrators_upload_a_register_and_see_progress_and_rejected_rows(client, run_worker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import StaffFactory

    client.force_login(StaffFactory(role="administrator"))
    page = client.post("/console/addresses/", {"kind": "boundary",
                                               "file": SimpleUploadedFile("city.geojson", json.dumps(BOUNDARY).encode())})
    assert page.status_code == 302
    client.post("/console/addresses/", {"kind": "addresses",
                                        "file": SimpleUploadedFile("oa.csv", OPENADDRESSES.encode())})
    waiting = client.get("/console/addresses/").content.decode()
    assert 'http-equiv="refresh"' in waiting and "Waiting" in waiting  # the worker has not run yet
    run_worker()
    done = client.get("/console/addresses/").content.decode()
    assert "7 addresses are loaded." in done and "11 of 11 rows read: 7 imported, 4 rejected." in done
    assert "the point is outside the boundary" in done and 'http-equiv="refresh"' not in done
    wrong = client.post("/console/addresses/", {"kind": "boundary",
                                                "file": SimpleUploadedFile("city.csv", b"a,b\n")}, follow=True)
    assert "is not a .geojson or .json file" in wrong.content.decode()
    from civicdesk.privacy.models import AuditEntry

    assert AuditEntry.objects.filter(action="address_import").count() == 2
