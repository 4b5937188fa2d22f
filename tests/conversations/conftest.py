import json

import pytest

from civicdesk.conversations import services
from civicdesk.conversations.models import AgentPresence


@pytest.fixture(autouse=True)
def _in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "civicdesk.conversations.layers.InMemoryChannelLayer"}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def online(user, capacity=3):
    AgentPresence.objects.update_or_create(user=user, defaults={"status": "online", "capacity": capacity})
    return user


def start(client, **data):
    response = client.post("/chat/start/", data=json.dumps({"language": "en", **data}), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


__all__ = ["online", "start", "services"]


@pytest.fixture
def department(db):
    """A department open around the clock, so tests do not depend on today's hours."""
    from datetime import time

    from civicdesk.catalog.models import BusinessHours
    from tests.factories import DepartmentFactory

    dept = DepartmentFactory()
    dept.hours.all().delete()
    for weekday in range(7):
        BusinessHours.objects.create(department=dept, weekday=weekday, opens=time(0), closes=time(23, 59, 59))
    return dept
