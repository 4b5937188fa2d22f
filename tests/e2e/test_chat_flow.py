"""A resident and an agent chat in two browser contexts, over a real ASGI server with
websockets (uvicorn in a thread); the resident reloads and sees every message once."""

import pytest

from tests.e2e.conftest import assert_accessible, assert_fits_phone, staff_sign_in
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_and_agent_chat_and_the_resident_reloads(asgi_server, new_page, parks):
    agent = StaffFactory(username="maria", first_name="María", last_name="Lopez", departments=[parks])
    staff = new_page(width=1280, height=900)
    staff_sign_in(staff, asgi_server, "maria")
    staff.goto(f"{asgi_server}/console/inbox/")
    staff.get_by_label("Status").select_option("online")
    staff.get_by_role("button", name="Save").click()

    resident = new_page()
    resident.goto(f"{asgi_server}/")
    resident.get_by_role("button", name="Chat with us").click()
    resident.get_by_label("What is it about?").select_option("parks")
    assert_accessible(resident)
    assert_fits_phone(resident)
    resident.get_by_role("button", name="Start chat").click()
    log = resident.get_by_role("log", name="Messages")
    log.get_by_text("María Lopez joined the conversation.").wait_for()
    resident.get_by_label("Your message", exact=True).fill("Is the pool open on Sunday?")
    resident.get_by_role("button", name="Send", exact=True).click()
    assert_accessible(resident)

    staff.goto(f"{asgi_server}/console/inbox/?view=mine")
    staff.locator("#inbox-rows a").first.click()
    staff.get_by_text("Is the pool open on Sunday?").wait_for()
    # hostile text from the resident arrives as text on both sides
    resident.get_by_label("Your message", exact=True).fill('<img src=x id="pwn" onerror="window.__pwned=1">')
    resident.get_by_role("button", name="Send", exact=True).click()
    staff.get_by_text('<img src=x id="pwn"', exact=False).wait_for()
    for p in (staff, resident):
        assert p.locator("#pwn").count() == 0 and p.evaluate("window.__pwned") is None
    staff.get_by_label("Reply").fill("Yes, from 10 am to 6 pm.")
    staff.get_by_role("button", name="Send").click()

    log.get_by_text("Yes, from 10 am to 6 pm.").wait_for()
    log.get_by_text("Seen").wait_for()  # the agent's console marked the question read
    resident.reload()
    log = resident.get_by_role("log", name="Messages")
    log.get_by_text("Yes, from 10 am to 6 pm.").wait_for()
    for text in ("Is the pool open on Sunday?", "Yes, from 10 am to 6 pm.", "María Lopez joined the conversation."):
        assert log.get_by_text(text).count() == 1  # every message exactly once after the reload
    assert agent.conversations.get().messages.filter(sender="resident").count() == 2


def test_widget_in_spanish(asgi_server, new_page, parks):
    page = new_page(locale="es-ES")
    page.goto(f"{asgi_server}/")  # the browser asks for Spanish (Accept-Language)
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("button", name="Chatee con nosotros").click()
    page.get_by_label("¿Sobre qué es?").select_option("parks")
    page.get_by_role("button", name="Empezar el chat").click()
    # nobody is online: the widget says so and offers to leave a message
    page.get_by_role("log", name="Mensajes").get_by_text("Deje un mensaje").wait_for()
    page.get_by_label("Su correo electrónico").fill("ana@example.org")
    assert_accessible(page)


