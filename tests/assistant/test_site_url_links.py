"""Issue 21: every link the assistant sends (articles, the report form, a request's page)
is on the configured site address, never the host the chat was opened on or localhost."""

import re

import pytest

from civicdesk.cases.models import ServiceRequest
from tests.assistant.test_dialogue import Chat
from tests.helpers import submit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("assistant_on")]
SITE = "https://311.example.gov"


def links(text: str) -> list[str]:
    return re.findall(r"(?:https?://|/)[^\s,;)]*[\w/]", text)


def test_the_assistants_links_are_on_the_configured_site_address(client, city, ws_socket, settings):
    settings.SITE_URL = SITE
    req = submit(city["pothole"])
    chat = Chat(client, ws_socket)  # opened on http://testserver
    chat.greeting()
    replies = {
        "article": chat.say("When does the garbage truck come?"),
        "status": chat.say(f"What is happening with {req.public_id}?"),
        "service": chat.say("there is a huge pothole on my street"),
    }
    chat.say("yes")
    chat.say("Deep hole in the right lane")
    chat.say("2")
    chat.say("Main St and 3rd Ave")
    chat.say("skip")
    replies["filed"] = chat.say("yes")
    filed = ServiceRequest.objects.exclude(pk=req.pk).get()
    assert f"{SITE}/help/trash-day/" in replies["article"]
    assert f"{SITE}/requests/{req.public_id}/" in replies["status"]
    assert f"{SITE}/services/pothole/report/" in replies["service"]
    assert f"{SITE}/requests/{filed.public_id}/" in replies["filed"]
    for kind, reply in replies.items():
        found = links(reply)
        assert found, kind
        assert all(link.startswith(SITE + "/") for link in found), (kind, found)
        assert "testserver" not in reply and "localhost" not in reply
