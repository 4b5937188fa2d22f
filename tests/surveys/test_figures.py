"""The dashboard's and the public page's figures, against values computed by hand on a
small known data set (the arithmetic is in the comments)."""

import codecs
import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from civicdesk.cases.models import ServiceRequest
from civicdesk.privacy.models import AuditEntry
from civicdesk.surveys import figures
from civicdesk.surveys.models import Response, Survey
from tests.factories import DepartmentFactory, ServiceFactory, StaffFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(db):
    d1, d2 = DepartmentFactory(name="Alpha"), DepartmentFactory(name="Beta")
    s1, s2 = ServiceFactory(department=d1), ServiceFactory(department=d2)
    survey = Survey.objects.get(slug="a11-cx")
    now = timezone.now()
    rows = [  # dept, service, channel, satisfaction, trust, ease, effectiveness, csat, nps, comment
        (d1, s1, "web", 5, 5, 5, 4, 5, 10, ""),
        (d1, s1, "web", 4, 3, 2, 5, 4, 9, ""),
        (d1, s1, "chat", 2, 2, 1, 2, 2, 3, ""),
        (d2, s2, "email", 1, 1, 2, 1, 1, 6, "long wait on the phone"),
        (d2, s2, "web", 5, 4, 4, 5, None, 7, "long wait but friendly staff"),
    ]
    for d, s, ch, sat, tr, ease, eff, csat, nps, comment in rows:
        Response.objects.create(survey=survey, department=d, service=s, channel=ch, satisfaction=sat,
                                trust=tr, ease=ease, effectiveness=eff, csat=csat, nps=nps,
                                comment=comment, complete=True, created_at=now)
    Response.objects.create(survey=survey, department=d1, service=s1, channel="web", satisfaction=1,
                            created_at=now - timedelta(days=200))  # outside every period below
    day = timedelta(days=1)
    for service, submitted, resolved, due in [
        (s1, now - 10 * day, now - 9 * day, now - 8 * day),   # 24 h, on time
        (s1, now - 10 * day, now - 6 * day, now - 9 * day),   # 96 h, late
        (s2, now - 5 * day, now - 3.5 * day, now - 3 * day),  # 36 h, on time
        (s2, now - 2 * day, None, now - 1 * day),             # open and overdue
    ]:
        req = submit(service)
        ServiceRequest.objects.filter(pk=req.pk).update(
            submitted_at=submitted, resolved_at=resolved, sla_due_at=due,
            status="resolved" if resolved else "in_progress")
    return {"d1": d1, "d2": d2, "s1": s1, "s2": s2}


def period(**kw):
    today = timezone.localdate()
    return figures.Filters(start=today - timedelta(days=89), end=today, **kw)


def test_experience_figures(data):
    exp = figures.experience(period())
    assert exp["responses"] == 5
    sat = exp["items"]["satisfaction"]
    assert (sat["agree"], sat["n"], sat["share"]) == (3, 5, 0.6)  # 5, 4, 5 agree
    # Wilson 95% for 3 of 5: centre 0.98416/1.76832, half-width 0.576173/1.76832
    assert sat["ci"] == pytest.approx((0.2307, 0.8824), abs=1e-4)
    assert exp["items"]["trust"]["share"] == 0.4  # 5 and 4
    assert exp["items"]["ease"]["share"] == 0.4
    assert exp["items"]["effectiveness"]["share"] == 0.6
    assert exp["items"]["equity"]["n"] == 0
    assert exp["csat"]["share"] == 0.5  # 2 of the 4 who answered
    assert exp["nps"] == {"n": 5, "score": 0.0}  # promoters 10, 9; detractors 3, 6
    assert exp["cx_index"] == pytest.approx(50.0)  # mean of .6 .4 .4 .6


