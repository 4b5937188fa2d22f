"""Service notices: a water shutdown for part of the city and holiday hours for all of it,
shown on the home page, on the schedule pages and case pages of addresses inside the area
(not outside), sent once to the reminder subscribers inside it in their language
(the assistant's answers: tests/assistant/test_notices.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicdesk.core.translation import save_translations
from civicdesk.schedules.models import Notice, NoticeDelivery, Subscription

pytestmark = pytest.mark.django_db(transaction=True)

INSIDE, OUTSIDE = (41.85, -89.50), (41.85, -89.46)  # A-1 (West), A-2 (East)


def notice(*, lat=None, long=None, radius_m=None, published=True, hours=(-1, 24), notify=True, **texts):
    now = timezone.now()
    n = Notice.objects.create(kind="water", lat=lat, long=long, radius_m=radius_m, published=published,
                              notify=notify, starts_at=now + timedelta(hours=hours[0]),
                              ends_at=now + timedelta(hours=hours[1]))
    save_translations(n, texts or {
        "en": {"name": "Water main repair on Elm St", "body": "Water is off near 1228 N Elm St until 6 p.m."},
        "es": {"name": "Reparación de tubería en Elm St", "body": "No hay agua cerca de 1228 N Elm St hasta las 18 h."}})
    return n


def subscribe(ref, lat, long, contact, language="en", confirmed=True, stopped=False):
    now = timezone.now()
    return Subscription.objects.create(
        address_ref=ref, address_label=ref, lat=lat, long=long, channel="email", contact=contact,
        language=language, token=f"tok-{contact}", consent_wording="yes",
        confirmed_at=now if confirmed else None, stopped_at=now if stopped else None)


def test_a_notice_for_part_of_the_city_shows_only_where_it_applies(client, riverton):
    notice(lat=INSIDE[0], long=INSIDE[1], radius_m=800)
    notice(published=False, en={"name": "Draft closure", "body": "Not yet."})
    notice(hours=(-48, -1), en={"name": "Old closure", "body": "Over."})
    home = client.get("/").content.decode()
    assert "Water main repair on Elm St" in home and "In part of the city." in home
    assert "Draft closure" not in home and "Old closure" not in home
    inside = client.get("/schedules/", {"address_id": "A-1"}).content.decode()
    assert "Water main repair on Elm St" in inside
    outside = client.get("/schedules/", {"address_id": "A-2"}).content.decode()
    assert "Water main repair on Elm St" not in outside
    spanish = client.get("/schedules/", {"address_id": "A-1"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Reparación de tubería en Elm St" in spanish and "No hay agua cerca" in spanish


def test_a_case_page_shows_the_notices_of_its_area(client, riverton, service):
    from tests.helpers import submit

    notice(lat=INSIDE[0], long=INSIDE[1], radius_m=800)
    notice(en={"name": "Holiday hours at City Hall", "body": "Closed on December 25."})  # whole city
    near = submit(service, lat=INSIDE[0], long=INSIDE[1])
    far = submit(service, lat=OUTSIDE[0], long=OUTSIDE[1])
    page = client.get(f"/requests/{near.public_id}/").content.decode()
    assert "Notices for this area" in page and "Water main repair on Elm St" in page
    assert "Holiday hours at City Hall" not in page  # the home page's, not every case's
    assert "Water main repair" not in client.get(f"/requests/{far.public_id}/").content.decode()


def test_publishing_sends_it_once_to_the_subscribers_inside_in_their_language(riverton, smtp, run_worker):
    subscribe("A-1", *INSIDE, "in@example.org")
    subscribe("A-1", *INSIDE, "es@example.org", language="es")
    subscribe("A-2", *OUTSIDE, "out@example.org")
    subscribe("A-1", *INSIDE, "unconfirmed@example.org", confirmed=False)
    subscribe("A-1", *INSIDE, "stopped@example.org", stopped=True)
    draft = notice(lat=INSIDE[0], long=INSIDE[1], radius_m=800, published=False)
    run_worker()
    assert smtp.messages == []  # a draft goes to nobody
    draft.published = True
    draft.save()
    run_worker()
    assert sorted(m["to"][0] for m in smtp.messages) == ["es@example.org", "in@example.org"]
    [english] = smtp.to("in@example.org")
    assert "Water main repair on Elm St" in english["subject"]
    assert "Water is off near 1228 N Elm St" in english["body"] and "/schedules/remind/stop/" in english["body"]
    [spanish] = smtp.to("es@example.org")
    assert "Reparación de tubería en Elm St" in spanish["subject"] and spanish["language"] == "es"
    draft.save()  # an edit: nobody hears it twice
    run_worker()
    assert len(smtp.messages) == 2 and NoticeDelivery.objects.count() == 2


def test_a_notice_that_is_not_to_be_sent_is_only_shown(riverton, smtp, run_worker, client):
    subscribe("A-1", *INSIDE, "in@example.org")
    notice(notify=False, lat=INSIDE[0], long=INSIDE[1], radius_m=800)
    run_worker()
    assert smtp.messages == []
    assert "Water main repair on Elm St" in client.get("/").content.decode()


def test_an_area_notice_needs_a_whole_circle_and_an_end_after_its_start():
    from django.core.exceptions import ValidationError

    now = timezone.now()
    bad = Notice(kind="road", lat=41.8, radius_m=None, starts_at=now, ends_at=now - timedelta(hours=1))
    with pytest.raises(ValidationError) as e:
        bad.clean()
    assert set(e.value.message_dict) == {"ends_at", "radius_m"}
