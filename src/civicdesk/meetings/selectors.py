"""Reading meetings: the public lists, one meeting's page, the live state, and the counts
the CX dashboard shows."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Prefetch, Q
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


def queue(meeting_id: int) -> list[Speaker]:
    return list(Speaker.objects.filter(meeting_id=meeting_id, state__in=[Speaker.State.SPEAKING,
                                                                         Speaker.State.WAITING])
                .order_by("state", "number"))  # the one speaking first, then the waiting


def live_state(meeting_id: int) -> dict:
    """What every live page shows, the same for everyone: no email or phone, only the name
    each speaker chose to be called by."""
    meeting = Meeting.objects.only("state", "current_item_id").get(pk=meeting_id)
    waiting = 0
    rows = []
    for s in queue(meeting_id):
        if s.state == Speaker.State.WAITING:
            waiting += 1
        rows.append({"id": s.public_id, "name": s.public_name, "item": s.item_id, "state": s.state,
                     "place": waiting if s.state == Speaker.State.WAITING else 0})
    finished = dict(Speaker.objects.filter(meeting_id=meeting_id).exclude(
        state__in=[Speaker.State.SPEAKING, Speaker.State.WAITING]).order_by("-number")
        .values_list("public_id", "state")[:500])
    return {"type": "state", "meeting": meeting_id, "state": meeting.state, "item": meeting.current_item_id,
            "queue": rows, "finished": finished}


def participation(start=None, end=None) -> dict:
    """Registrations, comments and speakers who spoke, per meeting and per topic, for the
    meetings held (or to be held) between two dates (the CX dashboard's period)."""
    span = Q()
    if start is not None:
        span &= Q(starts_at__date__gte=start)
    if end is not None:
        span &= Q(starts_at__date__lte=end)
    meetings = (Meeting.objects.filter(PUBLIC).select_related("body")
                .prefetch_related("translations", "body__translations")
                .annotate(registered=Count("registrations", filter=Q(registrations__cancelled_at__isnull=True),
                                           distinct=True),
                          commented=Count("comments", distinct=True),
                          spoke=Count("speakers", filter=Q(speakers__state=Speaker.State.DONE), distinct=True))
                .filter(span).order_by("-starts_at"))
    by_topic = {}
    comments = Comment.objects.filter(item__topic__isnull=False, meeting__in=Meeting.objects.filter(span))
    speakers = Speaker.objects.filter(item__topic__isnull=False, state=Speaker.State.DONE,
                                      meeting__in=Meeting.objects.filter(span))
    topics_by_pk = {t.pk: t for t in Topic.objects.prefetch_related("translations")}
    for row in comments.values("item__topic").annotate(n=Count("pk")):
        by_topic.setdefault(row["item__topic"], {"comments": 0, "speakers": 0})["comments"] = row["n"]
    for row in speakers.values("item__topic").annotate(n=Count("pk")):
        by_topic.setdefault(row["item__topic"], {"comments": 0, "speakers": 0})["speakers"] = row["n"]
    topic_rows = sorted(({"topic": topics_by_pk[pk], **v} for pk, v in by_topic.items() if pk in topics_by_pk),
                        key=lambda r: -(r["comments"] + r["speakers"]))
    rows = list(meetings[:50])
    totals = {"registered": sum(m.registered for m in rows), "commented": sum(m.commented for m in rows),
              "spoke": sum(m.spoke for m in rows)}
    return {"meetings": rows, "topics": topic_rows, "totals": totals}
