"""Collection and sweeping schedules: the recurrence rules and holiday changes, the lookup by
address in English and Spanish, the iCalendar feed (parsed by the `icalendar` library, as a
calendar app would), the printable year, and the changes being seen by every process."""

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from civicdesk.schedules import recurrence
from civicdesk.schedules.models import ScheduleChange, Zone
from civicdesk.schedules.recurrence import Change, Rule
from tests.schedules.conftest import WEST

THANKSGIVING = Change(date(2026, 11, 26), date(2026, 11, 28), 1, "Thanksgiving")


def dates(rule, start, end, changes=()):
    return [d.date for d in recurrence.days(rule, start, end, list(changes))]


def test_weekly_on_a_weekday():
    assert dates(Rule("weekly", 1), date(2026, 12, 1), date(2026, 12, 22)) == [
        date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15), date(2026, 12, 22)]


def test_every_other_week_keeps_to_its_anchor_weeks():
    rule = Rule("biweekly", 2, anchor=date(2026, 1, 7))
    assert dates(rule, date(2026, 12, 1), date(2026, 12, 31)) == [date(2026, 12, 9), date(2026, 12, 23)]
    # the other half of the city, anchored a week later
    other = Rule("biweekly", 2, anchor=date(2026, 1, 14))
    assert dates(other, date(2026, 12, 1), date(2026, 12, 31)) == [date(2026, 12, 2), date(2026, 12, 16),
                                                                   date(2026, 12, 30)]


def test_first_tuesday_and_last_friday_of_the_month():
    assert dates(Rule("monthly", 1, nth=1), date(2026, 12, 1), date(2027, 2, 28)) == [
        date(2026, 12, 1), date(2027, 1, 5), date(2027, 2, 2)]
    assert dates(Rule("monthly", 4, nth=-1), date(2026, 12, 1), date(2027, 1, 31)) == [
        date(2026, 12, 25), date(2027, 1, 29)]


def test_a_season_limits_the_days_even_across_the_new_year():
    yard = Rule("weekly", 0, season_start=(4, 1), season_end=(11, 30))
    assert dates(yard, date(2026, 11, 20), date(2027, 4, 10)) == [
        date(2026, 11, 23), date(2026, 11, 30), date(2027, 4, 5)]
    winter = Rule("weekly", 0, season_start=(11, 15), season_end=(3, 15))
    got = dates(winter, date(2027, 3, 1), date(2027, 11, 30))
    assert got[:3] == [date(2027, 3, 1), date(2027, 3, 8), date(2027, 3, 15)] and got[3] == date(2027, 11, 15)


def test_the_days_after_thanksgiving_move_one_day_later_and_others_do_not():
    thursday = Rule("weekly", 3)
    friday = Rule("weekly", 4)
    wednesday = Rule("weekly", 2)
    span = (date(2026, 11, 23), date(2026, 12, 5))
    assert dates(thursday, *span, [THANKSGIVING]) == [date(2026, 11, 27), date(2026, 12, 3)]
    assert dates(friday, *span, [THANKSGIVING]) == [date(2026, 11, 28), date(2026, 12, 4)]
    assert dates(wednesday, *span, [THANKSGIVING]) == [date(2026, 11, 25), date(2026, 12, 2)]
    moved = recurrence.days(thursday, *span, [THANKSGIVING])[0]
    assert (moved.usual, moved.change) == (date(2026, 11, 26), "Thanksgiving")


def test_a_cancelled_day_is_gone():
    storm = Change(date(2026, 12, 8), date(2026, 12, 8), None, "Storm")
    assert dates(Rule("weekly", 1), date(2026, 12, 1), date(2026, 12, 15), [storm]) == [
        date(2026, 12, 1), date(2026, 12, 15)]


# --- the pages ---------------------------------------------------------------------------

@pytest.fixture
def before_thanksgiving(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 11, 23))


def test_the_schedule_for_an_address_in_english(client, riverton, before_thanksgiving):
    page = client.get("/schedules/", {"address": "1228 N Elm St"}).content.decode()
    assert "Schedule for 1228 N Elm St" in page
    assert "Next: <time datetime=\"2026-11-27\">Friday, November 27</time>" in page
    assert "Moved from Thursday, November 26 (Thanksgiving)" in page
    assert "Street sweeping" in page and "Wednesday, December 9" in page  # 2nd Wednesday
    assert "No parking 7 a.m. to 3 p.m." in page
    assert "calendar.ics?address_id=A-1" in page
    east = client.get("/schedules/", {"address_id": "A-2"}).content.decode()
    assert "Next: <time datetime=\"2026-11-23\">Monday, November 23</time>" in east
    assert "Street sweeping" not in east  # no sweeping zone there


