"""Queries about service requests, each returning only what the given user may see."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from civicdesk.accounts.models import Resident, User
from civicdesk.catalog import snapshot

from .models import OPEN_STATUSES, REQUEST_WORDS, Review, ServiceRequest, TimelineEvent
from .publication import public_only


def requests_visible_to(user: User) -> QuerySet[ServiceRequest]:
    """Requests a staff member may see and work: all, or their departments' only."""
    qs = ServiceRequest.objects.all()
    if not (user.is_authenticated and user.is_staff):
        return qs.none()
    if user.sees_all_departments:
        return qs
    return qs.filter(department__in=user.departments.all())


def resident_for_staff(user: User, resident_id) -> Resident:
    """A resident's profile if this staff member (or API key) may see it: with every
    department, or through a request or a conversation of one of theirs. Else 404, as for
    requests, so that existence is not revealed."""
    resident = Resident.objects.filter(pk=resident_id).first() if str(resident_id).isdigit() else None
    if resident is None or not can_see_resident(user, resident):
        raise Http404
    return resident


def can_see_resident(user: User, resident: Resident) -> bool:
    if not (user.is_authenticated and user.is_staff and user.is_active):
        return False
    if user.sees_all_departments:
        return True
    departments = user.departments.all()
    # By relation names only: cases sits below conversations and does not import it.
    return (resident.requests.filter(department__in=departments).exists()
            or resident.conversations.filter(department__in=departments).exists())


def can_work_request(user: User, request: ServiceRequest) -> bool:
    if not (user.is_authenticated and user.is_staff):
        return False
    return user.sees_all_departments or user.departments.filter(pk=request.department_id).exists()


def access_request_for_staff(user: User, public_id: str) -> ServiceRequest:
    """The request if this staff member may see it; 404 otherwise (existence is not revealed)."""
    req = (requests_visible_to(user).select_related("service", "department", "assigned_to", "resident",
                                                    "duplicate_of")
           .filter(public_id=public_id).first())
    if req is None:
        raise Http404
    return req


def staff_request_list(user: User, *, department: str = "", service: str = "", status: str = "",
                       overdue: bool = False, review: bool = False, q: str = "",
                       assigned: str = "") -> QuerySet[ServiceRequest]:
    qs = (requests_visible_to(user).select_related("service", "department", "assigned_to")
          .prefetch_related("service__translations", "department__translations"))
    if assigned == "me":
        qs = qs.filter(assigned_to=user)
    elif assigned == "none":
        qs = qs.filter(assigned_to__isnull=True)
    if review:  # words or photos that wait for staff before the public sees them
        qs = qs.filter(needs_review=True)
    if department:
        qs = qs.filter(department__slug=department)
    if service:
        qs = qs.filter(service__service_code=service)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, sla_due_at__lt=timezone.now())
    if q:
        qs = _text_search(qs, q)
    return qs.order_by("-submitted_at")


PUBLIC_ID_LIKE = re.compile(r"[\d-]+")
WORD = re.compile(r"\w+")


def _text_search(qs, q: str):
    """A request ID (all or part of it), or words of the description and address. On
    PostgreSQL the words are looked up in a GIN index of the text (migration
    0011_request_words, 'simple' configuration: no stemming, every language alike), each word
    as a prefix ("pothol" finds "potholes"); a scan of a million descriptions with ILIKE took
    1.2 s for a word found nowhere (bench/pages_bench.py)."""
    if PUBLIC_ID_LIKE.fullmatch(q):
        return qs.filter(public_id=q) if len(q) >= 11 else qs.filter(public_id__contains=q)
    words = [w for w in WORD.findall(q.lower()) if w][:8]
    if not words:
        return qs.none()
    if connection.vendor != "postgresql":  # every word, somewhere in either
        for w in words:
            qs = qs.filter(Q(description__icontains=w) | Q(address__icontains=w))
        return qs
    return qs.extra(where=[f"{REQUEST_WORDS} @@ to_tsquery('simple', %s)"],  # noqa: S610 - the words are params
                    params=[" & ".join(f"{w}:*" for w in words)])


def waiting_for_review_count(user: User) -> int:
    return requests_visible_to(user).filter(needs_review=True).count()


def public_request(public_id: str) -> ServiceRequest:
    """The request with this public ID, or 404. Its service and department come from
    the catalog snapshot when the service is active (no join, no extra query)."""
    rows = list(ServiceRequest.objects.filter(public_id=public_id)[:1])
    if not rows:
        raise Http404
    req = rows[0]
    service = snapshot.active_service_by_id(req.service_id)
    if service is not None:
        req.service = service
        if req.department_id == service.department_id:
            req.department = service.department
    return req


def public_timeline(req: ServiceRequest, *, owner: bool = False) -> QuerySet[TimelineEvent]:
    """The public events; the filer (``owner``) also sees what they added that waits for
    staff or was hidden (cases/publication.py)."""
    events = req.events.filter(public=True)
    if not owner:  # a reopening stays on the timeline; its words show once published
        events = events.exclude(kind=TimelineEvent.Kind.NOTE, review__in=[Review.PENDING, Review.HIDDEN])
    return events.order_by("created_at", "id")


def open_requests_for_map(*, service_code: str = "", limit: int = 500) -> QuerySet[ServiceRequest]:
    """Open requests for the public list and map: never a private service's (publication.py)."""
    qs = (public_only(ServiceRequest.objects.filter(status__in=OPEN_STATUSES)).select_related("service")
          .prefetch_related("service__translations"))
    if service_code:
        qs = qs.filter(service__service_code=service_code)
    return qs.order_by("-submitted_at")[:limit]


POPULAR_DAYS = 90
POPULAR_CACHE_SECONDS = 600


def popular_services(limit: int = 6) -> list:
    """The active services residents used most in the last 90 days, most first (ties by
    name). The count reads every request of those days (the home page took 30 ms with a
    million stored, 442 ms when it joined services with all requests; bench/pages_bench.py),
    so it is kept in the cache for ten minutes; the services come from the catalog snapshot."""
    counts = cache.get("popular-services")
    if counts is None:
        since = timezone.now() - timedelta(days=POPULAR_DAYS)
        counts = dict(ServiceRequest.objects.filter(submitted_at__gte=since).order_by()
                      .values_list("service_id").annotate(n=Count("id")).values_list("service_id", "n"))
        cache.set("popular-services", counts, POPULAR_CACHE_SECONDS)
    services = snapshot.active_services().values()
    return sorted(services, key=lambda s: (-counts.get(s.pk, 0), s.name))[:limit]


def answer_rows(req, questions=None, *, skip=lambda q: False) -> list[tuple[str, str]]:
    """The request's answers as (question, answer) in the reader's language: each question's
    wording and each chosen value's label, not their codes; answers to questions the service
    no longer asks keep their code. `skip` leaves out questions (the public page's rules)."""
    questions = list(req.service.questions.all() if questions is None else questions)
    rows, asked = [], set()
    for q in questions:
        asked.add(q.code)
        if skip(q) or q.code not in req.answers:
            continue
        value, labels = req.answers[q.code], dict(q.choices())
        if isinstance(value, list):
            value = ", ".join(str(labels.get(v, v)) for v in value)
        elif labels:
            value = labels.get(value, value)
        rows.append((q.display_description, str(value)))
    if not skip(None):  # skip(None): leave out answers to questions no longer asked
        rows += [(code, str(value)) for code, value in req.answers.items() if code not in asked]
    return rows
