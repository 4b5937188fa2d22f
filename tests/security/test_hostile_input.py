"""The hostile-input corpus (tests/security/hostile.py) sent into every field of every form
on the resident and staff pages, the public APIs' parameters, the chat endpoints and the
uploads: no server error, no injected header or cookie, and nothing of it ever comes back
unescaped on any page. The browser side (no script runs in Chromium) is
tests/e2e/test_hostile_input.py.
"""

import json
import re
import uuid
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from civicdesk.accounts.middleware import SESSION_KEY
from civicdesk.accounts.models import Resident
from civicdesk.cases.models import ServiceRequest
from civicdesk.catalog.models import ServiceQuestion
from civicdesk.conversations import services as chat
from civicdesk.knowledge.services import save_article
from civicdesk.surveys import services as surveys
from civicdesk.surveys.models import Survey
from civicdesk.surveys.services import ensure_built_in
from tests.factories import ArticleFactory, DepartmentFactory, ServiceFactory, StaffFactory
from tests.helpers import jpeg_with_gps, submit

from .hostile import CORPUS, DANGER, HEADER, ODD, SQL, TEMPLATE, TRAVERSAL, XSS, lying_uploads

pytestmark = pytest.mark.django_db

# What goes into each field of each form (the whole corpus goes into the API parameters):
# every kind of attack; on the staff pages two of the script payloads per field, in turn, so
# that across a form's fields every one is tried (the console's forms are many and large).
OTHERS = [SQL[1], HEADER[0], TRAVERSAL[0], TEMPLATE[0], ODD[0], ODD[3], ODD[1]]


def payloads_for(who: str, i: int) -> list[str]:
    return XSS + OTHERS if who != "staff" else [XSS[i % len(XSS)], XSS[(i + 2) % len(XSS)]] + OTHERS
NEVER_SUBMIT = ("/logout", "/signout", "/everywhere")  # they would end the session under test


