import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_message_windows():
    """An alert's "one confirmation per ten minutes" window lives in the cache, keyed by its
    id; ids start again in every test."""
    cache.clear()