def test_the_schedule_in_spanish(client, riverton, before_thanksgiving):
    page = client.get("/schedules/", {"address": "1228 N Elm St"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Basura" in page and "viernes, 27 de noviembre" in page
    assert "Acción de Gracias" in page
    assert "Contenedores en la acera antes de las 6 a. m." in page


def test_an_unknown_address_says_so_and_a_near_miss_suggests(client, riverton):
    page = client.get("/schedules/", {"address": "99999 Nowhere Rd"}).content.decode()
    assert "We could not find “99999 Nowhere Rd”" in page
    assert 'aria-describedby="id_address_helptext id_address-error"' in page


def test_the_calendar_feed_is_valid_icalendar_with_moved_days(client, riverton, before_thanksgiving):
    response = client.get("/schedules/calendar.ics", {"address_id": "A-1"})
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = {(str(e["summary"]), e.decoded("dtstart")) for e in cal.walk("VEVENT")}
    assert ("Trash (moved: Thanksgiving)", date(2026, 11, 27)) in events
    assert ("Trash", date(2026, 12, 3)) in events
    assert ("Street sweeping", date(2026, 12, 9)) in events
    uids = [str(e["uid"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))  # a subscribing calendar updates, never duplicates
    assert client.get("/schedules/calendar.ics", {"address": "no such place"}).status_code == 404


def test_the_printable_year_marks_each_collection_day(client, riverton):
    page = client.get("/schedules/year/", {"address_id": "A-1", "year": "2026"}).content.decode()
    assert "2026 collection calendar: 1228 N Elm St" in page
    thursdays = sum((date(2026, 1, 1) + timedelta(days=n)).weekday() == 3 for n in range(365))
    assert page.count('title="Trash"') == thursdays == 53  # one of them moved to a Friday
    assert page.count('title="Street sweeping"') == 12


def test_a_change_made_by_staff_is_seen_at_once(client, riverton, before_thanksgiving, django_capture_on_commit_callbacks):
    assert "Friday, November 27" in client.get("/schedules/", {"address_id": "A-1"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ScheduleChange.objects.all().delete()
    page = client.get("/schedules/", {"address_id": "A-1"}).content.decode()
    assert "Next: <time datetime=\"2026-11-26\">Thursday, November 26</time>" in page


def test_other_apps_read_the_schedule_through_the_api(client, riverton, before_thanksgiving):
    import json

    from civicdesk.accounts.models import Role
    from civicdesk.integrations.services import issue_key

    _key, secret = issue_key(name="City app", role=Role.AGENT, departments=[])
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/schedules", {"address_id": "A-1"}).status_code == 401
    body = client.get("/api/v1/schedules", {"address": "1228 N Elm St", "days": 14}, headers=auth).json()
    assert (body["address_id"], body["address"]) == ("A-1", "1228 N Elm St")
    trash = next(s for s in body["services"] if s["code"] == "trash")
    assert (trash["frequency"], trash["weekday"], trash["names"]["es"]) == ("weekly", 3, "Basura")
    assert trash["days"][0] == {"date": "2026-11-27", "usual": "2026-11-26", "change": "Thanksgiving"}
    assert client.get("/api/v1/schedules", {"address": "nowhere at all"}, headers=auth).status_code == 404
    assert client.get("/api/v1/schedules", {"days": 9999, "address_id": "A-1"}, headers=auth).status_code == 422
    assert "/api/v1/schedules" in json.loads(client.get("/api/v1/openapi.json").content)["paths"]


@pytest.mark.parametrize("area, ok", [
    ([WEST], True),
    ([[[["a", "b"], [1, 2], [3, 4]]]], False),
    ("not a list", False),
    ([], False),
])
def test_a_zone_area_that_is_not_polygons_is_refused_with_a_reason(riverton, area, ok):
    from django.core.exceptions import ValidationError

    zone = Zone(service=riverton["trash"], name="Test", polygons=area, weekday=0)
    if ok:
        zone.full_clean()
    else:
        with pytest.raises(ValidationError) as e:
            zone.full_clean()
        assert "polygon" in str(e.value).lower()


def test_zones_import_from_geojson_features(riverton):
    import json

    from civicdesk.schedules.services import ZoneError, import_zones

    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "North", "weekday": "friday"},
         "geometry": {"type": "Polygon", "coordinates": WEST}}]}
    [zone] = import_zones(riverton["trash"], json.dumps(doc))
    assert (zone.name, zone.weekday, zone.min_long, zone.max_long) == ("North", 4, -89.52, -89.48)
    doc["features"][0]["properties"]["weekday"] = "Caturday"
    with pytest.raises(ZoneError, match="“Caturday” is not a day of the week"):
        import_zones(riverton["trash"], json.dumps(doc))