def test_driver_analysis_names_the_driver_closest_to_trust(data):
    drivers = figures.experience(period())["drivers"]
    # trust 5 3 2 1 4; ease 5 2 1 2 4: r = 9 / sqrt(10 * 10.8) = 0.866
    # effectiveness 4 5 2 1 5: r = 9 / sqrt(10 * 13.2) = 0.783
    assert drivers[0]["driver"] == "ease" and drivers[0]["r"] == pytest.approx(0.8660, abs=1e-4)
    assert drivers[1]["driver"] == "effectiveness" and drivers[1]["r"] == pytest.approx(0.7833, abs=1e-4)


def test_filters_slice_by_department_and_channel(data):
    assert figures.experience(period(department=data["d1"].pk))["items"]["satisfaction"]["share"] == pytest.approx(2 / 3)
    web = figures.experience(period(channel="web"))
    assert web["responses"] == 3 and web["items"]["satisfaction"]["share"] == 1.0


def test_operations_figures(data):
    ops = figures.operations(period())
    assert (ops["opened"], ops["resolved"]) == (4, 3)
    assert ops["resolve_median_h"] == pytest.approx(36)
    assert ops["resolve_p90_h"] == pytest.approx(84)  # 36 + 0.8 * (96 - 36)
    assert ops["on_time"]["share"] == pytest.approx(2 / 3)
    assert (ops["backlog"], ops["overdue"]) == (1, 1)


@pytest.fixture
def chats(data):
    """Four conversations two days ago (minutes after the start in the comments)."""
    from civicdesk.conversations.models import Conversation, Message

    t = timezone.now() - timedelta(days=2)
    minute = timedelta(minutes=1)
    for channel, dept, state, code, closed, messages in [
        # chat the assistant answered alone; closed at 10
        ("chat", data["d1"], "closed", "answered", 10, [("resident", 0), ("assistant", 0.05)]),
        # chat an agent answered at 4; request filed, closed at 30
        ("chat", data["d1"], "closed", "request_filed", 30, [("resident", 0), ("assistant", 0.02), ("agent", 4)]),
        # email answered at 60, referred elsewhere (not first contact), closed at 120
        ("email", data["d2"], "closed", "referred", 120, [("resident", 0), ("agent", 60)]),
        # chat still waiting for a person (the assistant said nothing)
        ("chat", data["d2"], "waiting", "", None, [("resident", 0)]),
    ]:
        c = Conversation.objects.create(channel=channel, department=dept, state=state, resolution_code=code,
                                        created_at=t, closed_at=t + closed * minute if closed else None)
        for seq, (sender, at) in enumerate(messages, start=1):
            Message.objects.create(conversation=c, seq=seq, sender=sender, body="x", created_at=t + at * minute)
    return data


def check_chat_figures(chats, approx):
    ops = figures.operations(period())
    assert ops["chat_wait_median_min"] == approx(32)  # waits 4 and 60
    assert ops["chat_handling_median_min"] == approx(30)  # 10, 30, 120
    assert (ops["first_contact_resolution"]["agree"], ops["first_contact_resolution"]["n"]) == (2, 3)
    assert (ops["assistant_resolved"]["agree"], ops["assistant_resolved"]["n"]) == (1, 3)  # of 3 chats
    d1 = figures.operations(period(department=chats["d1"].pk))
    assert d1["chat_wait_median_min"] == approx(4)
    assert d1["first_contact_resolution"]["share"] == 1.0 and d1["assistant_resolved"]["share"] == 0.5
    email = figures.operations(period(channel="email"))
    assert email["chat_wait_median_min"] == approx(60) and email["assistant_resolved"]["n"] == 0


def test_chat_figures(chats):
    check_chat_figures(chats, pytest.approx)


def test_departments_side_by_side_and_the_gap(data):
    result = figures.departments(period())
    rows = {r["department"]: r for r in result["rows"]}
    assert rows["Alpha"]["satisfaction"]["share"] == pytest.approx(2 / 3)
    assert rows["Beta"]["satisfaction"]["share"] == 0.5
    assert rows["Alpha"]["resolve_median_h"] == pytest.approx(60)  # 24 and 96
    assert result["gap"] == pytest.approx(2 / 3 - 0.5)


