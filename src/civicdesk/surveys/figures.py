"""The CX dashboard's and the public performance page's figures.

Every figure is computed by the database (counts, sums, averages) or from one column of
values (medians, percentiles), for a period and a filter; results are cached for
CIVICDESK_FIGURES_TTL seconds and carry the time they were computed, which the pages show.

Definitions (docs/cx.md):
- "agree" on a 5-point item = 4 or 5; the share agreeing has a 95% Wilson interval;
- CSAT = share of 4 or 5 on the 1-5 satisfaction item; effort = share agreeing;
- NPS = % of 9-10 minus % of 0-6 on the 0-10 item;
- CX index = the mean share agreeing over the A-11 items answered in the period
  (satisfaction, trust and the six drivers), times 100;
- response rate = responses with at least one answer / invitations sent;
- time to resolve = resolved_at - submitted_at of requests resolved in the period;
- on time = resolved at or before the SLA due time;
- chat wait = first agent message - conversation start; handling = close - start;
- first-contact resolution = closed conversations whose resolution is "answered" or
  "request filed", over all closed conversations;
- resolved by the assistant = chat conversations the assistant answered that never went to
  a queue, over chat conversations with a resident message.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Min,
    Q,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from civicdesk.core import text
from civicdesk.core.models import by_display_name

from .models import Invitation, Response

AGREE_ITEMS = ["satisfaction", "trust", "effectiveness", "ease", "efficiency", "transparency",
               "helpfulness", "equity"]
DRIVERS = AGREE_ITEMS[2:]


@dataclass
class Filters:
    start: date
    end: date  # inclusive
    department: int | None = None
    service: int | None = None
    channel: str = ""
    agent: int | None = None

    def key(self) -> str:
        return hashlib.sha1(json.dumps(self.__dict__, default=str, sort_keys=True).encode()).hexdigest()

    @property
    def start_dt(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, datetime.min.time()))

    @property
    def end_dt(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), datetime.min.time()))


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    if n == 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def share(k: int, n: int) -> dict:
    return {"agree": k, "n": n, "share": k / n if n else None, "ci": wilson(k, n)}


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    rank = (len(values) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return values[low] + (values[high] - values[low]) * (rank - low)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 3:
        return None
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:  # no variation
        return None


class _Percentile(Aggregate):
    """PostgreSQL's percentile_cont over an interval in hours (ordered-set aggregate)."""

    function = "percentile_cont"
    template = "%(function)s(%(p)s) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)"
    output_field = FloatField()

    def __init__(self, expression, p, **extra):
        super().__init__(expression, p=p, **extra)


def duration_percentiles(qs, start_field: str, end_field: str, ps=(50, 90), group: str | None = None):
    """Percentiles of (end - start) in hours: in SQL on PostgreSQL, else in Python.
    With `group`, a dict group value -> [percentiles]."""
    if connection.vendor == "postgresql":
        expr = ExpressionWrapper(F(end_field) - F(start_field), output_field=DurationField())
        aggs = {f"p{p}": _Percentile(expr, p / 100) for p in ps}
        if group:
            return {row[group]: [row[f"p{p}"] for p in ps]
                    for row in qs.values(group).annotate(**aggs)}
        row = qs.aggregate(**aggs)
        return [row[f"p{p}"] for p in ps]
    if group:
        values: dict = {}
        for g, a, b in qs.values_list(group, start_field, end_field).iterator(chunk_size=5000):
            if a and b and b >= a:
                values.setdefault(g, []).append((b - a).total_seconds() / 3600)
        return {g: [percentile(v, p) for p in ps] for g, v in values.items()}
    hours = _hours(qs.values_list(start_field, end_field).iterator(chunk_size=5000))
    return [percentile(hours, p) for p in ps]


def _sliced(qs, f: Filters, agent_field: str, service: bool = True):
    """Apply the filter's department, service, channel and agent to a queryset."""
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.service and service:
        qs = qs.filter(service_id=f.service)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.agent:
        qs = qs.filter(**{f"{agent_field}_id": f.agent})
    return qs


def _responses(f: Filters):
    return _sliced(Response.objects.filter(created_at__gte=f.start_dt, created_at__lt=f.end_dt),
                   f, "agent")


