import pytest


@pytest.fixture(autouse=True)
def built_in_surveys(db):
    """The built-in surveys come from a data migration; transactional tests flush them."""
    from civicdesk.surveys.services import ensure_built_in

    ensure_built_in()