class _Forms(HTMLParser):
    """Every form on a page, with the value a browser would send for each field."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                               "fields": {}, "targets": []})
            return
        if not self.forms or not a.get("name"):
            if tag == "option" and self._select is not None and self._select[1] is None and a.get("value"):
                self._select[1] = a["value"]
            return
        form, name = self.forms[-1], a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a or (kind == "radio" and name not in form["fields"]):
                    form["fields"][name] = a.get("value", "on")
                form["targets"].append(name)
            elif kind == "file":
                return
            elif kind not in ("submit", "button", "image", "reset"):
                form["fields"][name] = a.get("value", "")
                if name != "csrfmiddlewaretoken":
                    form["targets"].append(name)
        elif tag == "textarea":
            form["fields"][name] = ""
            form["targets"].append(name)
        elif tag == "select":
            self._select = [name, None]
            form["targets"].append(name)
        elif tag == "button" and a.get("value") is not None:
            form["fields"].setdefault(name, a["value"])

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self.forms:
            self.forms[-1]["fields"].setdefault(self._select[0], self._select[1] or "")
            self._select = None


def forms_on(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        # Repeated rows of a formset ("questions-3-text") are the same field: attack the
        # first and the last (the empty extra row) of each.
        groups: dict[str, list[str]] = {}
        for name in form["targets"]:
            groups.setdefault(re.sub(r"-\d+-", "-N-", name), []).append(name)
        form["targets"] = [n for names in groups.values() for n in dict.fromkeys([names[0], names[-1]])]
    return parser.forms


@pytest.fixture
def city(settings):
    # Every payload must reach the code it tests, not a rate limit's 429 (a NUL once hid
    # behind the chat limit until the minute's window passed mid-test).
    settings.CIVICDESK_RATE_FORMS_PER_MINUTE = settings.CIVICDESK_RATE_SIGNIN_PER_MINUTE = 10**6
    settings.CIVICDESK_PUBLIC_API_RATE_PER_MINUTE = settings.CIVICDESK_RATE_CHAT_PER_MINUTE = 10**6
    dept = DepartmentFactory(slug="streets")
    svc = ServiceFactory(department=dept, service_code="pothole")
    for order, (code, datatype) in enumerate([("size", "singlevaluelist"), ("count", "number"),
                                              ("seen", "datetime"), ("kinds", "multivaluelist"),
                                              ("note", "string")]):
        ServiceQuestion.objects.create(service=svc, code=code, datatype=datatype, order=order, description=code,
                                       values=[{"key": "s", "name": "Small"}, {"key": "l", "name": "Large"}])
    resident = Resident.objects.create(email="ana@example.org", first_name="Ana", last_name="Ruiz")
    req = submit(svc, email="ana@example.org", resident=resident)
    conv = chat.start_conversation(department=dept, resident=resident).conversation
    chat.post_message(conversation=conv, sender="resident", body="Hello")
    article = ArticleFactory(slug="bins")
    save_article(article)
    ensure_built_in()  # transactional tests before this one flush the data migration's surveys
    survey = Survey.objects.get(slug="a11-cx")
    _inv, token = surveys.invite(survey, channel="email", request=req, email="ana@example.org")
    admin = StaffFactory(role="administrator")
    from tests.meetings.conftest import make_council

    council = make_council()
    return {"council": council, "svc": svc, "req": req, "conv": conv, "resident": resident, "article": article, "survey": survey,
            "token": token, "admin": admin}


def _clients(city):
    anonymous = Client()
    signed_in = Client()
    session = signed_in.session
    session[SESSION_KEY] = city["resident"].pk
    session.save()
    staff = Client()
    staff.force_login(city["admin"])
    return anonymous, signed_in, staff


def _pages(city) -> dict[str, list[str]]:
    req, conv, art = city["req"].public_id, city["conv"].public_id, city["article"]
    meeting, item = city["council"]["meeting"].pk, city["council"]["items"][0].pk
    return {
        "anonymous": ["/", "/services/", "/services/pothole/", "/services/pothole/report/", "/requests/",
                      f"/requests/{req}/", "/help/", "/help/bins/", "/search/?q=bins", "/online/", "/feedback/",
                      f"/feedback/{city['token']}/", "/account/signin/", "/performance/", "/console/login/",
                      "/meetings/", f"/meetings/{meeting}/", f"/meetings/{meeting}/register/",
                      f"/meetings/{meeting}/comment/", f"/meetings/{meeting}/speak/", "/meetings/bodies/council/follow/"],
        "resident": ["/account/"],
        "staff": ["/console/", f"/console/requests/{req}/", "/console/inbox/", f"/console/conversations/{conv}/",
                  "/console/canned-responses/", "/console/privacy/erasures/", "/console/privacy/audit/",
                  "/console/articles/", "/console/articles/new/", f"/console/articles/{art.pk}/",
                  "/console/assistant/", "/console/cx/", "/console/surveys/",
                  f"/console/surveys/{city['survey'].pk}/", "/console/meetings/", "/console/meetings/new/",
                  f"/console/meetings/{meeting}/", f"/console/meetings/{meeting}/items/{item}/",
                  f"/console/meetings/{meeting}/minutes/"],
    }


def _check(response, where: str, problems: list[str]) -> None:
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code}")
    if "hx" in response.cookies or any(k.lower() == "x-hx" for k in response.headers):
        problems.append(f"{where}: injected header {dict(response.headers)}")
    if "text/html" in response.get("Content-Type", ""):
        html = response.content.decode(errors="replace")
        found = [d for d in DANGER if d in html]
        if found:
            problems.append(f"{where}: unescaped {found}")


def _send(client, method: str, path: str, data: dict, where: str, problems: list[str]) -> None:
    try:
        with transaction.atomic():  # a failure must not spoil the test's own transaction
            response = client.post(path, data) if method == "post" else client.get(path, data)
    except Exception as e:  # the test client re-raises a view's exception: a server error
        problems.append(f"{where}: {type(e).__name__}: {str(e)[:200]}")
        return
    _check(response, where, problems)


def test_every_form_field_takes_the_corpus_without_harm(city):
    anonymous, signed_in, staff = _clients(city)
    clients = {"anonymous": anonymous, "resident": signed_in, "staff": staff}
    problems: list[str] = []
    tried = 0
    for who, pages in _pages(city).items():
        client = clients[who]
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, f"{who} {page}: {response.status_code}"
            for form in forms_on(response.content.decode()):
                action = form["action"] or page.split("?")[0]
                if any(s in action for s in NEVER_SUBMIT):
                    continue
                for i, field in enumerate(form["targets"]):
                    for payload in payloads_for(who, i):
                        data = {**form["fields"], field: payload}
                        _send(client, form["method"], action, data, f"{who} {action} [{field}={payload[:30]!r}]",
                              problems)
                        tried += 1
    assert tried > 800  # the crawl found the forms (a broken parser would find none)
    # Everything stored since is shown escaped wherever it appears.
    for who, pages in _pages(city).items():
        for page in pages:
            _check(clients[who].get(page), f"after: {who} {page}", problems)
    from civicdesk.meetings.models import Comment, Speaker

    Comment.objects.update(state=Comment.State.PUBLISHED)  # everything sent, published: still harmless
    for meeting in {c.meeting_id for c in Comment.objects.all()} | {city["council"]["meeting"].pk}:
        _check(anonymous.get(f"/meetings/{meeting}/"), f"after: meeting {meeting}", problems)
        _check(anonymous.get(f"/meetings/{meeting}/live/"), f"after: live {meeting}", problems)
    for token in Speaker.objects.values_list("token", flat=True)[:20]:
        _check(anonymous.get(f"/meetings/speaker/{token}/"), "after: speaker page", problems)
    for public_id in ServiceRequest.objects.values_list("public_id", flat=True):
        _check(anonymous.get(f"/requests/{public_id}/"), f"after: case page {public_id}", problems)
        _check(staff.get(f"/console/requests/{public_id}/"), f"after: console {public_id}", problems)
    assert problems == [], "\n".join(problems)
    assert ServiceRequest.objects.filter(pk=city["req"].pk).exists()  # no SQL ran: the table is there


def test_api_and_chat_parameters_take_the_corpus_without_harm(city):
    anonymous, _signed_in, _staff = _clients(city)
    problems: list[str] = []
    started = json.loads(anonymous.post("/chat/start/", json.dumps({"language": "en"}),
                                        content_type="application/json").content)
    for payload in CORPUS:
        for param in ["service_code", "start_date", "end_date", "status", "service_request_id", "jurisdiction_id"]:
            _send(anonymous, "get", "/open311/v2/requests.json", {param: payload}, f"open311 GET {param}", problems)
        for field in ["service_code", "description", "address_string", "lat", "long", "email", "first_name",
                      "attribute[size]", "media_url", "device_id"]:
            data = {"service_code": "pothole", "description": "x", "lat": "41.85", "long": "-89.48", field: payload}
            _send(anonymous, "post", "/open311/v2/requests.json", data, f"open311 POST {field}", problems)
        _send(anonymous, "get", "/search/", {"q": payload}, "search", problems)
        _send(anonymous, "get", "/requests/", {"service": payload, "page": payload}, "open requests", problems)
        _send(anonymous, "get", "/console/login/", {"next": payload}, "login next", problems)
        for body in [{"language": payload, "department": payload, "topic": payload},
                     {"token": started["token"], "email": payload, "name": payload, "message": payload}]:
            for path in ["/chat/start/", f"/chat/{started['conversation']}/leave-message/",
                         f"/chat/{started['conversation']}/transcript/"]:
                try:
                    response = anonymous.post(path, json.dumps(body), content_type="application/json")
                except Exception as e:
                    problems.append(f"{path}: {type(e).__name__}: {str(e)[:200]}")
                    continue
                _check(response, f"{path} {str(body)[:40]}", problems)
    # Bodies that are not what they claim: broken JSON, invalid UTF-8, a form body sent as JSON.
    for raw in [b"{", b"\xff\xfe\x00", b"[]", b'"string"', b"null", b"{\"token\": {\"$ne\": 1}}", b"a=1&b=2"]:
        for path in ["/chat/start/", f"/chat/{started['conversation']}/transcript/"]:
            try:
                _check(anonymous.post(path, raw, content_type="application/json"), f"{path} raw {raw!r}", problems)
            except Exception as e:
                problems.append(f"{path} raw {raw!r}: {type(e).__name__}: {str(e)[:200]}")
    assert problems == [], "\n".join(problems)


def test_url_paths_that_climb_out_find_nothing(city):
    client = Client()
    for path in ["/media/../settings.py", "/media/..%2f..%2fsrc%2fcivicdesk%2fsettings.py",
                 "/media/%2e%2e/%2e%2e/etc/passwd", "/static/../../etc/passwd", "/help/..%2f..%2fetc%2fpasswd/",
                 "/requests/..%2f..%2f/", "/chat/resume/..%2f..%2f/", "/open311/v2/requests/..%2f..%2f.json"]:
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert b"SECRET_KEY" not in response.content and b"root:" not in response.content


def test_lying_and_oversized_uploads_are_refused_with_the_reason(city, settings):
    client = Client()
    svc = city["svc"]
    before = ServiceRequest.objects.count()
    for name, content_type, data in lying_uploads():
        response = client.post(f"/services/{svc.service_code}/report/", {
            "description": "A hole", "lat": "41.85", "long": "-89.48", "submission_key": uuid.uuid4().hex,
            "photos": SimpleUploadedFile(name, data, content_type=content_type)})
        assert response.status_code == 400, name  # the form again, with the reason
        errors = response.content.decode()
        assert "usa-error-message" in errors and ("photo" in errors.lower() or "image" in errors.lower()), name
    settings.CIVICDESK_MAX_PHOTO_BYTES = 50_000
    response = client.post(f"/services/{svc.service_code}/report/", {
        "description": "A hole", "lat": "41.85", "long": "-89.48", "submission_key": uuid.uuid4().hex,
        "photos": SimpleUploadedFile("big.jpg", jpeg_with_gps((2400, 1800)), content_type="image/jpeg")})
    assert response.status_code == 400 and "big.jpg" in response.content.decode()
    assert ServiceRequest.objects.count() == before  # nothing was filed with a bad photo
    # agenda documents: nothing that is not a plain PDF is kept, each refusal says why
    from civicdesk.meetings.models import Document

    staff = Client()
    staff.force_login(city["admin"])
    meeting, item = city["council"]["meeting"], city["council"]["items"][1]
    for name, content_type, data in lying_uploads():
        response = staff.post(f"/console/meetings/{meeting.pk}/items/{item.pk}/", {
            "kind_of": "document", "doc-title": name, "doc-file": SimpleUploadedFile(name, data, content_type)})
        assert response.status_code == 200 and "usa-error-message" in response.content.decode(), name
    assert not Document.objects.filter(item=item).exists()
    started = json.loads(client.post("/chat/start/", json.dumps({"language": "en"}),
                                     content_type="application/json").content)
    for name, content_type, data in lying_uploads():
        response = client.post(f"/chat/{started['conversation']}/attachment/", {
            "token": started["token"], "image": SimpleUploadedFile(name, data, content_type=content_type)})
        assert response.status_code == 400, name
        assert response.json()["errors"]["image"], name