def _requests(f: Filters):
    from civicdesk.cases.models import ServiceRequest

    return _sliced(ServiceRequest.objects.all(), f, "assigned_to")


def _cached(name: str, f: Filters, compute, refresh: bool = False):
    key = f"figures:{name}:{f.key()}"
    hit = None if refresh else cache.get(key)
    if hit is not None:
        return hit
    value = compute()
    value["computed_at"] = timezone.now()
    # Precomputed views (refresh_defaults) outlive the interval between two refreshes.
    ttl = 3 * 60 * settings.CIVICDESK_FIGURES_REFRESH_MINUTES if refresh else settings.CIVICDESK_FIGURES_TTL
    cache.set(key, value, ttl)
    return value


def default_filters(department: int | None = None) -> Filters:
    today = timezone.localdate()
    return Filters(start=today - timedelta(days=89), end=today, department=department)


def refresh_defaults() -> None:
    """Recompute the views most people open (the worker runs this on a schedule)."""
    from civicdesk.catalog.models import Department

    from . import rollups

    last_full = cache.get("rollups:full")
    today = timezone.localdate()
    if last_full != today:  # once a day: the last 35 days, for requests that changed since
        rollups.rebuild(today - timedelta(days=34), today)
        cache.set("rollups:full", today, 2 * 86400)
    else:
        rollups.rebuild_recent(2)
    cache.set("figures:public", _public(), 3 * 60 * settings.CIVICDESK_FIGURES_REFRESH_MINUTES)
    _open_now_rows(refresh=True)
    for dept in [None, *Department.objects.values_list("pk", flat=True)]:
        f = default_filters(dept)
        _cached("experience", f, lambda f=f: _experience(f), refresh=True)
        _cached("operations", f, lambda f=f: _operations(f), refresh=True)
        if dept is None:
            _cached("departments", f, lambda f=f: _departments(f), refresh=True)


def experience(f: Filters) -> dict:
    return _cached("experience", f, lambda: _experience(f))


def _use_rollups(f: Filters) -> bool:
    from . import rollups

    return settings.CIVICDESK_FIGURES_ROLLUPS and rollups.usable(f)


def _experience(f: Filters) -> dict:
    qs = _responses(f)
    if _use_rollups(f):
        from . import rollups

        row = rollups.response_counts(f)
        return _experience_from(row, f, rollups.response_weeks(f), _strongest_first(rollups.correlations(f)))
    agg = {}
    for item in AGREE_ITEMS:
        agg[f"{item}_n"] = Count("id", filter=Q(**{f"{item}__isnull": False}))
        agg[f"{item}_k"] = Count("id", filter=Q(**{f"{item}__gte": 4}))
    agg.update(
        responses=Count("id"),
        csat_n=Count("id", filter=Q(csat__isnull=False)), csat_k=Count("id", filter=Q(csat__gte=4)),
        effort_n=Count("id", filter=Q(effort__isnull=False)), effort_k=Count("id", filter=Q(effort__gte=4)),
        nps_n=Count("id", filter=Q(nps__isnull=False)), nps_promoters=Count("id", filter=Q(nps__gte=9)),
        nps_detractors=Count("id", filter=Q(nps__lte=6)),
    )
    return _experience_from(qs.aggregate(**agg), f, trend(qs), drivers(qs))


