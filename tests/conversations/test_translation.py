"""Live translation in chat: an English-speaking agent and a Vietnamese-speaking resident.
Each message is machine-translated for the other side by a LibreTranslate-compatible server
(started here, in the provider's role), stored beside the original, shown to both over the
websocket and kept in the transcript. Off, nothing leaves the server."""

import pytest

from civicdesk.conversations import services
from civicdesk.conversations.models import Conversation, Message
from civicdesk.core import languages
from tests.conversations.conftest import online, start
from tests.factories import StaffFactory
from tests.helpers import ProviderServer

pytestmark = pytest.mark.django_db(transaction=True)  # the worker and the consumers commit

PHRASES = {
    ("vi", "en"): {"Đèn đường trước nhà tôi bị hỏng": "The streetlight in front of my house is broken"},
    ("en", "vi"): {"A crew will fix it today.": "Một đội sẽ sửa nó hôm nay."},
}


class LibreTranslateServer(ProviderServer):
    """The translation service's API (POST /translate), with a small phrase book."""

    def __init__(self, fail=False):
        def answer(method, path, query, body, headers):
            known = PHRASES.get(((body or {}).get("source"), (body or {}).get("target")), {})
            if fail or path != "/translate" or (body or {}).get("q") not in known:
                return (500 if fail else 400), {"error": "cannot translate"}
            return 200, {"translatedText": known[body["q"]]}

        super().__init__(answer)


@pytest.fixture
def vietnamese(settings):
    settings.LANGUAGES = languages.parse("en,es,vi")


@pytest.fixture
def libretranslate(settings, vietnamese):
    server = LibreTranslateServer()
    settings.CIVICDESK_TRANSLATOR_URL = server.url
    settings.CIVICDESK_TRANSLATOR_KEY = "agency-key"
    yield server
    server.server.shutdown()


def _conversation(client, department):
    agent = online(StaffFactory(departments=[department], first_name="Dana"))
    started = start(client, department=department.slug, language="vi")
    conv = Conversation.objects.get(public_id=started["conversation"])
    assert (conv.language, conv.assigned_to) == ("vi", agent)
    return agent, started, conv


def test_each_side_reads_the_other_in_their_own_language(client, department, libretranslate, run_worker,
                                                         ws_socket, agent_socket, smtp):
    agent, started, conv = _conversation(client, department)
    resident = ws_socket()
    resident.send(type="hello", conversation=started["conversation"], token=started["token"], last_seq=0)
    resident.drain()
    staff = agent_socket(agent)
    staff.send(type="join", conversation=conv.public_id, last_seq=0)
    staff.drain()

    said = services.post_message(conversation=conv, sender="resident", body="Đèn đường trước nhà tôi bị hỏng")
    run_worker()
    said.refresh_from_db()
    assert (said.body, said.translation, said.translation_language) == (
        "Đèn đường trước nhà tôi bị hỏng", "The streetlight in front of my house is broken", "en")
    [(path, sent)] = libretranslate.calls
    assert path == "/translate" and (sent["source"], sent["target"], sent["api_key"]) == ("vi", "en", "agency-key")
    shown = staff.recv_until(lambda m: m.get("type") == "translation")
    assert (shown["seq"], shown["text"], shown["language"]) == (said.seq, said.translation, "en")

    answer = services.post_message(conversation=conv, sender="agent", author=agent, body="A crew will fix it today.")
    run_worker()
    answer.refresh_from_db()
    assert (answer.translation, answer.translation_language) == ("Một đội sẽ sửa nó hôm nay.", "vi")
    received = resident.recv_until(lambda m: m.get("type") == "translation" and m["seq"] == answer.seq)
    assert received["text"] == "Một đội sẽ sửa nó hôm nay."
    # A resident who comes back later gets the translation with the message itself.
    again = ws_socket()
    again.send(type="hello", conversation=started["conversation"], token=started["token"], last_seq=said.seq)
    replay = [m for m in again.drain() if m.get("type") == "message" and m["seq"] == answer.seq]
    assert replay[0]["translation"] == "Một đội sẽ sửa nó hôm nay." and replay[0]["body"] == "A crew will fix it today."

    # The transcript keeps both the original and the translation.
    services.send_transcript(conversation=conv, email="lan@example.org")
    run_worker()
    [mail] = smtp.to("lan@example.org")
    assert "A crew will fix it today." in mail["body"] and "Một đội sẽ sửa nó hôm nay." in mail["body"]


def test_off_by_default_nothing_leaves_the_server(client, department, vietnamese, run_worker, settings):
    quiet = LibreTranslateServer()
    try:
        settings.CIVICDESK_TRANSLATOR_URL = ""
        _agent, _started, conv = _conversation(client, department)
        services.post_message(conversation=conv, sender="resident", body="Đèn đường trước nhà tôi bị hỏng")
        run_worker()
        assert quiet.calls == []
        assert Message.objects.get(sender="resident").translation == ""
    finally:
        quiet.server.shutdown()


