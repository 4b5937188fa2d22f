"""Console: the conversation inbox, one conversation with the resident beside it,
presence, and the conversation actions (assign, transfer, close, canned responses,
notes, file a request, log a call)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.accounts.models import User
from civicdesk.accounts.selectors import people
from civicdesk.assistant import selectors as assistant_selectors
from civicdesk.cases import selectors as case_selectors
from civicdesk.cases import services as case_services
from civicdesk.catalog import snapshot
from civicdesk.catalog.models import Department
from civicdesk.conversations import selectors as chat_selectors
from civicdesk.conversations import services
from civicdesk.conversations.models import (
    AgentPresence,
    CallLog,
    CannedResponse,
    Conversation,
    Message,
)
from civicdesk.core.models import by_display_name
from civicdesk.core.params import pk_or_none
from civicdesk.core.translation import save_translations
from civicdesk.knowledge import search as knowledge_search
from civicdesk.privacy.data_rights import survey_responses
from civicdesk.privacy.services import VISIT, client_ip, record_access
from civicdesk.privacy.views import STAFF_SOURCES, consent_rows

from .views import safe_next, staff_required

State = Conversation.State


def _conversation(request: HttpRequest, public_id: str) -> Conversation:
    conv = (Conversation.objects.select_related("department", "assigned_to", "resident", "request")
            .filter(public_id=public_id).first())
    if conv is None or not services.can_work(request.user, conv):
        raise Http404
    return conv


def _inbox_queryset(request: HttpRequest):
    qs = (services.visible_conversations(request.user).select_related("department", "assigned_to")
          .prefetch_related("department__translations"))
    view = request.GET.get("view", "waiting")
    if view == "waiting":
        qs = qs.filter(state=State.WAITING)
    elif view == "mine":
        qs = qs.filter(state=State.ASSIGNED, assigned_to=request.user)
    elif view == "others":
        qs = qs.filter(state=State.ASSIGNED).exclude(assigned_to=request.user)
    elif view == "messages":
        qs = qs.filter(state=State.MESSAGE)
    elif view == "closed":
        qs = qs.filter(state=State.CLOSED)
    if request.GET.get("department"):
        qs = qs.filter(department__slug=request.GET["department"])
    if request.GET.get("channel"):
        qs = qs.filter(channel=request.GET["channel"])
    order = "-closed_at" if view == "closed" else "waiting_since"
    rows = chat_selectors.describe(chat_selectors.with_last_message(qs).order_by(order, "id")[:200])
    topics = assistant_selectors.topics(c.pk for c in rows)
    for c in rows:
        c.topic = topics.get(c.pk, "")
    return view, rows


def _figures(user: User) -> dict:
    waiting = services.visible_conversations(user).filter(state=State.WAITING)
    oldest = waiting.aggregate(m=Min("waiting_since"))["m"]
    online = AgentPresence.objects.filter(status=AgentPresence.Status.ONLINE)
    if not user.sees_all_departments:
        online = online.filter(Q(user__departments__in=user.departments.all()) | Q(user__all_departments=True))
    return {"waiting": waiting.count(), "oldest": oldest,
            "agents_online": online.values("user").distinct().count()}


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    view, rows = _inbox_queryset(request)
    presence, _created = AgentPresence.objects.get_or_create(user=request.user)
    departments = Department.objects.all() if request.user.sees_all_departments else request.user.departments.all()
    context = {"view": view, "rows": rows, "presence": presence, "figures": _figures(request.user),
               "departments": departments, "channels": Conversation.Channel.choices, "now": timezone.now(),
               "views": [("waiting", _("Waiting")), ("mine", _("Assigned to me")), ("others", _("Assigned to others")),
                         ("messages", _("Messages left")), ("closed", _("Closed"))]}
    template = "console/_inbox_rows.html" if request.GET.get("partial") else "console/inbox.html"
    return render(request, template, context)


@staff_required
def wall(request: HttpRequest) -> HttpResponse:
    """Supervisors: every queue and agent at a glance, refreshed by itself; reassign a chat."""
    if not (request.user.is_superuser or request.user.role in ("supervisor", "administrator")):
        raise Http404
    context = {"wall": chat_selectors.wall(request.user), "now": timezone.now()}
    if request.GET.get("partial"):
        return render(request, "console/_wall.html", context)
    return render(request, "console/wall.html", context)


@staff_required
@require_POST
def presence(request: HttpRequest) -> HttpResponse:
    try:
        capacity = int(request.POST.get("capacity") or 0) or None
        services.set_presence(request.user, status=request.POST.get("status"), capacity=capacity)
    except (ValidationError, ValueError) as e:
        messages.error(request, " ".join(getattr(e, "messages", [str(e)])))
    return redirect("console:inbox")


def _suggested_articles(request: HttpRequest, conv: Conversation, limit: int = 3) -> list[dict]:
    """Articles for what this resident is asking: the assistant's own guesses first, then a
    search of the knowledge base with the resident's last words, in the resident's language."""
    hits = knowledge_search.entries_for("article", assistant_selectors.guessed(conv.pk), conv.language)
    said = list(conv.messages.filter(sender=Message.Sender.RESIDENT).order_by("-seq")
                .values_list("body", flat=True)[:3])
    question = " ".join(reversed(said)) or conv.subject
    if question and len(hits) < limit:
        hits += [h for h in knowledge_search.search(question[-200:], conv.language, kinds=("article",), limit=limit).hits
                 if h.ref_id not in {x.ref_id for x in hits}]
    return [{"title": h.title, "summary": h.summary, "url": request.build_absolute_uri(h.url)} for h in hits[:limit]]


@staff_required
def conversation(request: HttpRequest, public_id: str) -> HttpResponse:
    conv = _conversation(request, public_id)
    history_requests, history_conversations, calls, consents, surveys = [], [], [], [], []
    if conv.resident_id:
        record_access(actor=request.user, action="view_resident", object_type="resident",
                      object_id=conv.resident_id, ip=client_ip(request), detail=f"from conversation {conv.public_id}",
                      once_within=VISIT)
        resident = conv.resident
        history_requests = case_selectors.requests_visible_to(request.user).filter(resident=resident).select_related(
            "service")[:50]
        history_conversations = services.visible_conversations(request.user).filter(resident=resident).exclude(
            pk=conv.pk)[:50]
        calls = resident.calls.select_related("agent")[:50]
        with translation.override(resident.preferred_language or "en"):
            consents = consent_rows(resident)
        surveys = (survey_responses(resident).select_related("survey", "request")
                   .prefetch_related("answers__question").order_by("-created_at")[:20])
    record_access(actor=request.user, action="view_conversation", object_type="conversation",
                  object_id=conv.public_id, ip=client_ip(request), once_within=VISIT)
    canned = CannedResponse.objects.filter(Q(department__isnull=True) | Q(department=conv.department_id))
    agents = services.agents_for(conv.department).exclude(pk=request.user.pk).order_by("username")
    filled = [(c, services.fill_canned(c, conv)) for c in canned]
    if request.GET.get("partial") == "suggestions":
        return render(request, "console/_suggestions.html", {"conv": conv,
                                                             "suggestions": _suggested_articles(request, conv)})
    return render(request, "console/conversation.html", {
        "conv": conv, "history_requests": history_requests, "history_conversations": history_conversations,
        "calls": calls, "canned": filled, "agents": agents, "suggestions": _suggested_articles(request, conv),
        "canned_data": [{"title": c.title, "text": text} for c, text in filled],
        "departments": by_display_name(Department.objects.prefetch_related("translations")), "resolutions": services.RESOLUTION_CODES.items(),
        "services": sorted(snapshot.active_services().values(), key=lambda s: s.name),
        "call_outcomes": CallLog.Outcome.choices, "consents": consents, "surveys": surveys,
        "consent_sources": [(k, v()) for k, v in STAFF_SOURCES.items()],
    })


def _act(request, public_id, fn):
    conv = _conversation(request, public_id)
    try:
        fn(conv)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    if request.POST.get("next") == reverse("console:wall"):
        return redirect("console:wall")  # reassigned from the supervisor's wall
    return redirect("console:conversation", conv.public_id)


@staff_required
@require_POST
def take(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, lambda c: services.assign(conversation=c, agent=request.user, by=request.user))


@staff_required
@require_POST
def transfer(request: HttpRequest, public_id: str) -> HttpResponse:
    def do(conv):
        agent = dept = None
        if request.POST.get("agent"):
            agent = people().filter(pk=pk_or_none(request.POST["agent"])).first()
            if agent is None:
                raise ValidationError(_("Choose someone from the list."))
        elif request.POST.get("department"):
            dept = Department.objects.filter(slug=request.POST["department"]).first()
        services.transfer(conversation=conv, by=request.user, to_agent=agent, to_department=dept,
                          note=request.POST.get("note", ""))
        messages.success(request, _("Transferred."))
    return _act(request, public_id, do)


@staff_required
@require_POST
def close(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, lambda c: services.close(conversation=c, by=request.user,
                                                            resolution_code=request.POST.get("resolution_code", "")))


@staff_required
@require_POST
def file_request(request: HttpRequest, public_id: str) -> HttpResponse:
    """Create a service request from the conversation, linked both ways."""
    def do(conv):
        service = snapshot.active_service(request.POST.get("service", ""))
        if service is None:
            raise ValidationError(_("Choose a service."))
        errors: list[str] = []
        try:
            location = case_services.clean_location(lat=request.POST.get("lat"), long=request.POST.get("long"),
                                                    address=request.POST.get("address", ""))
            answers = case_services.clean_answers(service=service, raw={
                q.code: request.POST.get(f"q_{q.code}", "") for q in service.questions.all()})
        except ValidationError as e:
            errors = [f"{k}: {m}" for k, v in e.message_dict.items() for m in v]
            raise ValidationError(errors) from e
        contact = case_services.clean_contact(email=conv.contact_email or (conv.resident.email if conv.resident_id else ""))
        result = case_services.submit_request(
            service=service, description=request.POST.get("description", ""), answers=answers, location=location,
            contact=contact, resident=conv.resident, language=conv.language, channel="chat",
            submission_key=f"conv:{conv.public_id}:{request.POST.get('submission_key', '')[:40]}")
        services.link_request(conversation=conv, request=result.request)
        messages.success(request, _("Request %(id)s filed.") % {"id": result.request.public_id})
    return _act(request, public_id, do)


@staff_required
@require_POST
def log_call(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = case_selectors.resident_for_staff(request.user, resident_id)
    try:
        duration = max(0, int(request.POST.get("duration_min") or 0)) * 60
    except ValueError:
        duration = -1
    summary = request.POST.get("summary", "").strip()
    outcome = request.POST.get("outcome", "")
    if not summary or outcome not in CallLog.Outcome.values or duration < 0:
        messages.error(request, _("Give a summary, an outcome and the duration in minutes."))
    else:
        CallLog.objects.create(resident=resident, agent=request.user, summary=summary[:4000], outcome=outcome,
                               duration_s=duration)
        record_access(actor=request.user, action="log_call", object_type="resident", object_id=resident.pk,
                      ip=client_ip(request))
        messages.success(request, _("Call logged."))
    return redirect(safe_next(request, "console:inbox"))


def _supervisor(user: User) -> bool:
    return user.is_superuser or user.role in ("supervisor", "administrator")


@staff_required
def canned_responses(request: HttpRequest) -> HttpResponse:
    """Supervisors write the canned responses agents pick from ({name}, {request_id})."""
    if not _supervisor(request.user):
        raise Http404
    codes_in_order = [code for code, _name in settings.LANGUAGES]
    departments = Department.objects.all() if request.user.sees_all_departments else request.user.departments.all()
    if request.method == "POST":
        if request.POST.get("delete"):
            CannedResponse.objects.filter(pk=request.POST["delete"], department__in=list(departments) + [None]).delete()
            messages.success(request, _("Deleted."))
            return redirect("console:canned")
        title = request.POST.get("title", "").strip()
        texts = {code: request.POST.get(f"body_{code}", "").strip() for code, _name in settings.LANGUAGES}
        dept = departments.filter(slug=request.POST.get("department", "")).first()
        if not title or not texts[settings.LANGUAGE_CODE]:
            messages.error(request, _("Give the response a title and a text in %(language)s.")
                           % {"language": dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]})
        else:
            with transaction.atomic():  # the response and its texts, or nothing
                canned = CannedResponse(title=title[:120], department=dept)
                canned.save()
                save_translations(canned, {code: {"body": text} for code, text in texts.items()})
            messages.success(request, _("Saved."))
            return redirect("console:canned")
    rows = CannedResponse.objects.filter(Q(department__isnull=True) | Q(department__in=departments)).select_related(
        "department").prefetch_related("translations")
    for row in rows:
        row.texts = sorted(((t.language_code, t.body) for t in row.translations.all()),
                           key=lambda t: codes_in_order.index(t[0]) if t[0] in codes_in_order else 99)
    return render(request, "console/canned.html", {"rows": rows, "departments": departments})
