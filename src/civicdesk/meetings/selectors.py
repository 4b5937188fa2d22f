"""Reading meetings: the public lists, one meeting's page, the live state, and the counts
the CX dashboard shows."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from .models import AgendaItem, Body, Comment, Document, Meeting, Registration, Speaker, Topic

PUBLIC = ~Q(state=Meeting.State.DRAFT)


def bodies() -> list[Body]:
    return list(Body.objects.filter(active=True).prefetch_related("translations"))


def topics() -> list[Topic]:
    return sorted(Topic.objects.prefetch_related("translations"), key=lambda t: t.display_name.casefold())


def meeting_list(*, body: Body | None = None, topic: Topic | None = None, past: bool = False,
                 limit: int = 50) -> list[Meeting]:
    """Public meetings: upcoming (soonest first, including one in session) or past (latest
    first), of one body or about one topic."""
    now = timezone.now()
    qs = Meeting.objects.filter(PUBLIC).select_related("body").prefetch_related("translations",
                                                                                 "body__translations")
    if past:
        qs = qs.filter(Q(state=Meeting.State.ENDED) | Q(starts_at__lt=now - timedelta(hours=12))
                       ).exclude(state=Meeting.State.LIVE).order_by("-starts_at")
    else:
        qs = qs.filter(Q(state=Meeting.State.LIVE) | Q(starts_at__gte=now - timedelta(hours=12))
                       ).exclude(state=Meeting.State.ENDED).order_by("starts_at")
    if body is not None:
        qs = qs.filter(body=body)
    if topic is not None:
        qs = qs.filter(items__topic=topic).distinct()
    return list(qs[:limit])


def public_meeting(pk: int) -> Meeting:
    items = AgendaItem.objects.prefetch_related(
        "translations", "topic__translations", Prefetch("documents", Document.objects.all()),
        Prefetch("comments", Comment.objects.filter(state=Comment.State.PUBLISHED), to_attr="published"))
    meeting = (Meeting.objects.filter(PUBLIC, pk=pk).select_related("body")
               .prefetch_related("translations", "body__translations", Prefetch("items", items)).first())
    if meeting is None:
        raise Http404
    return meeting


def counts(meeting: Meeting) -> dict:
    return {
        "registered": Registration.objects.filter(meeting=meeting, cancelled_at__isnull=True).count(),
        "comments": Comment.objects.filter(meeting=meeting, state=Comment.State.PUBLISHED).count(),
        "speakers": Speaker.objects.filter(meeting=meeting, state=Speaker.State.DONE).count(),
    }


def queue(meeting_id: int, current_item_id: int | None) -> list[Speaker]:
    """The one speaking, then the waiting in the order they will be called."""
    from .services import call_order

    rows = list(Speaker.objects.filter(meeting_id=meeting_id, state__in=[Speaker.State.SPEAKING,
                                                                         Speaker.State.WAITING]))
    speaking = [s for s in rows if s.state == Speaker.State.SPEAKING]
    return speaking + call_order([s for s in rows if s.state == Speaker.State.WAITING], current_item_id)


def live_state(meeting_id: int) -> dict:
    """What every live page shows, the same for everyone: no email or phone, only the name
    each speaker chose to be called by."""
    meeting = Meeting.objects.only("state", "current_item_id").get(pk=meeting_id)
    waiting = 0
    rows = []
    for s in queue(meeting_id, meeting.current_item_id):
        if s.state == Speaker.State.WAITING:
            waiting += 1
        rows.append({"id": s.public_id, "name": s.public_name or "—", "item": s.item_id, "state": s.state,
                     "place": waiting if s.state == Speaker.State.WAITING else 0})
    finished = dict(Speaker.objects.filter(meeting_id=meeting_id).exclude(
        state__in=[Speaker.State.SPEAKING, Speaker.State.WAITING]).order_by("-number")
        .values_list("public_id", "state")[:500])
    return {"type": "state", "meeting": meeting_id, "state": meeting.state, "item": meeting.current_item_id,
            "queue": rows, "finished": finished}


def _count(model, **filters):
    """A per-meeting count as a subquery (three joined counts would multiply rows)."""
    rows = (model.objects.filter(meeting=OuterRef("pk"), **filters).order_by().values("meeting")
            .annotate(n=Count("pk")).values("n")[:1])
    return Coalesce(Subquery(rows), 0)


def participation(start=None, end=None) -> dict:
    """Registrations (not cancelled), written comments received (whatever the moderation
    decided) and remote speakers who spoke, per meeting and per topic, for the public
    meetings held (or to be held) between two dates: the CX dashboard's period."""
    span = Q()
    if start is not None:
        span &= Q(starts_at__date__gte=start)
    if end is not None:
        span &= Q(starts_at__date__lte=end)
    in_span = Meeting.objects.filter(PUBLIC).filter(span)
    meetings = (in_span.select_related("body").prefetch_related("translations", "body__translations")
                .annotate(registered=_count(Registration, cancelled_at__isnull=True), commented=_count(Comment),
                          spoke=_count(Speaker, state=Speaker.State.DONE))
                .order_by("-starts_at"))
    totals = {"registered": Registration.objects.filter(meeting__in=in_span, cancelled_at__isnull=True).count(),
              "commented": Comment.objects.filter(meeting__in=in_span).count(),
              "spoke": Speaker.objects.filter(meeting__in=in_span, state=Speaker.State.DONE).count()}
    by_topic: dict[int, dict] = {}
    for model, key, extra in ((Comment, "comments", {}), (Speaker, "speakers", {"state": Speaker.State.DONE})):
        for row in (model.objects.filter(meeting__in=in_span, item__topic__isnull=False, **extra)
                    .values("item__topic").annotate(n=Count("pk"))):
            by_topic.setdefault(row["item__topic"], {"comments": 0, "speakers": 0})[key] = row["n"]
    topics_by_pk = {t.pk: t for t in Topic.objects.filter(pk__in=by_topic).prefetch_related("translations")}
    topic_rows = sorted(({"topic": topics_by_pk[pk], **v} for pk, v in by_topic.items() if pk in topics_by_pk),
                        key=lambda r: -(r["comments"] + r["speakers"]))
    return {"meetings": list(meetings[:100]), "topics": topic_rows, "totals": totals}
