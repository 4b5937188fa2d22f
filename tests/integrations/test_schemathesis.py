"""Property-based run over the OpenAPI schema (schemathesis): no server errors, and every
response matches the schema it is documented with. Bounded examples keep it quick."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from civicdesk.accounts.models import Role
from civicdesk.integrations.services import issue_key
from tests.factories import ServiceFactory
from tests.helpers import submit

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def api_headers(db):
    service = ServiceFactory(service_code="pothole")
    for _ in range(3):
        submit(service, email="ana@example.org")
    _, raw = issue_key(name="Fuzzer", role=Role.ADMINISTRATOR, rate_per_minute=100000)
    return {"Authorization": f"Bearer {raw}"}


# transaction=True: the calls go through Django's real WSGI handler, whose request signals
# give pooled PostgreSQL connections back, which a test wrapped in a transaction cannot allow.
@pytest.mark.django_db(transaction=True)
@schema.parametrize()
# derandomize: the same examples every run, so CI is repeatable (random runs found the NUL-byte and
# the UTC-offset bugs; run with HYPOTHESIS_SEED or without derandomize to explore further)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case, api_headers):
    case.call_and_validate(headers=api_headers,
                           checks=[not_a_server_error, status_code_conformance, response_schema_conformance])
