"""Collection zones in the console: administrators see every zone with its rule and next
days, and load zones from GeoJSON with a preview first (nothing saved until "Import");
errors say what is wrong; the import is audited; other staff cannot reach it."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicdesk.privacy.models import AuditEntry
from civicdesk.schedules.models import Zone
from tests.factories import StaffFactory
from tests.schedules.conftest import riverton  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

SOUTH = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "South A", "weekday": "friday"},
     "geometry": {"type": "Polygon", "coordinates": [[[-89.52, 41.78], [-89.48, 41.78], [-89.48, 41.82],
                                                     [-89.52, 41.82], [-89.52, 41.78]]]}},
    {"type": "Feature", "properties": {"name": "South B"},
     "geometry": {"type": "Polygon", "coordinates": [[[-89.48, 41.78], [-89.44, 41.78], [-89.44, 41.82],
                                                     [-89.48, 41.82], [-89.48, 41.78]]]}}]}


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(role="administrator"))
    return client


def upload(client, data, **fields):
    content = json.dumps(data).encode() if not isinstance(data, bytes) else data
    return client.post("/console/schedules/", {
        "service": fields.pop("service"), "frequency": "weekly", "weekday": "1", "nth": "1", "anchor": "",
        "file": SimpleUploadedFile("zones.geojson", content, "application/geo+json"), **fields})


def test_the_zones_with_their_rules_and_next_days(admin_client, riverton):  # noqa: F811
    page = admin_client.get("/console/schedules/").content.decode()
    assert "Collection zones" in page and "Every Thursday" in page and "The second Wednesday of the month" in page
    assert 'id="zones-data"' in page and "<time datetime=" in page


def test_an_upload_is_previewed_then_imported_and_audited(admin_client, riverton):  # noqa: F811
    before = Zone.objects.count()
    preview = upload(admin_client, SOUTH, service=riverton["trash"].pk)
    page = preview.content.decode()
    assert "Preview: 2 zones in the file" in page and "South A" in page and "Every Friday" in page
    assert "Every Tuesday" in page  # South B takes the form's day
    assert Zone.objects.count() == before  # nothing saved yet
    # "Import" names the preview; the file itself stayed on the server
    key = page.split('name="preview" value="', 1)[1].split('"', 1)[0]
    done = admin_client.post("/console/schedules/", {
        "service": riverton["trash"].pk, "frequency": "weekly", "weekday": "1", "nth": "1", "anchor": "",
        "preview": key, "confirm": "1"}, follow=True)
    assert "2 zones imported for Trash." in done.content.decode()
    assert set(Zone.objects.filter(name__startswith="South").values_list("name", "weekday")) == {
        ("South A", 4), ("South B", 1)}
    assert AuditEntry.objects.filter(action="zone_import").exists()


@pytest.mark.parametrize(("data", "error"), [
    (b"{not json", "The file is not valid GeoJSON"),
    ({"type": "Point", "coordinates": [1, 2]}, "No polygon found"),
    ({"type": "Feature", "properties": {"weekday": "someday"}, "geometry": SOUTH["features"][0]["geometry"]},
     "is not a day of the week"),
    ({"type": "Feature", "properties": {"nth": "first"}, "geometry": SOUTH["features"][0]["geometry"]},
     "must be numbers"),
    ({"type": "FeatureCollection", "features": {"not": "a list"}}, "No polygon found"),
])
def test_a_bad_file_says_what_is_wrong_and_saves_nothing(admin_client, riverton, data, error):  # noqa: F811
    before = Zone.objects.count()
    page = upload(admin_client, data, service=riverton["trash"].pk).content.decode()
    assert error in page and Zone.objects.count() == before


def test_an_expired_preview_says_so(admin_client, riverton):  # noqa: F811
    page = admin_client.post("/console/schedules/", {
        "service": riverton["trash"].pk, "frequency": "weekly", "weekday": "1", "nth": "1", "anchor": "",
        "preview": "gone", "confirm": "1"}).content.decode()
    assert "The preview has expired. Upload the file again." in page


def test_every_other_week_needs_its_first_day(admin_client, riverton):  # noqa: F811
    page = upload(admin_client, SOUTH, service=riverton["trash"].pk, frequency="biweekly").content.decode()
    assert "Every other week needs a first day." in page


def test_only_administrators(client, riverton):  # noqa: F811
    client.force_login(StaffFactory(role="supervisor"))
    assert client.get("/console/schedules/").status_code == 404
