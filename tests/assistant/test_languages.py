"""The assistant in every language the agency offers, with the default multilingual encoder
(multilingual-e5-small, assistant/encoders.py): a Spanish conversation from greeting to a
filed request over the widget's websocket; a Vietnamese question answered from an article
written only in English, said so, and machine-translated when a translation provider is
configured (a real HTTP server in LibreTranslate's role); per-language words."""

import pytest

from civicdesk.assistant import brain
from civicdesk.assistant.engine import Engine, Entry
from civicdesk.cases.models import ServiceRequest
from civicdesk.core import languages
from civicdesk.core.text import detect_language, terms
from tests.assistant.test_dialogue import Chat
from tests.helpers import ProviderServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("assistant_on")]

SUMMARY = "Trash is collected once a week on your pickup day."
SUMMARY_VI = "Rác được thu gom mỗi tuần một lần vào ngày thu gom của bạn."


@pytest.fixture
def e5(settings):
    settings.CIVICDESK_ASSISTANT_ENCODER = "e5"
    brain.encoder.cache_clear()
    brain.holder.reset()
    yield
    brain.encoder.cache_clear()
    brain.holder.reset()


@pytest.fixture
def vietnamese(settings):
    settings.LANGUAGES = languages.parse("en,es,vi")


def test_a_spanish_conversation_from_greeting_to_a_filed_request(client, city, ws_socket, e5):
    chat = Chat(client, ws_socket, language="es")
    assert "asistente virtual" in chat.greeting()
    answer = chat.say("¿Qué necesito para votar en las elecciones?")
    assert "Regístrese en línea o en la Secretaría Municipal." in answer
    offer = chat.say("Hay un hoyo enorme en el pavimento de mi calle")
    assert "Bache" in offer and "sí o no" in offer
    assert "describa el problema" in chat.say("sí")
    assert "¿Qué tamaño tiene?" in chat.say("Un hoyo profundo en el carril derecho")
    assert "¿Dónde está?" in chat.say("2")
    placed = chat.say("Calle Mayor y Avenida 3")
    assert "No pude encontrar “Calle Mayor y Avenida 3”" in placed
    summary = chat.say("ana@example.org")
    assert "Servicio: Bache" in summary and "¿Lo presento? (sí o no)" in summary
    assert not ServiceRequest.objects.exists()  # nothing filed before a yes
    done = chat.say("sí")
    req = ServiceRequest.objects.get()
    assert f"Su número de solicitud es {req.public_id}" in done
    assert (req.service, req.answers, req.language) == (city["pothole"], {"size": "large"}, "es")
    assert chat.conversation.language == "es"


def test_a_question_in_vietnamese_finds_an_article_written_only_in_english(
        client, city, ws_socket, e5, vietnamese, settings):
    settings.CIVICDESK_TRANSLATOR_URL = ""
    chat = Chat(client, ws_socket, language="vi")
    chat.greeting()
    answer = chat.say("Khi nào xe rác đến lấy rác nhà tôi?")  # "when does the trash truck come?"
    assert SUMMARY in answer  # as written, since nothing can translate it
    assert "http://testserver/help/trash-day/" in answer
    assert "English" not in answer.split(SUMMARY)[0]  # the note is in Vietnamese
    assert chat.conversation.language == "vi"


class Translator(ProviderServer):
    def __init__(self):
        def answer(method, path, query, body, headers):
            if path == "/translate" and body == {"q": SUMMARY, "source": "en", "target": "vi",
                                                 "format": "text"}:
                return 200, {"translatedText": SUMMARY_VI}
            return 400, {"error": "cannot translate"}

        super().__init__(answer)


def test_it_is_machine_translated_and_marked_when_a_provider_is_configured(
        client, city, ws_socket, e5, vietnamese, settings):
    server = Translator()
    settings.CIVICDESK_TRANSLATOR_URL = server.url
    try:
        chat = Chat(client, ws_socket, language="vi")
        chat.greeting()
        answer = chat.say("Khi nào xe rác đến lấy rác nhà tôi?")
        again = chat.say("Xe chở rác đến vào ngày nào?")  # the same article: translated once
    finally:
        server.server.shutdown()
    assert SUMMARY_VI in answer and SUMMARY not in answer
    assert answer.index(SUMMARY_VI) > 0  # preceded by the note that says it is a machine's
    assert SUMMARY_VI in again
    assert len([c for c in server.calls if c[0] == "/translate"]) == 1