def test_an_english_speaking_agent_and_a_vietnamese_speaking_resident(asgi_server, new_page, parks, settings):
    """Live translation: each reads the other in their own language, marked as machine
    translation, with the original one click away (the translation service is a server
    started by the test in the provider's role)."""
    import threading

    from civicdesk.core import languages
    from tests.conversations.test_translation import LibreTranslateServer

    def work():
        """The translation tasks, run in a thread of their own as the worker process would
        (this thread runs the browser's event loop; the worker command wants the main
        thread for its signal handlers)."""
        from civicdesk.conversations.models import Message
        from civicdesk.conversations.tasks import translate_message

        def run():
            for pk in Message.objects.filter(translation="", sender__in=["resident", "agent"]).values_list("pk", flat=True):
                translate_message.call(pk)

        worker = threading.Thread(target=run)
        worker.start()
        worker.join(30)

    settings.LANGUAGES = languages.parse("en,es,vi")
    service = LibreTranslateServer()
    settings.CIVICDESK_TRANSLATOR_URL = service.url
    try:
        StaffFactory(username="dana", first_name="Dana", last_name="Reyes", departments=[parks])
        staff = new_page(width=1280, height=900)
        staff_sign_in(staff, asgi_server, "dana")
        staff.goto(f"{asgi_server}/console/inbox/")
        staff.get_by_label("Status").select_option("online")
        staff.get_by_role("button", name="Save").click()

        resident = new_page(locale="vi-VN")
        resident.goto(f"{asgi_server}/")
        assert resident.locator("html").get_attribute("lang") == "vi"
        resident.get_by_role("button", name="Trò chuyện với chúng tôi").click()
        resident.get_by_label("Về việc gì?").select_option("parks")
        resident.get_by_role("button", name="Bắt đầu trò chuyện").click()
        log = resident.get_by_role("log", name="Tin nhắn")
        log.get_by_text("Dana Reyes đã tham gia cuộc trò chuyện.").wait_for()
        resident.get_by_label("Tin nhắn của bạn", exact=True).fill("Đèn đường trước nhà tôi bị hỏng")
        resident.get_by_role("button", name="Gửi", exact=True).click()
        log.get_by_text("Đèn đường trước nhà tôi bị hỏng").wait_for()
        work()  # the translation task

        staff.goto(f"{asgi_server}/console/inbox/?view=mine")
        staff.locator("#inbox-rows a").first.click()
        staff.get_by_text("The streetlight in front of my house is broken").wait_for()
        staff.get_by_text("(machine translation)").wait_for()
        original = staff.locator("details.cd-chat__original")
        original.locator("summary").click()
        assert original.get_by_text("Đèn đường trước nhà tôi bị hỏng").is_visible()
        staff.get_by_label("Reply").fill("A crew will fix it today.")
        staff.get_by_role("button", name="Send").click()
        log.get_by_text("A crew will fix it today.").wait_for()
        work()
        staff.reload()
        staff.get_by_text("Sent as machine translation (vi)", exact=False).wait_for()
        assert_accessible(staff)

        resident.reload()
        log = resident.get_by_role("log", name="Tin nhắn")
        answer = log.locator(".cdw-agent").filter(has_text="Một đội sẽ sửa nó hôm nay.")
        answer.wait_for()
        assert answer.locator('[lang="vi"]').count() == 1 and "Dịch tự động" in answer.inner_text()
        answer.get_by_text("Xem bản gốc").click()
        assert answer.get_by_text("A crew will fix it today.").is_visible()
        assert_accessible(resident)
        assert_fits_phone(resident)
    finally:
        service.server.shutdown()


def test_widget_on_another_site_speaks_that_sites_language(asgi_server, new_page, parks, settings):
    """An agency's own website (another origin) embeds the widget with one script tag; the
    widget asks the server for its words in the page's language (Arabic: right to left)."""
    import http.server
    import threading

    from civicdesk.core import languages

    settings.LANGUAGES = languages.parse("en,es,ar")
    page_html = (f'<!doctype html><html lang="ar" dir="rtl"><head><title>مدينة</title></head><body><main><h1>مدينة'
                 f'</h1></main><script src="{asgi_server}/static/civicdesk/js/chat-widget.js" defer></script>'
                 '</body></html>').encode()

    class Site(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page_html)

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        page = new_page()
        page.goto(f"http://127.0.0.1:{site.server_address[1]}/")
        page.get_by_role("button", name="تحدث معنا").click()
        widget = page.locator(".cdw")
        assert (widget.get_attribute("lang"), widget.get_attribute("dir")) == ("ar", "rtl")
        page.get_by_label("بخصوص ماذا؟").select_option("parks")
        page.get_by_role("button", name="بدء المحادثة").wait_for()
    finally:
        site.shutdown()
