"""Daily rollups: what the dashboard reads instead of scanning a million rows.

`rebuild(first, last)` recomputes the rows of those days (local dates) from the source
tables; the worker's figures refresh rebuilds today and yesterday every
CIVICDESK_FIGURES_REFRESH_MINUTES, the nightly run the last 35 days (so a request that
leaves "resolved" again is corrected), and `manage rebuild_rollups --days N` backfills.

Counts, shares and the driver correlations read from rollups are exact. Hours to resolve,
chat waits and handling times are kept as histograms with geometric buckets 7% wide, so
medians and percentiles from rollups are within about 7%; the database adds the histograms
up (json_each / jsonb_each_text), so a 90-day view reads a few thousand small rows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncWeek
from django.utils import timezone

from .models import DRIVER_FIELDS, MOMENTS, ConversationDay, RequestDay, Response, ResponseDay

ITEMS = ["satisfaction", "trust", "effectiveness", "ease", "efficiency", "transparency",
         "helpfulness", "equity", "csat", "effort"]
LOW, RATIO = 0.05, 1.07  # first bucket edge (hours) and the growth between edges


def bucket(hours: float) -> int:
    return 0 if hours <= LOW else int(math.log(hours / LOW, RATIO)) + 1


def bucket_value(index: int) -> float:
    """A bucket's representative hours: the geometric middle of its edges."""
    if index == 0:
        return LOW / 2
    return LOW * RATIO ** (index - 0.5)


def histogram_percentile(hist: dict[int, int], p: float) -> float | None:
    """The p-th percentile with linear interpolation between ranks (as the live query's
    percentile_cont), each value read as its bucket's middle."""
    total = sum(hist.values())
    if not total:
        return None
    order = sorted(hist)

    def value_at(rank: int) -> float:
        seen = 0
        for index in order:
            seen += hist[index]
            if seen > rank:
                return bucket_value(index)
        return bucket_value(order[-1])

    rank = (total - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    a, b = value_at(low), value_at(high)
    return a + (b - a) * (rank - low)


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), datetime.min.time()))
    return start, end