def _experience_from(row, f: Filters, weeks, driver_rows) -> dict:
    row = {k: row.get(k, 0) for k in [*(f"{i}_{x}" for i in AGREE_ITEMS for x in "nk"), "responses",
                                      "csat_n", "csat_k", "effort_n", "effort_k", "nps_n",
                                      "nps_promoters", "nps_detractors"]}
    items = {item: share(row[f"{item}_k"], row[f"{item}_n"]) for item in AGREE_ITEMS}
    answered = [v["share"] for v in items.values() if v["share"] is not None]
    invitations = Invitation.objects.filter(created_at__gte=f.start_dt, created_at__lt=f.end_dt,
                                            sent_at__isnull=False)
    if f.department:
        invitations = invitations.filter(Q(request__department_id=f.department)
                                         | Q(conversation__department_id=f.department))
    if f.service:
        invitations = invitations.filter(request__service_id=f.service)
    if f.channel:
        invitations = invitations.filter(channel=f.channel)
    sent = invitations.count()
    answered_invitations = invitations.filter(response__isnull=False).count()
    nps_n = row["nps_n"]
    return {
        "responses": row["responses"],
        "invitations": sent,
        "response_rate": answered_invitations / sent if sent else None,
        "items": items,
        "csat": share(row["csat_k"], row["csat_n"]),
        "effort": share(row["effort_k"], row["effort_n"]),
        "nps": {"n": nps_n, "score": (100 * (row["nps_promoters"] - row["nps_detractors"]) / nps_n)
                if nps_n else None},
        "cx_index": 100 * sum(answered) / len(answered) if answered else None,
        "drivers": driver_rows,
        "trend": weeks,
    }


def drivers(qs) -> list[dict]:
    """Which driver moves trust the most: Pearson correlation with the trust item, over
    responses that answered both, strongest first."""
    # The 20,000 most recent answers are plenty for a correlation and keep this fast.
    rows = list(qs.filter(trust__isnull=False).order_by("-created_at").values_list("trust", *DRIVERS)[:20000])
    out = []
    for i, name in enumerate(DRIVERS, start=1):
        pairs = [(r[0], r[i]) for r in rows if r[i] is not None]
        r = pearson([p[1] for p in pairs], [p[0] for p in pairs])
        out.append({"driver": name, "n": len(pairs), "r": r})
    return _strongest_first(out)


def _strongest_first(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda d: -(d["r"] if d["r"] is not None else -2))


def trend(qs) -> list[dict]:
    weeks = (qs.annotate(week=TruncWeek("created_at")).values("week")
             .annotate(n=Count("id"), sat_n=Count("id", filter=Q(satisfaction__isnull=False)),
                       sat_k=Count("id", filter=Q(satisfaction__gte=4)),
                       trust_n=Count("id", filter=Q(trust__isnull=False)),
                       trust_k=Count("id", filter=Q(trust__gte=4)))
             .order_by("week"))
    return [{"week": w["week"].date() if hasattr(w["week"], "date") else w["week"], "responses": w["n"],
             "satisfaction": w["sat_k"] / w["sat_n"] if w["sat_n"] else None,
             "trust": w["trust_k"] / w["trust_n"] if w["trust_n"] else None} for w in weeks]


def operations(f: Filters) -> dict:
    return _cached("operations", f, lambda: _operations(f))


def _hours(pairs) -> list[float]:
    return [(b - a).total_seconds() / 3600 for a, b in pairs if a and b and b >= a]


