"""Help pages and the assistant in the chat widget, in a real browser, English and Spanish,
with the accessibility check."""

import pytest

from civicdesk.knowledge.models import ArticleFeedback
from tests.e2e.conftest import assert_accessible, assert_fits_phone
from tests.factories import ArticleFactory, ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def help_pages(parks):
    pool = ServiceFactory(service_code="pool-repair", name="Pool repair", name_es="Reparación de alberca",
                          department=parks, description="Something broken at a city pool.",
                          keywords="pool, swimming")
    article = ArticleFactory(slug="pool-hours", title="When are the city pools open?",
                             title_es="¿Cuándo abren las albercas?",
                             summary="Outdoor pools open from noon to 7 p.m. in summer.",
                             summary_es="Las albercas abren de mediodía a 7 p. m. en verano.",
                             body="## Passes\n\n- Day pass: **$3**\n- Season pass: $40",
                             body_es="## Pases\n\n- Pase diario: **$3**\n- Pase de temporada: $40")
    article.services.add(pool)
    article.departments.add(parks)
    return article


@pytest.mark.parametrize("lang", ["en", "es"])
def test_help_pages_pass_axe_on_a_phone(live_server, new_page, help_pages, lang):
    page = new_page(locale="es-ES" if lang == "es" else "en-US")
    for path in ["/help/", "/help/pool-hours/", "/search/?q=pool", "/search/?q=zzzz", "/online/"]:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == lang, path
        assert_accessible(page)
        assert_fits_phone(page)


def test_resident_searches_reads_and_says_it_helped(live_server, page, help_pages):
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search services and answers").fill("citty pols")  # two typos
    page.get_by_role("button", name="Search").first.click()
    page.get_by_text("Showing results for “city pool”.").wait_for()
    page.get_by_role("link", name="When are the city pools open?").click()
    page.get_by_role("heading", name="Passes").wait_for()
    page.locator("label[for=helpful-no]").click()  # USWDS draws the radio on its label
    page.get_by_label("What could be better?").fill("Say if the pools are heated.")
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_text("Thank you for your feedback.").wait_for()
    assert_accessible(page)
    assert ArticleFeedback.objects.get().comment == "Say if the pools are heated."


# The widget's words in each language, as a resident reads them.
WIDGET = {
    "en": {"locale": "en-US", "open": "Chat with us", "start": "Start chat", "log": "Messages",
           "greeting": "virtual assistant", "message": "Your message", "send": "Send"},
    "es": {"locale": "es-ES", "open": "Chatee con nosotros", "start": "Empezar el chat", "log": "Mensajes",
           "greeting": "asistente virtual", "message": "Su mensaje", "send": "Enviar"},
}


class AssistantChat:
    """Open the widget on the home page, start a chat and wait for the assistant's greeting."""

    def __init__(self, new_page, server, lang="en"):
        self.words = WIDGET[lang]
        self.page = new_page(locale=self.words["locale"])
        self.page.goto(f"{server}/")
        self.page.get_by_role("button", name=self.words["open"]).click()
        self.page.get_by_role("button", name=self.words["start"]).click()
        self.log = self.page.get_by_role("log", name=self.words["log"])
        self.log.get_by_text(self.words["greeting"], exact=False).wait_for()

    def say(self, text: str) -> None:
        self.page.get_by_label(self.words["message"], exact=True).fill(text)
        self.page.get_by_role("button", name=self.words["send"], exact=True).click()


def test_assistant_answers_in_the_widget_and_hands_over(asgi_server, new_page, help_pages, settings):
    settings.CIVICDESK_ASSISTANT = True
    settings.SITE_URL = asgi_server  # the links the assistant writes
    chat = AssistantChat(new_page, asgi_server)
    chat.say("what time do the pools open?")
    chat.log.get_by_text("Outdoor pools open from noon to 7 p.m. in summer.", exact=False).wait_for()
    link = chat.log.get_by_role("link", name=f"{asgi_server}/help/pool-hours/")
    assert link.get_attribute("href") == f"{asgi_server}/help/pool-hours/"
    assert_accessible(chat.page)
    assert_fits_phone(chat.page)
    # nobody is online: asking for a person leads to "leave a message"
    chat.say("agent")
    chat.page.get_by_label("Your email").wait_for()
    assert_accessible(chat.page)


