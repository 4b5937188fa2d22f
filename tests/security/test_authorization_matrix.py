"""Every route, every role: only the allowed ones get through.

ROUTES lists each named URL of the application with who may use it. A route that is not
listed fails ``test_every_route_has_a_rule``, so a new endpoint cannot ship without a rule.
Roles: anonymous, resident A (owns the request and the conversation), resident B,
agent of department X (where they live), agent of department Y, supervisor of X,
administrator. Staff use the console with a session and the API with a key of their role.
"""

import json

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from civicdesk.accounts.middleware import SESSION_KEY
from civicdesk.accounts.models import Resident
from civicdesk.conversations import services as chat
from civicdesk.integrations.services import issue_key
from civicdesk.knowledge.services import save_article
from tests.factories import ArticleFactory, DepartmentFactory, ServiceFactory, StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident_a", "resident_b", "agent_x", "agent_y", "supervisor_x", "administrator"]
EVERYONE = set(ROLES)
STAFF_X = {"agent_x", "supervisor_x", "administrator"}
ALL_STAFF = {"agent_x", "agent_y", "supervisor_x", "administrator"}
LEADS = {"supervisor_x", "administrator"}
RESIDENTS = {"resident_a", "resident_b"}

# name: (method, path template, roles allowed). {req} {conv} {res} {svc} {token} are filled in.
ROUTES = {
    "portal:home": ("get", "/", EVERYONE),
    "portal:manifest": ("get", "/manifest.webmanifest", EVERYONE),
    "portal:service_worker": ("get", "/sw.js", EVERYONE),
    "portal:favicon": ("get", "/favicon.ico", EVERYONE),
    "portal:offline": ("get", "/offline/", EVERYONE),
    "portal:catalog": ("get", "/services/", EVERYONE),
    "portal:service": ("get", "/services/{svc}/", EVERYONE),
    "portal:report": ("get", "/services/{svc}/report/", EVERYONE),
    "portal:requests": ("get", "/requests/", EVERYONE),
    "portal:request": ("get", "/requests/{req}/", EVERYONE),
    "portal:submitted": ("get", "/requests/{req}/submitted/", EVERYONE),
    "portal:follow": ("post", "/requests/{req}/follow/", EVERYONE),
    "portal:reopen": ("post", "/requests/{req}/reopen/", {"resident_a"}),  # the submitter only
    "portal:add_info": ("post", "/requests/{req}/add/", {"resident_a"}),
    "portal:confirm_contact": ("get", "/requests/{req}/confirm-email/forged/", set()),  # only the emailed token
    "portal:confirm_follow": ("get", "/follow/nonexistent/confirm/", set()),  # only with the emailed token
    "portal:unfollow": ("get", "/follow/nonexistent/stop/", EVERYONE),
    "portal:account": ("get", "/account/", RESIDENTS),
    "portal:signin": ("get", "/account/signin/", EVERYONE),
    "portal:signin_redeem": ("get", "/account/signin/nonexistent/", EVERYONE),
    "portal:signout": ("post", "/account/signout/", EVERYONE),
    "portal:consents": ("post", "/account/choices/", RESIDENTS),
    "portal:export": ("get", "/account/my-data.json", RESIDENTS),
    "portal:erase": ("post", "/account/erase/", RESIDENTS),
    "console:login": ("get", "/console/login/", EVERYONE),
    # Single sign-on answers only when configured (not in these tests): tests/accounts/test_sso.py.
    "console:sso": ("get", "/console/sso/", set()),
    "console:sso_callback": ("get", "/console/sso/callback/", set()),
    "console:logout": ("post", "/console/logout/", EVERYONE),
    "console:logout_everywhere": ("post", "/console/logout/everywhere/", ALL_STAFF),
    "console:2fa_setup": ("get", "/console/2fa/setup/", ALL_STAFF),
    "console:2fa_verify": ("get", "/console/2fa/verify/", ALL_STAFF),
    "console:requests": ("get", "/console/", ALL_STAFF),
    # any staff member may send the bulk form; it changes only the requests they may see
    # (tests/console/test_work_queue.py), and saved views are the sender's own
    "console:bulk": ("post", "/console/requests/bulk/", ALL_STAFF),
    "console:save_view": ("post", "/console/views/", ALL_STAFF),
    "console:request": ("get", "/console/requests/{req}/", STAFF_X),
    "console:change_status": ("post", "/console/requests/{req}/status/", STAFF_X),
    "console:add_note": ("post", "/console/requests/{req}/note/", STAFF_X),
    "console:assign": ("post", "/console/requests/{req}/assign/", STAFF_X),
    "console:moderate": ("post", "/console/requests/{req}/moderate/", STAFF_X),
    "console:inbox": ("get", "/console/inbox/", ALL_STAFF),
    "console:article_preview": ("post", "/console/articles/preview/", LEADS),
    "console:wall": ("get", "/console/wall/", LEADS),
    "console:presence": ("post", "/console/inbox/presence/", ALL_STAFF),
    "console:canned": ("get", "/console/canned-responses/", LEADS),
    "console:erasures": ("get", "/console/privacy/erasures/", LEADS),
    "console:audit": ("get", "/console/privacy/audit/", LEADS),
    "console:conversation": ("get", "/console/conversations/{conv}/", STAFF_X),
    "console:take": ("post", "/console/conversations/{conv}/take/", STAFF_X),
    "console:transfer": ("post", "/console/conversations/{conv}/transfer/", STAFF_X),
    "console:close": ("post", "/console/conversations/{conv}/close/", STAFF_X),
    "console:file_request": ("post", "/console/conversations/{conv}/request/", STAFF_X),
    # Only staff who see the resident through a request or chat of their departments (probe finding).
    "console:log_call": ("post", "/console/residents/{res}/calls/", STAFF_X),
    "console:resident_consents": ("post", "/console/residents/{res}/consents/", STAFF_X),
    "console:articles": ("get", "/console/articles/", LEADS),
    "console:article_new": ("get", "/console/articles/new/", LEADS),
    "console:article_edit": ("get", "/console/articles/{art_pk}/", LEADS),
    "console:article_restore": ("post", "/console/articles/{art_pk}/restore/1/", LEADS),
    "console:assistant": ("get", "/console/assistant/", LEADS),
    "console:assistant_example": ("post", "/console/assistant/examples/", LEADS),
    "console:assistant_reviewed": ("post", "/console/assistant/turns/1/reviewed/", LEADS),
    "api-v1:openapi-json": ("get", "/api/v1/openapi.json", EVERYONE),
    "api-v1:openapi-view": ("get", "/api/v1/docs", EVERYONE),
    "api-v1:api-root": ("get", "/api/v1/", set()),  # no view of its own
    "api-v1:list_requests": ("api-get", "/api/v1/requests", ALL_STAFF),
    "api-v1:get_request": ("api-get", "/api/v1/requests/{req}", STAFF_X),
    "api-v1:change_status": ("api-post", "/api/v1/requests/{req}/status", STAFF_X),
    "api-v1:add_note": ("api-post", "/api/v1/requests/{req}/notes", STAFF_X),
    "api-v1:assign": ("api-post", "/api/v1/requests/{req}/assign", STAFF_X),
    "api-v1:merge": ("api-post", "/api/v1/requests/{req}/merge", STAFF_X),
    "api-v1:list_services": ("api-get", "/api/v1/services", ALL_STAFF),
    "api-v1:get_service": ("api-get", "/api/v1/services/{svc}", ALL_STAFF),
    "api-v1:list_departments": ("api-get", "/api/v1/departments", ALL_STAFF),
    "api-v1:create_resident": ("api-post", "/api/v1/residents", ALL_STAFF),
    "api-v1:get_resident": ("api-get", "/api/v1/residents/{res}", STAFF_X),  # probe finding
    "api-v1:resident_requests": ("api-get", "/api/v1/residents/{res}/requests", STAFF_X),
    "open311:root": ("get", "/open311/v2/", EVERYONE),
    "open311:discovery": ("get", "/open311/v2/discovery.json", EVERYONE),
    "open311:services": ("get", "/open311/v2/services.json", EVERYONE),
    "open311:service": ("get", "/open311/v2/services/{svc}.json", EVERYONE),
    "open311:requests": ("get", "/open311/v2/requests.json", EVERYONE),
    "open311:request": ("get", "/open311/v2/requests/{req}.json", EVERYONE),
    "open311:token": ("get", "/open311/v2/tokens/nonexistent.json", set()),  # 404 for all: no such token
    "chat:config": ("get", "/chat/config/", EVERYONE),
    "chat:start": ("post", "/chat/start/", EVERYONE),
    "chat:leave_message": ("chat-post", "/chat/{conv}/leave-message/", {"resident_a"}),
    "chat:transcript": ("chat-post", "/chat/{conv}/transcript/", {"resident_a"}),
    "chat:attachment": ("chat-post", "/chat/{conv}/attachment/", {"resident_a"}),
    "chat:resume": ("get", "/chat/resume/{conv}/?t=forged", set()),
    "inbound_email": ("post", "/inbound/email/", set()),  # mail server only, with its token
    "inbound_sms": ("post", "/inbound/sms/", set()),  # SMS provider only, signed
    "knowledge:index": ("get", "/help/", EVERYONE),
    "knowledge:article": ("get", "/help/{art}/", EVERYONE),
    "knowledge:feedback": ("post", "/help/{art}/feedback/", EVERYONE),
    "knowledge:search": ("get", "/search/?q=trash", EVERYONE),
    "knowledge:online": ("get", "/online/", EVERYONE),
    "surveys:feedback": ("get", "/feedback/", EVERYONE),
    "surveys:thanks": ("get", "/feedback/thanks/", EVERYONE),
    "surveys:answer": ("get", "/feedback/not-a-real-token/", set()),  # only with the emailed token
    "surveys:performance": ("get", "/performance/", EVERYONE),
    "console:cx": ("get", "/console/cx/", LEADS),
    "console:addresses": ("get", "/console/addresses/", {"administrator"}),
    "console:zones": ("get", "/console/schedules/", {"administrator"}),
    "console:surveys": ("get", "/console/surveys/", LEADS),
    "console:survey_edit": ("get", "/console/surveys/{survey}/", LEADS),
    "console:cx_follow_up": ("post", "/console/cx/responses/{response}/follow-up/", LEADS),
    "healthz": ("get", "/healthz", EVERYONE),
    "addresses:suggest": ("get", "/addresses/suggest.json?q=12+main", EVERYONE),
    "schedules:lookup": ("get", "/schedules/?address_id=W-1", EVERYONE),
    "schedules:ical": ("get", "/schedules/calendar.ics?address_id=W-1", EVERYONE),
    "schedules:year": ("get", "/schedules/year/?address_id=W-1", EVERYONE),
    # anyone may ask for reminders at a register address (an empty form gets its errors: 400)
    "schedules:remind": ("post", "/schedules/remind/", set()),
    "schedules:confirm": ("get", "/schedules/remind/confirm/forged/", set()),  # only the sent token
    "schedules:stop": ("get", "/schedules/remind/stop/forged/", set()),
    "alerts:follow": ("get", "/alerts/", EVERYONE),
    "alerts:confirm": ("get", "/alerts/confirm/forged/", set()),  # only the emailed token
    "alerts:stop": ("get", "/alerts/stop/forged/", set()),
    "api-v1:get_schedule": ("api-get", "/api/v1/schedules?address_id=W-1", ALL_STAFF),
    "addresses:reverse": ("get", "/addresses/reverse.json?lat=41.85&long=-89.48", EVERYONE),
    "readyz": ("get", "/readyz", EVERYONE),
    # Prometheus: from this machine (the test client's 127.0.0.1) or with the scrape token;
    # from anywhere else 404 (tests/core/test_operations.py)
    "metrics": ("get", "/metrics", EVERYONE),
    "meetings:list": ("get", "/meetings/", EVERYONE),
    "meetings:detail": ("get", "/meetings/{meeting}/", EVERYONE),
    "meetings:live": ("get", "/meetings/{meeting}/live/", EVERYONE),
    "meetings:register": ("get", "/meetings/{meeting}/register/", EVERYONE),
    "meetings:comment": ("get", "/meetings/{meeting}/comment/", EVERYONE),
    "meetings:speak": ("get", "/meetings/{meeting}/speak/", EVERYONE),
    "meetings:ics": ("get", "/meetings/{meeting}/meeting.ics", EVERYONE),
    "meetings:attend": ("get", "/meetings/attend/forged/", set()),  # only the emailed token
    "meetings:speaker": ("get", "/meetings/speaker/forged/", set()),
    # a draft meeting's document: nobody (a public meeting's: tests/meetings/test_resident.py)
    "meetings:document": ("get", "/meetings/documents/{doc}/", set()),
    "meetings:follow": ("get", "/meetings/bodies/council/follow/", EVERYONE),
    "meetings:body_ics": ("get", "/meetings/bodies/council/meetings.ics", EVERYONE),
    "meetings:follow_confirm": ("get", "/meetings/follow/confirm/forged/", set()),
    "meetings:follow_stop": ("get", "/meetings/follow/stop/forged/", set()),
    # the clerk's console: clerks and administrators (tests/meetings/test_console.py: clerks)
    "console:meetings": ("get", "/console/meetings/", {"administrator"}),
    "console:meeting_new": ("get", "/console/meetings/new/", {"administrator"}),
    "console:meeting": ("get", "/console/meetings/{meeting}/", {"administrator"}),
    "console:meeting_action": ("post", "/console/meetings/{meeting}/action/", {"administrator"}),
    "console:meeting_item": ("get", "/console/meetings/{meeting}/items/{item}/", {"administrator"}),
    "console:meeting_comments": ("get", "/console/meetings/{meeting}/comments/", {"administrator"}),
    "console:meeting_run": ("get", "/console/meetings/{meeting}/run/", {"administrator"}),
    "console:meeting_registrations": ("get", "/console/meetings/{meeting}/registrations/", {"administrator"}),
    "console:meeting_minutes": ("get", "/console/meetings/{meeting}/minutes/", {"administrator"}),
}
NOT_ROUTES = {"set_language", "?"}  # Django's language switch; media files