def _operations(f: Filters) -> dict:
    from civicdesk.cases.models import OPEN_STATUSES
    from civicdesk.conversations.models import Conversation, Message

    if _use_rollups(f):
        from . import rollups

        r = rollups.request_figures(f)
        c = rollups.conversation_figures(f)
        backlog, overdue = _open_now(f)
        return {
            "opened": r["opened"], "resolved": r["resolved"],
            "resolve_median_h": r["median"], "resolve_p90_h": r["p90"],
            "on_time": share(r["on_time"], r["resolved"]),
            "backlog": backlog, "overdue": overdue,
            "chat_wait_median_min": c["wait_median_min"],
            "chat_handling_median_min": c["handling_median_min"],
            "first_contact_resolution": share(c["first_contact"], c["closed"]),
            "assistant_resolved": share(c["by_assistant"], c["chats"]),
        }
    # An agent filter: the source tables (rollups have no agent).
    reqs = _requests(f)
    opened = reqs.filter(submitted_at__gte=f.start_dt, submitted_at__lt=f.end_dt).count()
    resolved = reqs.filter(resolved_at__gte=f.start_dt, resolved_at__lt=f.end_dt)
    counts = resolved.aggregate(n=Count("id"), on_time=Count("id", filter=Q(resolved_at__lte=F("sla_due_at"))))
    median, p90 = duration_percentiles(resolved, "submitted_at", "resolved_at", (50, 90))
    backlog = reqs.filter(status__in=OPEN_STATUSES)
    convs = _sliced(Conversation.objects.filter(created_at__gte=f.start_dt, created_at__lt=f.end_dt),
                    f, "assigned_to", service=False)
    waits = _hours(convs.annotate(first_agent=Min("messages__created_at",
                                                  filter=Q(messages__sender=Message.Sender.AGENT)))
                   .filter(first_agent__isnull=False).values_list("created_at", "first_agent"))
    handling = _hours(convs.filter(closed_at__isnull=False).values_list("created_at", "closed_at"))
    closed = convs.filter(state=Conversation.State.CLOSED)
    n_closed = closed.count()
    from .rollups import FIRST_CONTACT

    fcr = closed.filter(resolution_code__in=FIRST_CONTACT).count()
    chats = convs.filter(channel=Conversation.Channel.CHAT,
                         messages__sender=Message.Sender.RESIDENT).distinct()
    n_chats = chats.count()
    by_assistant = chats.filter(messages__sender=Message.Sender.ASSISTANT).exclude(
        messages__sender__in=[Message.Sender.AGENT, Message.Sender.NOTE]).distinct().count()
    return {
        "opened": opened, "resolved": counts["n"],
        "resolve_median_h": median, "resolve_p90_h": p90,
        "on_time": share(counts["on_time"], counts["n"]),
        "backlog": backlog.count(), "overdue": backlog.filter(sla_due_at__lt=timezone.now()).count(),
        "chat_wait_median_min": _minutes(percentile(waits, 50)),
        "chat_handling_median_min": _minutes(percentile(handling, 50)),
        "first_contact_resolution": share(fcr, n_closed),
        "assistant_resolved": share(by_assistant, n_chats),
    }


def _open_now_rows(refresh: bool = False) -> list[tuple]:
    """(department, service, channel, open, overdue) for the requests open now: one scan
    of the open requests, cached and refreshed like the figures, so any filter sums a few
    hundred rows."""
    from civicdesk.cases.models import OPEN_STATUSES, ServiceRequest

    def compute():
        rows = (ServiceRequest.objects.filter(status__in=OPEN_STATUSES)
                .values_list("department_id", "service_id", "channel")
                .annotate(n=Count("id"), late=Count("id", filter=Q(sla_due_at__lt=timezone.now())))
                .order_by())
        return {"rows": list(rows)}

    return _cached("open_now", Filters(date.min, date.min), compute, refresh=refresh)["rows"]


def _open_now(f: Filters, by_department: bool = False):
    """Open now and overdue now for the filter's department, service and channel (the period
    does not apply: these are today's figures); per department with `by_department`."""
    totals: dict = {}
    for dept, svc, channel, n, late in _open_now_rows():
        if (f.department and dept != f.department) or (f.service and svc != f.service) \
                or (f.channel and channel != f.channel):
            continue
        key = dept if by_department else None
        a, b = totals.get(key, (0, 0))
        totals[key] = (a + n, b + late)
    return totals if by_department else totals.get(None, (0, 0))


def _minutes(hours: float | None) -> float | None:
    return None if hours is None else hours * 60


def departments(f: Filters) -> dict:
    # Every department side by side: the department and service filters do not apply, so
    # one cached result serves them all.
    everyone = Filters(f.start, f.end, channel=f.channel)
    return _cached("departments", everyone, lambda: _departments(everyone))


