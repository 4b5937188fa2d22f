import pytest

from civicdesk.accounts.models import Role
from civicdesk.integrations.services import issue_key
from tests.factories import QuestionFactory


@pytest.fixture
def pothole(service):
    """A service with a required single-value list, a number and a multi-value list."""
    QuestionFactory(service=service, code="size", datatype="singlevaluelist", required=True, order=1,
                    description="How big is it?", values=[{"key": "small", "name": "Small"},
                                                          {"key": "large", "name": "Large"}])
    QuestionFactory(service=service, code="depth", datatype="number", required=False, order=2,
                    description="Depth in cm")
    QuestionFactory(service=service, code="near", datatype="multivaluelist", required=False, order=3,
                    description="What is near?", values=[{"key": "school", "name": "A school"},
                                                         {"key": "bus", "name": "A bus stop"}])
    return service


@pytest.fixture
def open311_key(db):
    return issue_key(name="Riverton 311 app", open311_only=True)[1]


@pytest.fixture
def dept_key(department):
    """A REST key acting as an agent of ``department`` only."""
    return issue_key(name="Work orders", role=Role.AGENT, departments=[department])


@pytest.fixture
def admin_key(db):
    return issue_key(name="City data warehouse", role=Role.ADMINISTRATOR)