def _walk(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p.url_patterns, inner)
        elif isinstance(p, URLPattern):
            yield f"{ns}:{p.name}" if ns else (p.name or "?")


def test_every_route_has_a_rule():
    names = {n for n in _walk(get_resolver().url_patterns) if not n.startswith("admin:")} - NOT_ROUTES
    assert names - ROUTES.keys() == set(), "routes without an authorization rule"
    assert ROUTES.keys() - names == set(), "rules for routes that no longer exist"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One set of people and objects for the ~500 cases (each case's own changes are rolled
    back with its transaction); removed again when the module is done."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        x, y = DepartmentFactory(), DepartmentFactory()
        svc = ServiceFactory(department=x)
        a = Resident.objects.create(email="a@example.org", first_name="Ana")
        b = Resident.objects.create(email="b@example.org", first_name="Bo")
        req = submit(svc, email="a@example.org", resident=a)
        started = chat.start_conversation(department=x, resident=a)
        art = ArticleFactory()
        from civicdesk.addresses.models import AddressPoint

        AddressPoint.objects.create(ref="W-1", number="12", street="Main St", lat=41.85, long=-89.48,
                                    street_key="main st", search="12 main st")
        from civicdesk.surveys.models import Response, Survey
        from civicdesk.surveys.services import ensure_built_in

        ensure_built_in()
        response = Response.objects.create(survey=Survey.objects.first(), channel="web", comment="Slow")
        save_article(art, note="first")  # revision 1, restorable
        from tests.meetings.conftest import make_council

        council = make_council()
        from civicdesk.meetings.models import Meeting

        draft = Meeting.objects.create(body=council["body"], starts_at=council["meeting"].starts_at,
                                       state=Meeting.State.DRAFT)
        from civicdesk.meetings.models import AgendaItem, Document

        draft_item = AgendaItem.objects.create(meeting=draft, number=1)
        draft_doc = Document.objects.create(item=draft_item, title="Draft report", file=council["document"].file.name)
        staff = {
            "agent_x": StaffFactory(role="agent", departments=[x]),
            "agent_y": StaffFactory(role="agent", departments=[y]),
            "supervisor_x": StaffFactory(role="supervisor", departments=[x]),
            "administrator": StaffFactory(role="administrator"),
        }
        keys = {role: issue_key(name=f"key {role}", user=user)[1] for role, user in staff.items()}
    yield {"svc": svc.service_code, "req": req.public_id, "conv": started.conversation.public_id,
           "token": started.token, "res": a.pk, "art": art.slug, "art_pk": art.pk, "response": response.pk, "survey": response.survey_id,
           "meeting": council["meeting"].pk, "item": council["items"][0].pk, "doc": draft_doc.pk,
           "residents": {"resident_a": a, "resident_b": b},
           "staff": staff, "keys": keys}
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def _as(client, role, world):
    client.logout()
    if role in world["staff"]:
        client.force_login(world["staff"][role])
    elif role in world["residents"]:
        session = client.session
        session[SESSION_KEY] = world["residents"][role].pk
        session.save()
    return client


