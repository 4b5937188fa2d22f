"""The assistant answers a question about a service notice with the notice, while it is on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicdesk.core.translation import save_translations
from civicdesk.schedules.models import Notice
from tests.assistant.test_dialogue import Chat

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("assistant_on")]


def test_the_assistant_answers_from_a_notice(client, city, ws_socket):
    now = timezone.now()
    n = Notice.objects.create(kind="water", published=True, starts_at=now - timedelta(hours=1),
                              ends_at=now + timedelta(hours=8))
    save_translations(n, {"en": {"name": "Water shutdown on Elm Street", "body":
                                 "Water service is shut off on Elm Street for a water main repair until 6 p.m."}})
    chat = Chat(client, ws_socket)
    chat.greeting()
    answer = chat.say("Is the water shut off on Elm Street?")
    assert "Notice from the city: Water shutdown on Elm Street" in answer
    assert "water main repair until 6 p.m." in answer