def _departments(f: Filters) -> dict:
    from civicdesk.cases.models import OPEN_STATUSES
    from civicdesk.catalog.models import Department

    everyone = Filters(f.start, f.end, channel=f.channel)
    reqs = _requests(everyone)
    if _use_rollups(everyone):
        from . import rollups

        by_dept = {d: {"n": c["responses"], "sat_n": c["satisfaction_n"], "sat_k": c["satisfaction_k"],
                       "trust_n": c["trust_n"], "trust_k": c["trust_k"]}
                   for d, c in rollups.response_counts(everyone, group="department_id").items()}
        r = rollups.request_figures(everyone, group="department_id")
        opened = {d: v["opened"] for d, v in r.items()}
        on_time = {d: {"n": v["resolved"], "k": v["on_time"]} for d, v in r.items()}
        medians = {d: [v["median"]] for d, v in r.items()}
    else:
        exp = (_responses(everyone).values("department")
               .annotate(n=Count("id"), sat_n=Count("id", filter=Q(satisfaction__isnull=False)),
                         sat_k=Count("id", filter=Q(satisfaction__gte=4)),
                         trust_n=Count("id", filter=Q(trust__isnull=False)),
                         trust_k=Count("id", filter=Q(trust__gte=4))))
        by_dept = {r["department"]: r for r in exp}
        opened = dict(reqs.filter(submitted_at__gte=f.start_dt, submitted_at__lt=f.end_dt)
                      .values("department").annotate(n=Count("id")).values_list("department", "n"))
        resolved = reqs.filter(resolved_at__gte=f.start_dt, resolved_at__lt=f.end_dt)
        on_time = {r["department"]: r for r in resolved.values("department").annotate(
            n=Count("id"), k=Count("id", filter=Q(resolved_at__lte=F("sla_due_at"))))}
        medians = duration_percentiles(resolved, "submitted_at", "resolved_at", (50,), group="department")
    if _use_rollups(everyone):
        overdue = {d: late for d, (_n, late) in _open_now(everyone, by_department=True).items()}
    else:
        overdue = dict(reqs.filter(status__in=OPEN_STATUSES, sla_due_at__lt=timezone.now())
                       .values("department").annotate(n=Count("id")).values_list("department", "n"))
    rows = []
    empty = {"n": 0, "sat_n": 0, "sat_k": 0, "trust_n": 0, "trust_k": 0}
    for d in by_display_name(Department.objects.prefetch_related("translations")):
        e = by_dept.get(d.pk, empty)
        t = on_time.get(d.pk, {"n": 0, "k": 0})
        rows.append({"department": d.display_name, "responses": e["n"],
                     "satisfaction": share(e["sat_k"], e["sat_n"]),
                     "trust": share(e["trust_k"], e["trust_n"]),
                     "resolve_median_h": (medians.get(d.pk) or [None])[0],
                     "on_time": share(t["k"], t["n"]),
                     "opened": opened.get(d.pk, 0), "overdue": overdue.get(d.pk, 0)})
    sats = [r["satisfaction"]["share"] for r in rows if r["satisfaction"]["share"] is not None]
    return {"rows": rows, "gap": (max(sats) - min(sats)) if len(sats) > 1 else None}


def _agency_words() -> frozenset[str]:
    """The agency's and the city's own names in every language: in nearly every comment,
    never a theme."""
    names = [settings.CIVICDESK_AGENCY_NAME, settings.CIVICDESK_CITY_NAME,
             *getattr(settings, "CIVICDESK_AGENCY_NAMES", {}).values()]
    return frozenset(w for name in names for w in text.words(name))


CLAUSE = re.compile(r"[.,;:!?()\[\]\n\"“”«»¿¡。，；：！？、]+")


def _theme_tokens(comment: str, language: str, noise: frozenset[str]) -> list[tuple[str, str, bool] | None]:
    """The comment's words as (folded, as written, content word?): False for a stop word,
    which a phrase may have in its middle ("recolección de basura"); None for what a phrase
    never crosses: punctuation, a number, the agency's name."""
    stop = text.stop_words(language) | text.stop_words("en")
    out: list[tuple[str, str, bool] | None] = []
    for clause in CLAUSE.split(comment.lower()):
        for raw in text.WORD.findall(clause):
            for piece in text.words(raw):
                if piece.isdigit() or (piece in noise and piece not in stop):
                    out.append(None)
                    continue
                written = raw if piece == text.fold(raw) else piece
                content = piece not in stop and (len(piece) > 2 or bool(text.CJK.match(piece)))
                out.append((piece, written, content))
        out.append(None)
    return out


