"""The CX dashboard for supervisors and CX leads: experience and operations for a period and
filter, department comparison, driver analysis, comments; every table exports to CSV."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicdesk.accounts.selectors import people
from civicdesk.catalog.models import Department, Service
from civicdesk.core.csvexport import csv_response
from civicdesk.core.models import by_display_name
from civicdesk.meetings import selectors as meetings_selectors
from civicdesk.privacy.services import client_ip, record_access
from civicdesk.surveys import figures
from civicdesk.surveys.models import Response

from .knowledge_views import _lead
from .views import staff_required

CHANNEL_LABELS = {"web": gettext_lazy("Website"), "chat": gettext_lazy("Chat"), "email": gettext_lazy("Email"),
                  "sms": gettext_lazy("Text message"), "phone": gettext_lazy("Phone"),
                  "api": gettext_lazy("Connected app (API)"), "open311": gettext_lazy("Open311 app")}
CHANNELS = list(CHANNEL_LABELS)
LABELS = {"satisfaction": gettext_lazy("Satisfaction"), "trust": gettext_lazy("Trust"),
          "effectiveness": gettext_lazy("Effectiveness"), "ease": gettext_lazy("Ease"), "efficiency": gettext_lazy("Efficiency"),
          "transparency": gettext_lazy("Transparency"), "helpfulness": gettext_lazy("Employee helpfulness"),
          "equity": gettext_lazy("Equity")}


def _filters(request: HttpRequest) -> tuple[figures.Filters, list[str]]:
    errors = []
    today = timezone.localdate()
    start = parse_date(request.GET.get("start", "") or "") if request.GET.get("start") else today - timedelta(days=89)
    end = parse_date(request.GET.get("end", "") or "") if request.GET.get("end") else today
    if start is None or end is None:
        errors.append(_("Enter dates like 2026-05-31."))
        start, end = today - timedelta(days=89), today
    if start > end:
        errors.append(_("The start date must be before the end date."))
        start, end = end, start
    if (end - start).days > 3 * 366:
        errors.append(_("Choose a period of at most three years."))
        start = end - timedelta(days=3 * 366)

    def num(name):
        v = request.GET.get(name, "")
        return int(v) if v.isdigit() else None

    channel = request.GET.get("channel", "")
    return figures.Filters(start=start, end=end, department=num("department"), service=num("service"),
                           channel=channel if channel in CHANNELS else "", agent=num("agent")), errors


def _without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _pct(x):
    return "" if x is None else f"{100 * x:.1f}"


def _share(x):
    return None if x is None else 100 * x


def _export(request: HttpRequest, name: str, header: list, rows: list) -> HttpResponse:
    record_access(actor=request.user, action="export", object_type="cx", object_id=name,
                  ip=client_ip(request), detail=_without(request, "export")[:300])
    return csv_response(f"cx-{name}", header, rows)


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _lead(request)
    f, errors = _filters(request)
    exp = figures.experience(f)
    ops = figures.operations(f)
    depts = figures.departments(f)
    q = request.GET.get("q", "").strip()[:100]
    com = figures.comments(f, q)
    for c in com["recent"]:
        c.channel_label = CHANNEL_LABELS.get(c.channel, c.channel)
    export = request.GET.get("export")
    if export == "summary":
        rows = [[LABELS[k], v["agree"], v["n"], _share(v["share"]), _share(v["ci"][0]) if v["ci"] else None,
                 _share(v["ci"][1]) if v["ci"] else None] for k, v in exp["items"].items()]
        rows += [[_("CSAT"), exp["csat"]["agree"], exp["csat"]["n"], _share(exp["csat"]["share"]), None, None],
                 [_("Effort"), exp["effort"]["agree"], exp["effort"]["n"], _share(exp["effort"]["share"]), None, None],
                 [_("Net Promoter Score"), None, exp["nps"]["n"], exp["nps"]["score"], None, None],
                 [_("CX index"), None, exp["responses"], exp["cx_index"], None, None]]
        return _export(request, "summary", [_("Measure"), _("Agree"), _("Answers"), _("Percent"),
                                            _("Confidence interval (95 percent), low"), _("Confidence interval (95 percent), high")], rows)
    if export == "participation":
        part = meetings_selectors.participation(f.start, f.end)
        return _export(request, "participation", [_("Date"), _("Body"), _("Meeting"), _("Registrations"),
                                                  _("Comments"), _("Remote speakers")],
                       [[timezone.localtime(m.starts_at).date(), m.body.display_name, m.display_title, m.registered,
                         m.commented, m.spoke] for m in part["meetings"]])
    if export == "trend":
        return _export(request, "trend", [_("Week of"), _("Responses"), _("Satisfaction, % agree"),
                                          _("Trust, % agree")],
                       [[t["week"], t["responses"], _share(t["satisfaction"]), _share(t["trust"])] for t in exp["trend"]])
    if export == "departments":
        return _export(request, "departments", [
            _("Department"), _("Responses"), _("Satisfaction, % agree"), _("Trust, % agree"), _("Requests opened"),
            _("Median hours to resolve"), _("On time, %"), _("Overdue")],
            [[r["department"], r["responses"], _share(r["satisfaction"]["share"]), _share(r["trust"]["share"]),
              r["opened"], r["resolve_median_h"], _share(r["on_time"]["share"]), r["overdue"]] for r in depts["rows"]])
    if export == "comments":
        return _export(request, "comments", [_("Date"), _("Channel"), _("Department"), _("Service"), _("Comment"),
                                             _("Request"), _("Conversation")],
                       [[c.created_at, c.channel_label, c.department.display_name if c.department else "",
                         c.service.display_name if c.service else "", c.comment,
                         c.request.public_id if c.request_id else "",
                         c.conversation.public_id if c.conversation_id else ""] for c in com["recent"]])
    chart = {"labels": [str(t["week"]) for t in exp["trend"]],
             "satisfaction": [None if t["satisfaction"] is None else round(100 * t["satisfaction"], 1) for t in exp["trend"]],
             "trust": [None if t["trust"] is None else round(100 * t["trust"], 1) for t in exp["trend"]],
             "title_satisfaction": _("Satisfaction, % agree"), "title_trust": _("Trust, % agree")}
    drivers = [dict(d, label=LABELS[d["driver"]]) for d in exp["drivers"]]
    top = next((d for d in drivers if d["r"] is not None), None)
    return render(request, "console/cx.html", {
        "f": f, "errors": errors, "exp": exp, "ops": ops, "depts": depts, "comments": com, "q": q,
        "items": [(LABELS[k], v) for k, v in exp["items"].items()], "drivers": drivers, "top_driver": top,
        "chart": chart, "query": request.GET.urlencode(), "query_no_q": _without(request, "q", "export"),
        "participation": meetings_selectors.participation(f.start, f.end),
        "departments": by_display_name(Department.objects.prefetch_related("translations")),
        "services": by_display_name(Service.objects.prefetch_related("translations")),
        "channels": list(CHANNEL_LABELS.items()),
        "agents": people().order_by("username")})


@require_POST
@staff_required
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a free-text answer into a conversation the team follows up."""
    _lead(request)
    from civicdesk.conversations import services as chat
    from civicdesk.conversations.models import Conversation, Message

    response = get_object_or_404(Response.objects.select_related("invitation", "request"), pk=pk)
    user = request.user
    if response.department_id and not (user.sees_all_departments
                                       or user.departments.filter(pk=response.department_id).exists()):
        raise Http404  # another department's resident: as for its requests and chats
    resident = response.invitation.resident if response.invitation else None
    email = (response.invitation.email if response.invitation else "") or \
        (response.request.contact_email if response.request_id and response.request.contact_confirmed else "")
    from civicdesk.privacy.data_rights import Purpose, has_consent

    if resident is None and response.request_id:
        resident = response.request.resident
    if resident is not None and not has_consent(resident, Purpose.CONTACT, default=True):
        messages.error(request, _("This resident asked not to be contacted, so no follow-up was started."))
        return redirect("console:cx")
    started = chat.start_conversation(
        department=response.department, resident=resident, channel=Conversation.Channel.EMAIL
        if email else Conversation.Channel.WEB, subject=_("Follow-up on survey feedback"),
        greet=False, assistant=False, language=response.language)
    conv = started.conversation
    if email and not conv.contact_email:
        Conversation.objects.filter(pk=conv.pk).update(contact_email=email)
    chat.post_message(conversation=conv, sender=Message.Sender.NOTE, author=request.user,
                      body=_("Survey comment (%(date)s): %(text)s") % {
                          "date": response.created_at.date(), "text": response.comment})
    messages.success(request, _("Follow-up conversation %(id)s created.") % {"id": conv.public_id})
    return redirect("console:conversation", public_id=conv.public_id)