def test_a_chinese_or_arabic_question_has_words_to_match():
    """Before, every character outside a-z was dropped: these had no words at all."""
    assert "垃圾" in terms("垃圾什么时候收？", "zh-hans")
    assert terms("جمع القمامة في شارعي", "ar") == terms("جمع القمامة شارع", "ar")
    assert terms("Les poubelles de ma rue", "fr") == terms("poubelle rue", "fr")


@pytest.mark.parametrize("text, expected", [
    ("¿Cuándo pasa el camión de la basura por mi calle?", "es"),
    ("Quand passe le camion des poubelles dans ma rue ?", "fr"),
    ("Khi nào xe rác đến đường của tôi?", "vi"),
    ("我家门口的垃圾什么时候收？", "zh-hans"),
    ("متى يتم جمع القمامة في شارعي؟", "ar"),
    ("When does the trash truck come to my street?", "en"),
])
def test_it_tells_which_of_the_agency_languages_a_message_is_in(text, expected):
    offered = ("en", "es", "fr", "vi", "zh-hans", "ar")
    assert detect_language(text, offered, default="en") == expected
    assert detect_language(text, ("en", "es"), default="en") in ("en", "es")  # never another


def test_a_language_the_identifier_does_not_know_is_left_alone():
    """An agency may offer a language py3langid has no model of (Hmong): messages are then
    read in the conversation's language, never an error."""
    assert detect_language("Thov pab kuv nrog kuv daim ntawv", ("en", "hmn"), default="hmn") == "hmn"
    assert detect_language("¿Dónde pago la multa de estacionamiento?", ("en", "es", "hmn"), default="en") == "es"


def test_one_engine_matches_across_languages_with_the_encoder(e5):
    engine = Engine([Entry("trash", "When is my trash collected?", "title"),
                     Entry("vote", "How do I register to vote?", "title"),
                     Entry("permit", "How do I get a building permit?", "title"),
                     Entry("dog", "How do I license my dog?", "title")],
                    encoder=brain.encoder())
    assert engine.rank("¿Cómo me inscribo para votar?", "es").best.label == "vote"
    assert engine.rank("我的狗需要登记吗？", "zh-hans").best.label == "dog"
    assert engine.rank("Xin giấy phép xây dựng ở đâu?", "vi").best.label == "permit"


@pytest.fixture
def trash_days(db):
    from datetime import date

    from civicdesk.addresses.models import AddressPoint
    from civicdesk.core.translation import save_translations
    from civicdesk.schedules.models import CollectionService, ScheduleChange, Zone

    AddressPoint.objects.create(ref="A-1", number="1228", street="N Elm St", lat=41.85, long=-89.50,
                                street_key="n elm st", search="1228 n elm st")
    trash = CollectionService.objects.create(code="trash", kind="trash")
    save_translations(trash, {"en": {"name": "Trash", "rules": "Carts at the curb by 6 a.m."},
                              "es": {"name": "Basura", "rules": "Contenedores en la acera antes de las 6 a. m."}})
    Zone.objects.create(service=trash, name="All", weekday=3,  # Thursdays
                        polygons=[[[[-89.6, 41.8], [-89.4, 41.8], [-89.4, 41.9], [-89.6, 41.9], [-89.6, 41.8]]]])
    change = ScheduleChange.objects.create(start=date(2026, 11, 26), end=date(2026, 11, 28), shift_days=1)
    save_translations(change, {"en": {"name": "Thanksgiving"}, "es": {"name": "Acción de Gracias"}})


@pytest.fixture
def before_thanksgiving(monkeypatch):
    from datetime import date

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 11, 23))


def test_when_is_my_trash_picked_up_asks_the_address_once_and_gives_the_dates(
        client, city, trash_days, before_thanksgiving, ws_socket):
    chat = Chat(client, ws_socket, language="es")
    chat.greeting()
    asked = chat.say("¿Cuándo pasa la basura por mi calle?")
    assert "¿Cuál es su dirección?" in asked
    wrong = chat.say("99999 calle inventada")
    assert "No encontré “99999 calle inventada”" in wrong
    answer = chat.say("1228 N Elm St")
    assert "Basura en 1228 N Elm St: la próxima es el viernes, 27 de noviembre." in answer
    assert "Se movió del jueves, 26 de noviembre (Acción de Gracias)." in answer
    assert "Contenedores en la acera antes de las 6 a. m." in answer
    assert "http://testserver/schedules/?address_id=A-1" in answer
    again = chat.say("¿Qué día recogen la basura?")  # the address is not asked twice
    assert "viernes, 27 de noviembre" in again and "dirección?" not in again