def _allowed(response) -> bool:
    if response.status_code in (401, 403, 404, 405, 429):
        return False
    location = response.get("Location", "")
    if response.status_code in (301, 302) and any(p in location for p in ("/console/login/?next=",
                                                                           "/account/signin/?next=")):
        return False
    return response.status_code < 500


# Valid bodies, so that what is tested is the permission and not the validation.
API_BODIES = {
    "api-v1:change_status": {"status": "acknowledged"},
    "api-v1:add_note": {"message": "Checked"},
    "api-v1:assign": {"username": None},
    "api-v1:merge": {"into": "{req}"},
    "api-v1:create_resident": {"email": "new@example.org"},
}


def _request(client, world, name, role):
    method, template, _allowed_roles = ROUTES[name]
    path = template.format(**{k: world[k] for k in ("svc", "req", "conv", "res", "token", "art", "art_pk", "response", "survey",
                                                    "meeting", "item", "doc")})
    _as(client, role, world)
    if method == "get":
        return path, client.get(path)
    if method == "post":
        return path, client.post(path, {})
    if method.startswith("api-"):
        headers = {"Authorization": f"Bearer {world['keys'][role]}"} if role in world["keys"] else {}
        body = {k: (v.format(req=world["req"]) if isinstance(v, str) else v) for k, v in API_BODIES.get(name, {}).items()}
        response = (client.get(path, headers=headers) if method == "api-get" else
                    client.post(path, data=json.dumps(body), content_type="application/json", headers=headers))
        if response.status_code == 422:  # allowed in; the workflow refused the change (merge into itself)
            response.status_code = 200
        return path, response
    # the widget's endpoints: only resident A's browser holds the conversation's token
    token = world["token"] if role == "resident_a" else "not-the-token"
    response = client.post(path, {"token": token})  # form-encoded: the attachment endpoint is multipart
    if response.status_code == 400:  # the token got through; the empty form did not
        response.status_code = 200
    return path, response


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_is_open_only_to_its_roles(client, world, name):
    wrong = []
    for role in ROLES:
        with transaction.atomic():  # each role starts from the same state
            path, response = _request(client, world, name, role)
            if _allowed(response) != (role in ROUTES[name][2]):
                wrong.append(f"{role}: {ROUTES[name][0].upper()} {path} -> {response.status_code}")
            transaction.set_rollback(True)
    assert wrong == []


def test_an_api_key_learns_nothing_of_a_resident_it_may_not_see_by_posting_their_email(client, world):
    """Probe finding: POST /api/v1/residents with an existing email returned that resident's
    name, email and phone to any key."""
    seen = {}
    for role, key in world["keys"].items():
        response = client.post("/api/v1/residents", data=json.dumps({"email": "a@example.org"}),
                               content_type="application/json", headers={"Authorization": f"Bearer {key}"})
        seen[role] = (response.status_code, "Ana" in response.content.decode())
    assert seen == {"agent_x": (200, True), "supervisor_x": (200, True), "administrator": (200, True),
                    "agent_y": (409, False)}