def themes(comments, limit: int = 15) -> list[dict]:
    """Frequent themes of free-text comments: phrases of two words (with at most one stop
    word between them, kept as written) said in at least two comments, then single words not
    already inside a phrase shown; stop words of each comment's own language (and English,
    often mixed in), numbers and the agency's names left out. Each theme carries the words as
    residents wrote them most often, to search the comments with."""
    noise = _agency_words()
    words, pairs = Counter(), Counter()
    written: dict[str, Counter] = {}
    for comment, language in comments:
        toks = _theme_tokens(comment, language, noise)
        seen_words, seen_pairs = set(), set()
        for i, tok in enumerate(toks):
            if tok is None or not tok[2]:
                continue
            seen_words.add(tok[0])
            written.setdefault(tok[0], Counter())[tok[1]] += 1
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            middle = ""
            if nxt is not None and not nxt[2] and i + 2 < len(toks):  # one stop word between
                middle, nxt = nxt[1] + " ", toks[i + 2]
            if nxt is not None and nxt[2]:
                key = f"{tok[0]} {nxt[0]}"
                seen_pairs.add(key)
                written.setdefault(key, Counter())[f"{tok[1]} {middle}{nxt[1]}"] += 1
        words.update(seen_words)
        pairs.update(seen_pairs)
    shown = [p for p, n in pairs.most_common(8) if n > 1]
    out = [{"phrase": written[p].most_common(1)[0][0], "count": pairs[p]} for p in shown]
    inside = {w for p in shown for w in p.split()}
    out += [{"phrase": written[w].most_common(1)[0][0], "count": n} for w, n in words.most_common(limit + len(inside))
            if n > 1 and w not in inside]
    return out[:limit]


def comments(f: Filters, q: str = "", limit: int = 50) -> dict:
    qs = (_responses(f).exclude(comment="").select_related("service", "department")
          .prefetch_related("service__translations"))
    if q:
        qs = qs.filter(comment__icontains=q[:100])
    recent = list(qs.order_by("-created_at")[:limit])
    return {"recent": recent, "themes": themes(qs.values_list("comment", "language")[:5000]), "total": qs.count()}


def public_performance() -> dict:
    return cache.get_or_set("figures:public", _public, settings.CIVICDESK_FIGURES_TTL)


def _public() -> dict:
    from civicdesk.cases.models import ServiceRequest
    from civicdesk.catalog.models import Service

    now = timezone.now()
    since = now - timedelta(days=90)
    if settings.CIVICDESK_FIGURES_ROLLUPS:
        from . import rollups

        today = timezone.localdate()
        r = rollups.request_figures(Filters(start=today - timedelta(days=89), end=today), group="service_id")
        received = {s: v["opened"] for s, v in r.items()}
        counts = {s: {"n": v["resolved"], "k": v["on_time"]} for s, v in r.items()}
        medians = {s: [v["median"]] for s, v in r.items()}
    else:
        received = dict(ServiceRequest.objects.filter(submitted_at__gte=since).values("service")
                        .annotate(n=Count("id")).values_list("service", "n"))
        resolved = ServiceRequest.objects.filter(resolved_at__gte=since)
        counts = {r["service"]: r for r in resolved.values("service").annotate(
            n=Count("id"), k=Count("id", filter=Q(resolved_at__lte=F("sla_due_at"))))}
        medians = duration_percentiles(resolved, "submitted_at", "resolved_at", (50,), group="service")
    sat = Response.objects.filter(created_at__gte=since).aggregate(
        n=Count("id", filter=Q(satisfaction__isnull=False) | Q(csat__isnull=False)),
        k=Count("id", filter=Q(satisfaction__gte=4) | Q(csat__gte=4)))
    rows = []
    for s in sorted(Service.objects.active().select_related("department")
                    .prefetch_related("translations", "department__translations"),
                    key=lambda s: (s.department.display_name.casefold(), s.display_name.casefold())):
        c = counts.get(s.pk, {"n": 0, "k": 0})
        median_h = (medians.get(s.pk) or [None])[0]
        rows.append({"service": s, "received": received.get(s.pk, 0), "resolved": c["n"],
                     "median_days": median_h / 24 if median_h is not None else None,
                     "on_time": c["k"] / c["n"] if c["n"] else None})
    minimum = settings.CIVICDESK_PUBLIC_MIN_ANSWERS
    return {"rows": rows, "since": since, "computed_at": now, "minimum": minimum,
            "satisfaction": share(sat["k"], sat["n"]) if sat["n"] >= minimum else None,
            "satisfaction_n": sat["n"]}
