"""The audit chain finds edits and removals; identifiers are masked before storage."""

import pytest
from django.core.management import call_command
from django.db import connection

from civicdesk.cases.models import ServiceRequest
from civicdesk.conversations import services as chat
from civicdesk.conversations.models import Conversation
from civicdesk.privacy.models import AuditEntry
from civicdesk.privacy.redaction import redact
from civicdesk.privacy.services import record_access, verify_chain
from tests.factories import StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db


def _entries(n=5):
    staff = StaffFactory()
    return [record_access(actor=staff, action="view", object_type="request", object_id=f"2026-00000{i}",
                          ip="10.0.0.1") for i in range(n)]


def test_intact_chain_verifies(capsys):
    entries = _entries()
    assert entries[1].prev_hash == entries[0].hash
    assert verify_chain().first_broken_id is None
    call_command("verify_audit")
    assert "5 entries checked" in capsys.readouterr().out


def test_an_edited_entry_is_found():
    entries = _entries()
    AuditEntry.objects.filter(pk=entries[2].pk).update(object_id="2026-999999")  # behind the app's back
    report = verify_chain()
    assert report.first_broken_id == entries[2].pk and "edited" in report.reason
    with pytest.raises(SystemExit):
        call_command("verify_audit")


def test_a_removed_entry_is_found():
    entries = _entries()
    with connection.cursor() as c:
        c.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[3].pk])
    assert verify_chain().first_broken_id == entries[4].pk


def test_the_application_cannot_change_or_delete_entries():
    entry = _entries(1)[0]
    entry.detail = "changed"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


@pytest.mark.parametrize("text, kinds, kept", [
    ("my card is 4111 1111 1111 1111 thanks", {"card"}, "ending 1111 removed"),
    ("card 4111-1111-1111-1112", set(), "4111-1111-1111-1112"),  # fails the Luhn check: not a card
    ("SSN 123-45-6789", {"ssn"}, "[social security number removed]"),
    ("order 123456789 arrived", set(), "123456789"),  # nine digits, no SSN context
    ("mi seguro social es 123456789", {"ssn"}, "removed"),
    ("call 555-010-1200", set(), "555-010-1200"),
    ("000-12-3456", set(), "000-12-3456"),
])
def test_redaction(text, kinds, kept):
    out, found = redact(text)
    assert found == kinds and kept in out


@pytest.mark.django_db(transaction=True)
def test_chat_messages_are_masked_and_the_resident_is_told():
    conv = Conversation.objects.create()
    msg = chat.post_message(conversation=conv, sender="resident", body="Pay with 4111111111111111 please")
    assert "4111111111111111" not in msg.body
    told = conv.messages.get(seq=msg.seq + 1)
    assert told.sender == "system" and "Never send card numbers" in told.body


def test_request_descriptions_are_masked(service, client):
    req = submit(service, description="My SSN is 123-45-6789, call me")
    assert "123-45-6789" not in ServiceRequest.objects.get(pk=req.pk).description
    client.cookies["django_language"] = "es"
    response = client.post(f"/services/{service.service_code}/report/", {
        "submission_key": "k" * 20, "description": "tarjeta 4111 1111 1111 1111", "address": "1 Main St",
        "lat": "", "long": "", "email": ""}, follow=True)
    assert "Nunca envíe números de tarjeta" in response.content.decode()
