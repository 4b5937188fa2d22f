"""Reads for the assistant's review pages."""

from __future__ import annotations

from collections.abc import Iterable

from . import brain


def titles_for(labels: Iterable[str]) -> dict[str, str]:
    """``{"article:12": "Trash pickup day", "service:3": "Pothole"}`` in the reader's language,
    for the labels the engine gave (a label that names nothing any more keeps its text)."""
    from civicdesk.catalog.models import Service
    from civicdesk.knowledge.models import Article

    parsed = {label: brain.parse_label(label) for label in set(labels) if label}
    from civicdesk.schedules.models import CollectionService, Notice

    ids = {"article": set(), "service": set(), "schedule": set(), "notice": set()}
    for p in parsed.values():
        if p:
            ids[p[0]].add(p[1])
    names = {("article", a.pk): a.display_title
             for a in Article.objects.filter(pk__in=ids["article"]).prefetch_related("translations")}
    names |= {("service", s.pk): s.display_name
              for s in Service.objects.filter(pk__in=ids["service"]).prefetch_related("translations")}
    names |= {("schedule", c.pk): c.display_name
              for c in CollectionService.objects.filter(pk__in=ids["schedule"]).prefetch_related("translations")}
    names |= {("notice", n.pk): n.display_name
              for n in Notice.objects.filter(pk__in=ids["notice"]).prefetch_related("translations")}
    return {label: names.get(p, label) if p else label for label, p in parsed.items()}


def topics(conversation_ids: Iterable[int]) -> dict[int, str]:
    """The assistant's latest guess of what each conversation is about, as a title."""
    from .models import Turn

    latest: dict[int, str] = {}
    for conv_id, label in (Turn.objects.filter(conversation_id__in=list(conversation_ids)).exclude(label="")
                           .order_by("conversation_id", "-created_at", "-id").values_list("conversation_id", "label")):
        latest.setdefault(conv_id, label)
    names = titles_for(latest.values())
    return {conv_id: names.get(label, "") for conv_id, label in latest.items()}


def guessed(conversation_id: int, kind: str = "article") -> list[int]:
    """What the assistant took this conversation's questions to be about, latest first."""
    from . import brain
    from .models import Turn

    out: list[int] = []
    for label in (Turn.objects.filter(conversation_id=conversation_id).exclude(label="")
                  .order_by("-created_at", "-id").values_list("label", flat=True)[:20]):
        parsed = brain.parse_label(label)
        if parsed and parsed[0] == kind and parsed[1] not in out:
            out.append(parsed[1])
    return out
