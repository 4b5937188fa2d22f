"""Public meetings in a real browser: a resident on a 360 px phone, in English and Spanish,
browses the meetings, registers (after a refused empty form), comments on an agenda item,
signs up to speak and watches their place move live while the clerk, in the console on a
desktop, calls the speakers; after the meeting the resident reads the published minutes.
axe-core on every resident page."""

import threading

import pytest

from civicdesk.meetings.models import Comment, Meeting, Registration, Speaker
from tests.e2e.conftest import assert_accessible, assert_fits_phone, staff_sign_in
from tests.meetings.conftest import make_council

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "en": {"locale": "en-US", "list": "Public meetings", "title": "Budget hearing", "item": "Operating budget",
           "register": "Register to attend", "name": "Your name", "email": "Your email address",
           "consent": "Email me about this meeting", "submit": "Register", "name_error": "Enter your name",
           "registered": "You are registered", "comment": "Comment on this item", "body": "Your comment",
           "public_name": "Name to publish with your comment", "send": "Send my comment",
           "received": "Thank you: your comment is received", "speak": "Sign up to speak remotely",
           "called_by": "Name to be called by", "queue": "Put me in the queue", "next": "You are next.",
           "place2": "Your place in the queue: 2.", "turn": "It is your turn", "done": "You have spoken",
           "minutes": "Minutes", "live": "Live: this page updates by itself."},
    "es": {"locale": "es-ES", "list": "Reuniones públicas", "title": "Audiencia del presupuesto",
           "item": "Presupuesto operativo", "register": "Inscribirse para asistir", "name": "Su nombre",
           "email": "Su correo electrónico", "consent": "Envíenme correos sobre esta reunión", "submit": "Inscribirme",
           "name_error": "Escriba su nombre", "registered": "Está inscrito", "comment": "Comentar este punto",
           "body": "Su comentario", "public_name": "Nombre que se publicará con su comentario",
           "send": "Enviar mi comentario", "received": "Gracias: hemos recibido su comentario",
           "speak": "Inscribirse para hablar a distancia", "called_by": "Nombre con el que le llamarán",
           "queue": "Ponerme en la fila", "next": "Usted es el siguiente.", "place2": "Su lugar en la fila: 2.",
           "turn": "Es su turno", "done": "Ya ha hablado", "minutes": "Acta",
           "live": "En directo: esta página se actualiza sola."},
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_resident_takes_part_in_a_meeting_from_a_phone(asgi_server, new_page, settings, lang):
    settings.CIVICDESK_STREAM_PROVIDERS = []  # no third-party player in tests: the stream is a link
    settings.CIVICDESK_RATE_FORMS_PER_MINUTE = 1000
    w = WORDS[lang]
    council = make_council()
    meeting = council["meeting"]
    from civicdesk.meetings import services
    from tests.factories import StaffFactory

    # (in a thread of its own: this one runs the browser driver's event loop, and the service
    # publishes to the channel layer through async_to_sync)
    signup = threading.Thread(target=services.sign_up_to_speak, kwargs=dict(
        meeting=meeting, item=None, public_name="Chris", email="chris@example.org", phone="", language="en",
        key="first"))
    signup.start()
    signup.join()
    clerk = StaffFactory(role="clerk")
    phone = new_page(locale=w["locale"])

    # Browse
    phone.goto(asgi_server + "/meetings/")
    phone.get_by_role("heading", name=w["list"], level=1).wait_for()
    assert_accessible(phone)
    assert_fits_phone(phone)
    phone.get_by_role("link", name=w["title"]).click()
    phone.get_by_role("heading", name=w["title"]).wait_for()
    assert phone.get_by_text(w["item"]).first.is_visible()
    assert phone.get_by_role("link", name="Budget summary").is_visible()
    assert_accessible(phone)
    assert_fits_phone(phone)

    # Register: the empty form says what is missing, then it goes through
    phone.get_by_role("link", name=w["register"]).click()
    phone.get_by_role("button", name=w["submit"], exact=True).click()
    phone.get_by_text(w["name_error"]).first.wait_for()
    assert_accessible(phone)
    assert not Registration.objects.exists()
    phone.locator("#main-content").get_by_label(w["name"], exact=True).fill("Ana Ruiz")
    phone.locator("#main-content").get_by_label(w["email"], exact=True).fill("ana@example.org")
    phone.get_by_text(w["consent"]).click()
    phone.get_by_role("button", name=w["submit"], exact=True).click()
    phone.get_by_role("heading", name=w["registered"]).wait_for()
    assert_accessible(phone)
    assert Registration.objects.get().language == lang

    # Comment on an agenda item
    phone.goto(f"{asgi_server}/meetings/{meeting.pk}/")
    phone.get_by_role("link", name=w["comment"]).first.click()
    phone.locator("#main-content").get_by_label(w["body"], exact=True).fill("<b>Keep</b> the libraries open on Sundays.")
    phone.locator("#main-content").get_by_label(w["public_name"], exact=True).fill("Ana")
    phone.locator("#main-content").get_by_label(w["email"], exact=True).fill("ana@example.org")
    phone.get_by_role("button", name=w["send"]).click()
    phone.get_by_role("heading", name=w["received"]).wait_for()
    assert_accessible(phone)
    assert Comment.objects.get().body == "<b>Keep</b> the libraries open on Sundays."

    # Speak: the place in the queue moves as the clerk calls speakers
    phone.goto(f"{asgi_server}/meetings/{meeting.pk}/speak/")
    phone.locator("#main-content").get_by_label(w["called_by"], exact=True).fill("Ana R.")
    phone.locator("#main-content").get_by_label(w["email"], exact=True).fill("ana@example.org")
    phone.get_by_role("button", name=w["queue"]).click()
    phone.get_by_text(w["place2"]).wait_for()
    phone.get_by_text(w["live"]).wait_for()  # the socket is open
    assert_accessible(phone)
    assert_fits_phone(phone)

    desk = new_page(width=1280, height=900)
    staff_sign_in(desk, asgi_server, clerk.username)
    desk.goto(f"{asgi_server}/console/meetings/{meeting.pk}/run/")
    desk.get_by_role("button", name="Start the meeting").click()
    desk.get_by_role("button", name="Call the next speaker").click()  # Chris
    phone.get_by_text(w["next"]).wait_for()
    desk.get_by_role("button", name="Call the next speaker").click()  # Ana
    phone.get_by_text(w["turn"]).wait_for()
    assert Speaker.objects.get(public_name="Ana R.").state == Speaker.State.SPEAKING
    desk.get_by_role("button", name="Call the next speaker").click()
    phone.get_by_text(w["done"]).wait_for()
    assert_accessible(phone)
    desk.get_by_role("button", name="End the meeting").click()

    # Minutes, published by the clerk, read by the resident
    desk.goto(f"{asgi_server}/console/meetings/{meeting.pk}/minutes/")
    desk.get_by_label("Minutes · English").fill("The budget passed 5 to 2.")
    desk.get_by_label("Minutes · Español").fill("El presupuesto se aprobó por 5 votos a 2.")
    desk.get_by_role("button", name="Save and publish").click()
    desk.get_by_text("The minutes are published").wait_for()
    assert Meeting.objects.get(pk=meeting.pk).minutes_public
    phone.goto(f"{asgi_server}/meetings/{meeting.pk}/")
    phone.get_by_role("heading", name=w["minutes"], exact=True).wait_for()
    phone.get_by_text("5").first.wait_for()
    assert ("El presupuesto se aprobó" if lang == "es" else "The budget passed") in phone.content()
    assert_accessible(phone)
    assert_fits_phone(phone)