def test_same_language_is_not_translated(client, department, libretranslate, run_worker):
    agent = online(StaffFactory(departments=[department]))
    started = start(client, department=department.slug, language="en")
    conv = Conversation.objects.get(public_id=started["conversation"])
    services.post_message(conversation=conv, sender="resident", body="Is the pool open?")
    services.post_message(conversation=conv, sender="agent", author=agent, body="Yes, until 7.")
    run_worker()
    assert libretranslate.calls == [] and not Message.objects.exclude(translation="").exists()


def test_a_translator_that_is_down_loses_nothing(client, department, vietnamese, run_worker, settings):
    broken = LibreTranslateServer(fail=True)
    try:
        settings.CIVICDESK_TRANSLATOR_URL = broken.url
        _agent, _started, conv = _conversation(client, department)
        said = services.post_message(conversation=conv, sender="resident", body="Đèn đường trước nhà tôi bị hỏng")
        run_worker()
        said.refresh_from_db()
        # The message was stored and shown at once; only its translation is missing (the
        # task is retried with backoff), and the agent still reads the original.
        assert said.body == "Đèn đường trước nhà tôi bị hỏng" and said.translation == ""
        assert broken.calls and broken.calls[0][1]["target"] == "en"
    finally:
        broken.server.shutdown()


@pytest.mark.django_db
def test_staff_get_a_machine_draft_of_an_article_in_the_missing_language(client, settings):
    """The same provider drafts; a person reads and saves. Nothing is saved by the draft."""
    from civicdesk.knowledge.models import Article
    from tests.factories import CategoryFactory

    PHRASES[("en", "es")] = {"Leaf collection": "Recolección de hojas", "Leaves in the fall.": "Hojas en otoño.",
                             "Rake to the curb.": "Rastrille hasta la acera."}
    server = LibreTranslateServer()
    settings.CIVICDESK_TRANSLATOR_URL = server.url
    try:
        cat = CategoryFactory(slug="streets", name="Streets")
        client.force_login(StaffFactory(role="supervisor"))
        data = {"title_en": "Leaf collection", "summary_en": "Leaves in the fall.", "body_en": "Rake to the curb.",
                "slug": "leaves", "category": cat.pk, "status": "published", "draft": "1"}
        page = client.post("/console/articles/new/", data).content.decode()
        assert 'value="Recolección de hojas"' in page and "Hojas en otoño." in page and "Rastrille hasta la acera." in page
        assert "Machine-drafted in español: read and correct it before you save." in page
        assert not Article.objects.exists()
        assert [c[1]["target"] for c in server.calls] == ["es", "es", "es"]
    finally:
        server.server.shutdown()


def test_an_emailed_answer_goes_out_even_when_the_translator_is_down(client, department, vietnamese, run_worker,
                                                                     smtp, settings):
    """A message left after hours is answered by email; with the translator down the answer
    goes in the agent's words rather than not at all."""
    broken = LibreTranslateServer(fail=True)
    try:
        settings.CIVICDESK_TRANSLATOR_URL = broken.url
        agent = StaffFactory(departments=[department])
        started = start(client, department=department.slug, language="vi")
        conv = Conversation.objects.get(public_id=started["conversation"])
        services.leave_message(conversation=conv, email="lan@example.org", name="Lan", body="Đèn đường bị hỏng")
        services.post_message(conversation=conv, sender="agent", author=agent, body="A crew will fix it today.")
        run_worker()
        [mail] = smtp.to("lan@example.org")
        assert "A crew will fix it today." in mail["body"]
        assert broken.calls  # it was tried
    finally:
        broken.server.shutdown()


@pytest.mark.django_db
def test_staff_get_a_machine_draft_of_a_catalog_text_in_the_admin(client, settings, department):
    """A service not yet written in Spanish: the admin's Spanish tab offers a draft, fills
    the form from the English text, and saves nothing by itself."""
    from tests.factories import ServiceFactory

    PHRASES[("en", "es")] = {"Fallen tree": "Árbol caído", "A tree is down.": "Se cayó un árbol.", "Parks": "Parques"}
    server = LibreTranslateServer()
    settings.CIVICDESK_TRANSLATOR_URL = server.url
    try:
        service = ServiceFactory(department=department, name="Fallen tree", name_es="", description="A tree is down.",
                                 group="Parks")
        assert not service.has_translation("es")
        client.force_login(StaffFactory(role="administrator", is_superuser=True, all_departments=True))
        url = f"/admin/catalog/service/{service.pk}/change/?language=es"
        offer = client.get(url).content.decode()
        assert "?language=es&amp;draft=1" in offer  # the Spanish tab offers a draft
        page = client.get(url + "&draft=1").content.decode()
        assert 'value="Árbol caído"' in page and "Se cayó un árbol." in page and 'value="Parques"' in page
        assert "Machine-drafted in español" in page
        service.refresh_from_db()
        assert not service.has_translation("es")  # a person saves it, not the draft
    finally:
        server.server.shutdown()
