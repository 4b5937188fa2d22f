"""Figures from the daily rollups equal the figures from the raw tables (medians within the
histogram's 7%), and the rollups follow changes when rebuilt."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from civicdesk.surveys import figures, rollups
from tests.surveys.test_figures import chats, check_chat_figures, data, period  # noqa: F401

pytestmark = pytest.mark.django_db


def both(fn, f, settings):
    settings.CIVICDESK_FIGURES_ROLLUPS = False
    cache.clear()
    live = fn(f)
    settings.CIVICDESK_FIGURES_ROLLUPS = True
    cache.clear()
    rolled = fn(f)
    return live, rolled


def test_rollups_match_the_raw_tables(data, settings):  # noqa: F811
    today = timezone.localdate()
    assert rollups.rebuild(today - timedelta(days=250), today) > 0
    for f in (period(), period(department=data["d1"].pk), period(channel="web")):
        live, rolled = both(figures.experience, f, settings)
        for key in ("responses", "items", "csat", "effort", "nps", "cx_index"):
            assert rolled[key] == live[key], key
        assert [w["responses"] for w in rolled["trend"]] == [w["responses"] for w in live["trend"]]
        assert [(d["driver"], d["n"]) for d in rolled["drivers"]] == [(d["driver"], d["n"]) for d in live["drivers"]]
        for a, b in zip(rolled["drivers"], live["drivers"], strict=True):
            assert a["r"] == (None if b["r"] is None else pytest.approx(b["r"], abs=1e-9)), a["driver"]
        live, rolled = both(figures.operations, f, settings)
        for key in ("opened", "resolved", "on_time", "backlog", "overdue"):
            assert rolled[key] == live[key], key
        for key in ("resolve_median_h", "resolve_p90_h"):
            if live[key] is None:
                assert rolled[key] is None
            else:
                assert rolled[key] == pytest.approx(live[key], rel=0.07), key
    live, rolled = both(figures.departments, period(), settings)
    for a, b in zip(live["rows"], rolled["rows"], strict=True):
        assert (a["department"], a["responses"], a["satisfaction"], a["opened"], a["on_time"]) == (
            b["department"], b["responses"], b["satisfaction"], b["opened"], b["on_time"])
        assert a["overdue"] == b["overdue"]


def test_chat_figures_from_rollups(chats, settings):  # noqa: F811
    settings.CIVICDESK_FIGURES_ROLLUPS = True
    today = timezone.localdate()
    rollups.rebuild(today - timedelta(days=5), today)
    cache.clear()
    check_chat_figures(chats, lambda v: pytest.approx(v, rel=0.07))  # the histogram's precision


def test_histogram_percentiles():
    hist = {}
    for hours in [1, 2, 3, 4, 100]:
        hist[rollups.bucket(hours)] = hist.get(rollups.bucket(hours), 0) + 1
    assert rollups.histogram_percentile(hist, 50) == pytest.approx(3, rel=0.07)
    assert rollups.histogram_percentile({}, 50) is None


def test_an_empty_slice_has_zeros_not_an_error(data, settings):  # noqa: F811
    settings.CIVICDESK_FIGURES_ROLLUPS = True
    f = period(department=data["d1"].pk, channel="sms")  # nothing there
    assert figures.operations(f)["opened"] == 0 and figures.operations(f)["resolve_median_h"] is None
    assert figures.experience(f)["responses"] == 0 and figures.experience(f)["cx_index"] is None
    assert figures.departments(f)["rows"]
