"""The assistant answers text messages too, out through the SMS provider (a real HTTP server
in the provider's role), and a provider retry gets no second answer."""

import pytest

from civicdesk.conversations.models import Conversation
from tests.conversations.test_channels import inbound, sms_provider  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("assistant_on")]


def test_a_text_gets_the_assistants_answer_by_text(client, city, sms_provider, run_worker):  # noqa: F811
    r = inbound(client, {"id": "in-1", "from": "+15551234567", "body": "how do I register to vote"})
    assert r.status_code == 201
    inbound(client, {"id": "in-1", "from": "+15551234567", "body": "how do I register to vote"})  # retry
    conv = Conversation.objects.get()
    assert conv.channel == "sms" and conv.state == "assistant"
    assert conv.messages.filter(sender="assistant").count() == 1
    run_worker()
    assert len(sms_provider.sent) == 1
    sent = sms_provider.sent[0]["json"]
    assert sent["to"] == "+15551234567"
    assert "Register online or at the City Clerk's office." in sent["body"]
    assert "http://testserver/help/register-to-vote/" in sent["body"]