def test_comment_themes(data):
    result = figures.comments(period())
    assert result["total"] == 2
    assert {"phrase": "long wait", "count": 2} in result["themes"]


def test_themes_leave_out_stop_words_numbers_and_the_agencys_name_in_each_language(settings):
    settings.CIVICDESK_AGENCY_NAME, settings.CIVICDESK_CITY_NAME = "City of Riverton", "Riverton"
    settings.CIVICDESK_AGENCY_NAMES = {"es": "Ciudad de Riverton"}
    comments = [
        ("The City of Riverton took TOO long to fix the streetlight, 3 weeks!", "en"),
        ("Too long again. The streetlight on my street is still out", "en"),
        ("Riverton was too slow; the streetlight was out for 3 weeks", "en"),
        ("La Ciudad de Riverton tardó mucho en la recolección de basura", "es"),
        ("Muy lenta la recolección de basura en mi calle", "es"),
    ]
    themes = figures.themes(comments)
    phrases = [t["phrase"] for t in themes]
    assert {"phrase": "recolección de basura", "count": 2} in themes  # a stop word inside a phrase stays
    assert "streetlight" in phrases and next(t for t in themes if t["phrase"] == "streetlight")["count"] == 3
    noise = {"too", "the", "was", "riverton", "city", "ciudad", "de", "la", "3", "muy", "mucho"}
    assert not noise & ({p.split()[0] for p in phrases} | {p.split()[-1] for p in phrases}), phrases
    assert "recolección" not in phrases  # already inside a phrase shown


def test_public_page(client, data, settings):
    settings.CIVICDESK_PUBLIC_MIN_ANSWERS = 50
    page = client.get("/performance/").content.decode()
    assert "Satisfaction is shown once at least 50 residents" in page
    from django.core.cache import cache

    cache.clear()
    settings.CIVICDESK_PUBLIC_MIN_ANSWERS = 5
    result = figures.public_performance()
    rows = {r["service"]: r for r in result["rows"]}
    assert (rows[data["s1"]]["received"], rows[data["s1"]]["median_days"], rows[data["s1"]]["on_time"]) == (2, 2.5, 0.5)
    assert (rows[data["s2"]]["received"], rows[data["s2"]]["median_days"], rows[data["s2"]]["on_time"]) == (2, 1.5, 1.0)
    assert result["satisfaction"]["share"] == 0.6  # 3 of the 5 with a satisfaction or CSAT answer
    assert "Residents satisfied with the service: <strong>60%</strong> (5 answers)." in client.get("/performance/").content.decode()


def test_dashboard_page_and_csv(client, data):
    client.force_login(StaffFactory(role="supervisor", all_departments=True))
    page = client.get("/console/cx/").content.decode()
    assert "Customer experience" in page and "Ease" in page
    summary = client.get("/console/cx/?export=summary").content
    assert summary.startswith(codecs.BOM_UTF8)  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(summary.decode("utf-8-sig"))))
    assert rows[0] == ["Measure", "Agree", "Answers", "Percent", "Confidence interval (95 percent), low", "Confidence interval (95 percent), high"]
    assert rows[1] == ["Satisfaction", "3", "5", "60", "23.1", "88.2"]  # rounded to one decimal
    comments = list(csv.reader(io.StringIO(client.get("/console/cx/?export=comments").content.decode("utf-8-sig"))))
    assert comments[0][:5] == ["Date", "Channel", "Department", "Service", "Comment"]
    by_text = {r[4]: r for r in comments[1:]}
    assert by_text["long wait on the phone"][1:3] == ["Email", "Beta"]  # labels, not codes
    assert AuditEntry.objects.filter(action="export", object_id="comments").exists()
    page = client.get("/console/cx/").content.decode()
    assert 'q=long%20wait#comments">long wait</a>' in page  # a theme opens its comments
    assert client.get("/console/cx/?start=nonsense").status_code == 200
    client.force_login(StaffFactory(role="agent"))
    assert client.get("/console/cx/").status_code == 404
