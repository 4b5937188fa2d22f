"""Every shipped language is complete: each catalog translates every interface string and is
compiled, and a crawl of every resident page in each language finds no interface words left
in English (docs/translation.md)."""

import html
import json
import re
from collections import deque
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import to_language

from civicdesk.core import languages
from civicdesk.core.translation import save_translations
from tests.factories import ArticleFactory, QuestionFactory, ServiceFactory
from tests.helpers import submit

LOCALE = Path(settings.BASE_DIR) / "locale"
# Catalog folders are locale names (zh_Hans); the site speaks language codes (zh-hans).
FOLDERS = {to_language(p.name): p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES" / "django.po").exists()}
SHIPPED = sorted(FOLDERS)
SKIP = ("/console/", "/admin/", "/i18n/", "/static/", "/media/", "/api/", "/open311/", "/chat/", "/inbound/",
        "/addresses/", "/account/data/")


def _catalog(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / FOLDERS[code] / "LC_MESSAGES" / "django.po"))


def test_the_six_languages_are_shipped():
    assert {"es", "fr", "vi", "zh-hans", "ar"} <= set(SHIPPED)


@pytest.mark.parametrize("code", SHIPPED)
def test_every_interface_string_is_translated_and_compiled(code):
    po = _catalog(code)
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], f"{code}: {len(missing)} strings without a translation, e.g. {missing[:3]}"
    compiled = polib.mofile(str(LOCALE / FOLDERS[code] / "LC_MESSAGES" / "django.mo"))
    wanted = {(e.msgid, e.msgstr or e.msgstr_plural.get(0)) for e in po if not e.obsolete}
    have = {(e.msgid, e.msgstr or e.msgstr_plural.get(0)) for e in compiled}
    assert wanted <= have, f"{code}: django.mo is older than django.po (run make messages)"
    # the same strings as every other catalog: none was left behind by an update
    assert {e.msgid for e in po if not e.obsolete} == {e.msgid for e in _catalog("es") if not e.obsolete}


def _english_interface_strings(code: str) -> list[str]:
    """Interface strings whose translation differs from the English, long enough to be
    sure when they show up (placeholders cut them into their literal pieces)."""
    out = set()
    for e in _catalog(code):
        if e.obsolete or e.msgid_plural or e.msgstr == e.msgid:
            continue
        for piece in re.split(r"%\(\w+\)s|%%|\{\w+\}|<[^>]+>", e.msgid):
            piece = piece.strip(" .,:;()“”\"")
            if len(piece) >= 14 and " " in piece and piece not in e.msgstr:
                out.add(piece)
    return sorted(out, key=len, reverse=True)


def _visible(body: str) -> str:
    # The chat widget draws its words from the strings the page embeds for it.
    widget = re.search(r'<script id="civicdesk-chat-strings" type="application/json">(.*?)</script>', body, re.S)
    words = " ".join(v for k, v in json.loads(widget.group(1)).items() if k != "stylesheet") if widget else ""
    body = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", body)
    attributes = " ".join(re.findall(r'(?:aria-label|alt|title|placeholder)="([^"]*)"', body))
    text = re.sub(r"(?s)<[^>]+>", " ", body) + " " + attributes
    return re.sub(r"\s+", " ", html.unescape(text) + " " + words)


@pytest.fixture
def city(db, department):
    """A service, a question, an article and a request, written in every shipped language
    (content in a language it lacks falls back to English, which is not what is tested)."""
    service = ServiceFactory(department=department, service_code="pothole", name="Pothole",
                             description="A hole in the street.", group="Streets")
    question = QuestionFactory(service=service, code="size", datatype="singlevaluelist", required=True,
                               description="How big is it?",
                               values=[{"key": "s", "name": "Small", **{f"name_{c}": f"S-{c}" for c in SHIPPED}}])
    article = ArticleFactory(slug="holes", title="About holes", summary="Holes are filled.", body="We fill them.")
    article.services.add(service)
    for code in SHIPPED:
        save_translations(department, {code: {"name": f"Dept-{code}"}})
        save_translations(service, {code: {"name": f"Name-{code}", "description": f"Desc-{code}",
                                           "group": f"Group-{code}"}})
        save_translations(question, {code: {"description": f"Question-{code}"}})
        save_translations(article, {code: {"title": f"Title-{code}", "summary": f"Summary-{code}",
                                           "body": f"Body-{code}"}})
    _schedule()
    _meeting()
    return submit(service, description="Deep", answers={"size": "s"}, address="12 Main St")


