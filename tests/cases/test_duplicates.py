"""Finding open requests for the same service nearby."""

import pytest

from civicdesk.cases import services
from civicdesk.cases.models import Status
from tests.factories import ServiceFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db

# 0.0001 degree of latitude is about 11.1 m.
LAT, LONG = 41.85, -89.48


def test_open_request_within_50_m_is_offered(service):
    near = submit(service, lat=LAT + 0.0003, long=LONG)  # ~33 m
    submit(service, lat=LAT + 0.0008, long=LONG)  # ~89 m
    found = services.find_nearby_open_requests(service=service, lat=LAT, long=LONG)
    assert found == [near]
    assert 30 <= found[0].distance_m <= 36


def test_other_services_and_closed_requests_are_not_duplicates(service, agent):
    submit(ServiceFactory(), lat=LAT, long=LONG)
    closed = submit(service, lat=LAT, long=LONG)
    services.change_status(request=closed, actor=agent, status=Status.CLOSED)
    assert services.find_nearby_open_requests(service=service, lat=LAT, long=LONG) == []


def test_radius_comes_from_settings(service, settings):
    submit(service, lat=LAT + 0.0008, long=LONG)
    settings.CIVICDESK_DUPLICATE_RADIUS_M = 100
    assert len(services.find_nearby_open_requests(service=service, lat=LAT, long=LONG)) == 1


def test_nearest_first(service):
    far = submit(service, lat=LAT + 0.0004, long=LONG)
    close = submit(service, lat=LAT + 0.0001, long=LONG)
    assert services.find_nearby_open_requests(service=service, lat=LAT, long=LONG) == [close, far]
