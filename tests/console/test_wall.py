"""The supervisor's wall and the agent's inbox rows: what is waiting, who is answering, with
the resident's words and the wait against the target."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicdesk.conversations import services as chat
from civicdesk.conversations.models import Conversation
from tests.conversations.conftest import online, start
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_inbox_rows_show_who_what_language_and_the_wait(client, department, settings):
    settings.CIVICDESK_CHAT_ANSWER_TARGET_S = 180
    agent = StaffFactory(departments=[department])
    started = start(client, department=department.slug, language="es")
    conv = Conversation.objects.get(public_id=started["conversation"])
    chat.post_message(conversation=conv, sender="resident", body="¿Cuándo pasa el camión de basura por mi calle?")
    Conversation.objects.filter(pk=conv.pk).update(state="waiting", waiting_since=timezone.now() - timedelta(minutes=4),
                                                   contact_name="Lucía")  # as the leave-a-message form sets it
    anonymous = start(client, department=department.slug)
    Conversation.objects.filter(public_id=anonymous["conversation"]).update(
        state="waiting", waiting_since=timezone.now() - timedelta(seconds=140))
    client.force_login(agent)
    rows = client.get("/console/inbox/?view=waiting&partial=1").content.decode()
    assert "Lucía" in rows and "Anonymous" in rows
    assert "¿Cuándo pasa el camión de basura por mi calle?" in rows and "Spanish" in rows
    assert rows.count("Over target") == 1 and rows.count("Due soon") == 1  # 4 min and 2 min 20 s of 3 min
    assert 'data-waiting-count="2"' in rows  # what the tab's title badge counts


def test_the_wall_shows_queues_and_agents_and_a_chat_can_be_given_to_someone_else(client, department):
    supervisor = StaffFactory(role="supervisor", departments=[department])
    busy = online(StaffFactory(departments=[department], first_name="Busy", last_name="Bee"), capacity=1)
    free = online(StaffFactory(departments=[department], first_name="Free", last_name="Agent"), capacity=2)
    first = start(client, department=department.slug)
    conv = Conversation.objects.get(public_id=first["conversation"])
    chat.assign(conversation=conv, agent=busy, by=supervisor)
    client.force_login(supervisor)
    page = client.get("/console/wall/").content.decode()
    assert "Busy Bee" in page and "Free Agent" in page and "1 / 1" in page and "Full" in page
    response = client.post(f"/console/conversations/{conv.public_id}/transfer/",
                           {"agent": free.pk, "next": "/console/wall/"})
    assert response["Location"] == "/console/wall/"
    conv.refresh_from_db()
    assert conv.assigned_to == free
    client.force_login(busy)
    assert client.get("/console/wall/").status_code == 404  # agents have their inbox