def test_assistant_in_spanish(asgi_server, new_page, help_pages, settings):
    settings.CIVICDESK_ASSISTANT = True
    chat = AssistantChat(new_page, asgi_server, "es")
    chat.say("¿a qué hora abren las albercas?")
    chat.log.get_by_text("Las albercas abren de mediodía", exact=False).wait_for()
    assert_accessible(chat.page)


# What the assistant writes at each step of filing, in each language.
FILING = {
    "en": {"problem": "there is a huge pothole on my street", "yes": "yes", "skip": "skip",
           "offer": "(yes or no)", "describe": "describe the problem", "description": "Deep hole in the right lane", "question": "How big is it?",
           "where": "Where is it?", "street": "with its street name", "found": "I found 1228 Elm St.",
           "summary": ["Service: Pothole", "Where: 1228 Elm St", "How big is it? Large",
                       "Shall I file it? (yes or no)"],
           "done": "Your request number is"},
    "es": {"problem": "hay un bache enorme en mi calle", "yes": "si", "skip": "omitir",
           "offer": "(sí o no)", "describe": "describa el problema", "description": "Un hoyo hondo en el carril derecho", "question": "¿Qué tamaño tiene?",
           "where": "¿Dónde está?", "street": "con el nombre de la calle", "found": "Encontré 1228 Elm St.",
           "summary": ["Servicio: Bache", "Dónde: 1228 Elm St", "¿Qué tamaño tiene? Grande",
                       "¿Lo presento? (sí o no)"],
           "done": "Su número de solicitud es"},
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_assistant_matches_the_address_and_files_only_after_the_summary(asgi_server, new_page, settings,
                                                                            parks, lang):
    """The summary-and-confirm step in the widget: a bare number is refused, a typed
    address is matched in the register, nothing is filed before the resident says yes."""
    from civicdesk.addresses.models import ImportRun
    from civicdesk.addresses.services import forget_cache, import_addresses
    from civicdesk.cases.models import ServiceRequest
    from tests.factories import QuestionFactory

    settings.CIVICDESK_ASSISTANT = True
    pothole = ServiceFactory(service_code="pothole", name="Pothole", name_es="Bache", department=parks,
                             description="A hole in a street.", keywords="pothole, hole in the road, bache")
    QuestionFactory(service=pothole, code="size", datatype="singlevaluelist", required=True,
                    description="How big is it?", description_es="¿Qué tamaño tiene?",
                    values=[{"key": "small", "name": "Small", "name_es": "Pequeño"},
                            {"key": "large", "name": "Large", "name_es": "Grande"}])
    import_addresses(ImportRun.objects.create(kind="addresses", file_name="a.csv"),
                     b"LON,LAT,NUMBER,STREET,ID\n-89.48,41.85,1228,Elm St,A1\n-89.47,41.84,1228,Oak Ave,A3\n")
    forget_cache()
    words = FILING[lang]
    chat = AssistantChat(new_page, asgi_server, lang)

    def reply(text: str, expect: str) -> None:
        chat.say(text)
        try:
            chat.log.get_by_text(expect, exact=False).last.wait_for(timeout=10_000)
        except Exception:
            raise AssertionError(f"after {text!r}, expected {expect!r} in:\n{chat.log.inner_text()}") from None

    reply(words["problem"], words["offer"])
    reply(words["yes"], words["describe"])
    reply(words["description"], words["question"])
    reply("2", words["where"])
    reply("1", words["street"])  # a bare number is not an address: asked again
    reply("1228 elm street", words["found"])
    reply(words["skip"], words["summary"][-1])
    text = chat.log.inner_text()
    for line in words["summary"]:
        assert line in text
    assert not ServiceRequest.objects.exists()  # nothing filed before a yes
    assert_accessible(chat.page)
    assert_fits_phone(chat.page)
    reply(words["yes"], words["done"])
    req = ServiceRequest.objects.get()
    assert (req.address, req.address_id, req.location_checked, req.channel) == ("1228 Elm St", "A1", True, "chat")