@transaction.atomic
def rebuild(first: date, last: date) -> int:
    """Recompute the rollup rows of the days first..last; returns how many rows were written."""
    from civicdesk.cases.models import ServiceRequest

    start, end = _bounds(first, last)
    ResponseDay.objects.filter(day__gte=first, day__lte=last).delete()
    RequestDay.objects.filter(day__gte=first, day__lte=last).delete()
    ConversationDay.objects.filter(day__gte=first, day__lte=last).delete()
    aggs = {"n": Count("id"), "nps_n": Count("id", filter=Q(nps__isnull=False)),
            "nps_promoters": Count("id", filter=Q(nps__gte=9)),
            "nps_detractors": Count("id", filter=Q(nps__lte=6))}
    for item in ITEMS:
        aggs[f"{item}_n"] = Count("id", filter=Q(**{f"{item}__isnull": False}))
        aggs[f"{item}_k"] = Count("id", filter=Q(**{f"{item}__gte": 4}))
    for driver in DRIVER_FIELDS:  # x the driver, y trust, over responses that answered both
        both = Q(**{f"{driver}__isnull": False}, trust__isnull=False)
        x, y = F(driver), F("trust")
        for moment, expr in zip(MOMENTS, ["id", x, y, x * x, y * y, x * y], strict=True):
            agg = Count(expr, filter=both) if moment == "n" else Coalesce(Sum(expr, filter=both), 0)
            aggs[f"r_{driver}_{moment}"] = agg
    rows = []
    for r in (Response.objects.filter(created_at__gte=start, created_at__lt=end)
              .annotate(day=TruncDate("created_at")).values("day", "department_id", "service_id", "channel")
              .annotate(**aggs)):
        counts = {k: v for k, v in r.items() if k not in ("day", "department_id", "service_id", "channel", "n")}
        rows.append(ResponseDay(day=r["day"], department_id=r["department_id"] or 0,
                                service_id=r["service_id"] or 0, channel=r["channel"], responses=r["n"],
                                **counts))
    ResponseDay.objects.bulk_create(rows, batch_size=2000)

    requests: dict[tuple, RequestDay] = {}

    def row(day, dept, svc, channel) -> RequestDay:
        key = (day, dept, svc, channel)
        if key not in requests:
            requests[key] = RequestDay(day=day, department_id=dept, service_id=svc, channel=channel)
        return requests[key]

    for r in (ServiceRequest.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
              .annotate(day=TruncDate("submitted_at")).values("day", "department_id", "service_id", "channel")
              .annotate(n=Count("id"))):
        row(r["day"], r["department_id"], r["service_id"], r["channel"]).opened = r["n"]
    hists: dict[tuple, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for day, dept, svc, channel, submitted, resolved, due in (
            ServiceRequest.objects.filter(resolved_at__gte=start, resolved_at__lt=end)
            .annotate(day=TruncDate("resolved_at"))
            .values_list("day", "department_id", "service_id", "channel", "submitted_at", "resolved_at",
                         "sla_due_at").iterator(chunk_size=5000)):
        rd = row(day, dept, svc, channel)
        rd.resolved += 1
        rd.on_time += bool(due and resolved <= due)
        hists[(day, dept, svc, channel)][bucket(max(0.0, (resolved - submitted).total_seconds() / 3600))] += 1
    for key, hist in hists.items():
        requests[key].hours = {str(k): v for k, v in hist.items()}
    RequestDay.objects.bulk_create(requests.values(), batch_size=2000)
    return len(rows) + len(requests) + _rebuild_conversations(start, end)


def _rebuild_conversations(start: datetime, end: datetime) -> int:
    from civicdesk.conversations.models import Conversation, Message

    S = Message.Sender
    sent = Message.objects.filter(conversation=OuterRef("pk"))
    days: dict[tuple, ConversationDay] = {}
    for day, dept, channel, state, code, created, closed, first_agent, resident, assistant, staff in (
            Conversation.objects.filter(created_at__gte=start, created_at__lt=end)
            .annotate(day=TruncDate("created_at"),
                      first_agent=Subquery(sent.filter(sender=S.AGENT).order_by("created_at")
                                           .values("created_at")[:1]),
                      from_resident=Exists(sent.filter(sender=S.RESIDENT)),
                      from_assistant=Exists(sent.filter(sender=S.ASSISTANT)),
                      from_staff=Exists(sent.filter(sender__in=[S.AGENT, S.NOTE])))
            .values_list("day", "department_id", "channel", "state", "resolution_code", "created_at",
                         "closed_at", "first_agent", "from_resident", "from_assistant", "from_staff")
            .order_by().iterator(chunk_size=5000)):
        key = (day, dept or 0, channel)
        if key not in days:
            days[key] = ConversationDay(day=day, department_id=dept or 0, channel=channel)
        row = days[key]
        row.conversations += 1
        if state == Conversation.State.CLOSED:
            row.closed += 1
            row.first_contact += code in FIRST_CONTACT
        if channel == Conversation.Channel.CHAT and resident:
            row.chats += 1
            row.by_assistant += assistant and not staff
        for column, until in (("wait_minutes", first_agent), ("handling_minutes", closed)):
            if until and until >= created:
                hist = getattr(row, column)
                b = str(bucket((until - created).total_seconds() / 60))
                hist[b] = hist.get(b, 0) + 1
    ConversationDay.objects.bulk_create(days.values(), batch_size=2000)
    return len(days)


FIRST_CONTACT = ("answered", "request_filed")  # resolution codes that count as first contact


def rebuild_recent(days: int = 2) -> int:
    today = timezone.localdate()
    return rebuild(today - timedelta(days=days - 1), today)


def _slice(qs, f, service: bool = True):
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.service and service:
        qs = qs.filter(service_id=f.service)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    return qs.filter(day__gte=f.start, day__lte=f.end)


def usable(f) -> bool:
    """Rollups have no agent dimension: an agent filter reads the source tables."""
    return not f.agent


COUNT_FIELDS = ["responses", *(f"{i}_{x}" for i in ITEMS for x in "nk"), "nps_n", "nps_promoters",
                "nps_detractors"]


def response_counts(f, group: str | None = None) -> dict:
    """Summed counts (responses, satisfaction_n, satisfaction_k, …), overall or per `group`,
    added up by the database."""
    sums = {k: Coalesce(Sum(k), 0) for k in COUNT_FIELDS}
    qs = _slice(ResponseDay.objects.all(), f)
    if group:
        return {row.pop(group): row for row in qs.values(group).annotate(**sums).order_by()}
    return qs.aggregate(**sums)


def response_weeks(f) -> list[dict]:
    rows = (_slice(ResponseDay.objects.all(), f).annotate(week=TruncWeek("day")).values("week")
            .annotate(n=Sum("responses"), sat_n=Sum("satisfaction_n"), sat_k=Sum("satisfaction_k"),
                      trust_n=Sum("trust_n"), trust_k=Sum("trust_k")).order_by("week"))
    return [{"week": w["week"].date() if isinstance(w["week"], datetime) else w["week"], "responses": w["n"],
             "satisfaction": w["sat_k"] / w["sat_n"] if w["sat_n"] else None,
             "trust": w["trust_k"] / w["trust_n"] if w["trust_n"] else None} for w in rows]


def histograms(qs, column: str, group: str | None = None) -> dict:
    """The JSON histograms in `column` of the rows of `qs` added up by the database:
    {group value: {bucket: count}} (the key None without a group)."""
    fields = [group, column] if group else [column]
    inner, params = qs.values(*fields).order_by().query.sql_with_params()
    if connection.vendor == "postgresql":
        each, value = f"jsonb_each_text(t.{column})", "CAST(h.value AS INTEGER)"
    else:
        each, value = f"json_each(t.{column})", "h.value"
    g = f"t.{group}" if group else "NULL"
    sql = (f"SELECT {g}, h.key, SUM({value}) FROM ({inner}) t, {each} h "
           f"GROUP BY {f't.{group}, ' if group else ''}h.key")
    out: dict = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for g_value, key, count in cursor.fetchall():
            out[g_value][int(key)] = int(count)
    return out


def request_figures(f, group: str | None = None) -> dict:
    """opened, resolved, on_time, median and p90 hours, overall or per `group` (department_id)."""
    qs = _slice(RequestDay.objects.all(), f)
    sums = {k: Coalesce(Sum(k), 0) for k in ("opened", "resolved", "on_time")}
    if group:
        counts = {row.pop(group): row for row in qs.values(group).annotate(**sums).order_by()}
    else:
        counts = {None: qs.aggregate(**sums)}
    hists = histograms(qs, "hours", group)
    out = {}
    for g, c in counts.items():
        hist = hists.get(g, {})
        out[g] = {**c, "hist": hist, "median": histogram_percentile(hist, 50),
                  "p90": histogram_percentile(hist, 90)}
    return out if group else out[None]


def conversation_figures(f) -> dict:
    """conversations, closed, first_contact, chats, by_assistant and the median wait and
    handling minutes (service filters do not apply to conversations)."""
    qs = _slice(ConversationDay.objects.all(), f, service=False)
    out = qs.aggregate(**{k: Coalesce(Sum(k), 0) for k in
                          ("conversations", "closed", "first_contact", "chats", "by_assistant")})
    for column, name in (("wait_minutes", "wait_median_min"), ("handling_minutes", "handling_median_min")):
        out[name] = histogram_percentile(histograms(qs, column).get(None, {}), 50)
    return out


def correlations(f) -> list[dict]:
    """Pearson's r of each driver with trust, exact, from the summed moments."""
    fields = [f"r_{d}_{m}" for d in DRIVER_FIELDS for m in MOMENTS]
    sums = _slice(ResponseDay.objects.all(), f).aggregate(**{k: Coalesce(Sum(k), 0) for k in fields})
    out = []
    for d in DRIVER_FIELDS:
        n, sx, sy, sxx, syy, sxy = (sums[f"r_{d}_{m}"] for m in MOMENTS)
        var_x, var_y = n * sxx - sx * sx, n * syy - sy * sy
        r = (n * sxy - sx * sy) / math.sqrt(var_x * var_y) if n >= 3 and var_x > 0 and var_y > 0 else None
        out.append({"driver": d, "n": n, "r": r})
    return out