def _schedule():
    """An address with a weekly collection, a monthly one and a holiday change, so the
    schedule pages show every part of themselves."""
    from datetime import date, time, timedelta

    from civicdesk.addresses.models import AddressPoint
    from civicdesk.schedules.models import CollectionService, ScheduleChange, Zone

    AddressPoint.objects.create(ref="S-1", number="12", street="Main St", lat=41.85, long=-89.48,
                                street_key="main st", search="12 main st")
    area = [[[[-89.5, 41.8], [-89.4, 41.8], [-89.4, 41.9], [-89.5, 41.9], [-89.5, 41.8]]]]
    today = date.today()
    change = ScheduleChange.objects.create(start=today, end=today + timedelta(days=6), shift_days=1)
    for n, kind in enumerate(("trash", "sweeping")):
        svc = CollectionService.objects.create(code=kind, kind=kind, order=n)
        Zone.objects.create(service=svc, name="All", polygons=area, weekday=today.weekday(),
                            frequency="weekly" if n == 0 else "monthly", starts_at=time(7), ends_at=time(15),
                            season_start="01-01" if n == 0 else "", season_end="12-31" if n == 0 else "")
        for code in ["en", *SHIPPED]:
            save_translations(svc, {code: {"name": f"Svc{n}-{code}", "rules": f"Rules{n}-{code}"}})
    for code in ["en", *SHIPPED]:
        save_translations(change, {code: {"name": f"Holiday-{code}"}})
    from django.utils import timezone

    from civicdesk.schedules.models import Notice

    now = timezone.now()
    notice = Notice.objects.create(kind="water", lat=41.85, long=-89.48, radius_m=500, published=True,
                                   starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=5))
    for code in ["en", *SHIPPED]:
        save_translations(notice, {code: {"name": f"Notice-{code}", "body": f"Body-{code}"}})


def _meeting():
    """A public meeting with its agenda, a published comment, a speaker and a follow page,
    in every language."""
    from civicdesk.meetings import services
    from civicdesk.meetings.models import Comment
    from tests.meetings.conftest import make_council

    council = make_council()
    for obj, fields in [(council["body"], ("name",)), (council["meeting"], ("title", "description")),
                        *[(item, ("title", "description")) for item in council["items"]],
                        *[(t, ("name",)) for t in council["topics"].values()]]:
        for code in ["en", *SHIPPED]:
            save_translations(obj, {code: {f: f"{f}-{code}" for f in fields}})
    services.submit_comment(meeting=council["meeting"], item=council["items"][0], public_name="Ana",
                            email="ana@example.org", position="support", body="Yes", language="en", key="k")
    Comment.objects.update(state=Comment.State.PUBLISHED)


@pytest.mark.parametrize("code", [c for c in SHIPPED])
def test_no_resident_page_shows_interface_words_in_english(settings, city, code):
    settings.LANGUAGES = languages.parse(",".join(["en", *SHIPPED]))
    english = _english_interface_strings(code)
    # The detector sees interface words when they are there: the English home page has many.
    home = _visible(Client(headers={"Accept-Language": "en"}).get("/").content.decode())
    assert sum(piece in home for piece in english) >= 10
    reader = Client(headers={"Accept-Language": code})
    queue = deque(["/", "/services/", "/services/pothole/", "/services/pothole/report/", "/requests/",
                   f"/requests/{city.public_id}/", f"/requests/{city.public_id}/submitted/", "/help/", "/help/holes/",
                   "/online/", "/performance/", "/search/?q=hole", "/feedback/", "/account/signin/",
                   "/schedules/?address_id=S-1", "/schedules/year/?address_id=S-1", "/schedules/?address=nowhere",
                   "/alerts/", "/meetings/", "/meetings/?when=past"])
    seen, leaks = set(), {}
    while queue and len(seen) < 60:
        path = queue.popleft()
        if path in seen or path.startswith(SKIP):
            continue
        seen.add(path)
        response = reader.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        assert f'<html lang="{code}"' in body, path
        text = _visible(body)
        for piece in english:
            if piece in text:
                leaks.setdefault(piece, path)
        queue.extend(h for h in re.findall(r'href="(/[^"#?]*)"', body) if h not in seen)
    assert len(seen) >= 14
    assert leaks == {}, f"{code}: interface words in English: {leaks}"
