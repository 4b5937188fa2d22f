"""Storing a chat message (services.post_message): sequence numbers, retries, closed
conversations. On PostgreSQL a resident's plain text is one statement; these rules hold
on both paths and both databases."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicdesk.conversations import services
from civicdesk.conversations.models import Conversation, Message

pytestmark = pytest.mark.django_db(transaction=True)


def _conversation(**kw):
    return services.start_conversation(channel=Conversation.Channel.CHAT, greet=False, **kw).conversation


def test_messages_are_numbered_in_order_and_marked_read_by_their_sender():
    conv = _conversation()
    first = services.post_message(conversation=conv, sender="resident", body="Is the pool open?", client_id="a")
    second = services.post_message(conversation=conv, sender="resident", body="And tomorrow?", client_id="b")
    assert (first.seq, second.seq) == (1, 2)
    conv.refresh_from_db()
    assert conv.last_seq == 2 and conv.resident_read_seq == 2
    stored = Message.objects.get(pk=second.pk)
    assert (stored.seq, stored.body, stored.sender, stored.client_id, stored.author_label) == (
        2, "And tomorrow?", "resident", "b", "Resident")
    assert stored.created_at == second.created_at


def test_the_residents_name_labels_their_messages():
    conv = _conversation()
    Conversation.objects.filter(pk=conv.pk).update(contact_name="Ana Pérez")
    msg = services.post_message(conversation=conv, sender="resident", body="Hola")
    assert msg.author_label == Message.objects.get(pk=msg.pk).author_label == "Ana Pérez"


def test_a_retry_returns_the_stored_message_and_leaves_no_gap():
    conv = _conversation()
    first = services.post_message(conversation=conv, sender="resident", body="hello", client_id="same")
    again = services.post_message(conversation=conv, sender="resident", body="hello", client_id="same")
    after = services.post_message(conversation=conv, sender="resident", body="next", client_id="other")
    assert again.pk == first.pk and Message.objects.filter(client_id="same").count() == 1
    assert after.seq == 2  # the failed retry took no sequence number


def test_a_closed_conversation_refuses_messages_and_keeps_its_numbers():
    conv = _conversation()
    services.post_message(conversation=conv, sender="resident", body="one")
    Conversation.objects.filter(pk=conv.pk).update(state="closed")
    with pytest.raises(ValidationError, match="This conversation is closed"):
        services.post_message(conversation=conv, sender="resident", body="two")
    conv.refresh_from_db()
    assert conv.last_seq == 1 and conv.messages.count() == 1


def test_a_plain_resident_message_is_one_statement_on_postgresql():
    conv = _conversation()
    with CaptureQueriesContext(connection) as queries:
        msg = services.post_message(conversation=conv, sender="resident", body="Pothole on Elm St")
    if connection.vendor == "postgresql":
        assert len(queries.captured_queries) == 1
        assert queries.captured_queries[0]["sql"].startswith("WITH c AS (UPDATE")
    assert Message.objects.get(pk=msg.pk).seq == 1
