"""Residents' meeting pages: the list, one meeting (agenda, documents, comments, the
stream, minutes), the live page, registering, commenting, speaking, following a body, the
calendar files and the documents themselves."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from civicdesk.core.ratelimit import limit_posts
from civicdesk.core.views import opt_in_confirm_page, opt_in_stop_page

from . import feeds, selectors, services, streams
from .forms import CommentForm, FollowForm, RegistrationForm, SpeakForm
from .models import Body, BodySubscription, Document, Meeting, Registration, Speaker, Topic


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _framing(response: HttpResponse) -> HttpResponse:
    """Meeting pages may frame the allowed stream players, and nothing else."""
    origins = streams.frame_origins()
    if origins:
        response._csp_update = {"frame-src": origins}
    return response


def _stream(meeting: Meeting, registered: bool) -> dict:
    """What of the stream this reader may see: the player to embed, or a link, or nothing
    (registered attendees only, and this reader is not one)."""
    if not meeting.stream_url or not meeting.online or meeting.state == Meeting.State.CANCELLED:
        return {}
    if meeting.stream_audience == Meeting.Audience.REGISTERED and not registered:
        return {"locked": True}
    return {"embed": streams.embed_url(meeting.stream_url), "link": meeting.stream_url}


def meeting_list(request: HttpRequest) -> HttpResponse:
    body = Body.objects.filter(slug=request.GET.get("body", "")[:60], active=True).first()
    topic = Topic.objects.filter(slug=request.GET.get("topic", "")[:60]).first()
    past = request.GET.get("when") == "past"
    return render(request, "meetings/list.html", {
        "meetings": selectors.meeting_list(body=body, topic=topic, past=past),
        "bodies": selectors.bodies(), "topics": selectors.topics(), "body": body, "topic": topic, "past": past})


def _detail_context(request: HttpRequest, meeting: Meeting, may_watch: bool = False) -> dict:
    """`may_watch`: the reader is a registered attendee or a speaker (their own page)."""
    items = list(meeting.items.all())
    return {"meeting": meeting, "items": items, "counts": selectors.counts(meeting),
            "stream": _stream(meeting, may_watch), "notice_by": services.needs_notice_by(meeting),
            "map_tiles": settings.CIVICDESK_MAP_TILES, "now": timezone.now(),
            "comments_open": not meeting.over and any(i.accepts_comments for i in items),
            "speakers_open": not meeting.over and meeting.speakers_open and meeting.online}


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.public_meeting(pk)
    return _framing(render(request, "meetings/detail.html", _detail_context(request, meeting)))


def live_strings() -> dict:
    """The live page's words for its script, in the reader's language."""
    return {
        "speaking": _("speaking now"), "empty": _("No one is waiting to speak."), "next": _("You are next."),
        "place": _("Your place in the queue: %(n)s.").replace("%(n)s", "{n}"),
        "not_reached": _("The meeting ended before your turn. Your written comments still reach the members."),
        "turn": _("It is your turn: the clerk is calling you now."), "done": _("You have spoken. Thank you."),
        "missed": _("You were called but did not answer. Contact the clerk to be called again."),
        "left": _("You left the queue."), "reconnecting": _("Connection lost. Reconnecting…"),
        "connected": _("Live: this page updates by itself."),
        "live": _("The meeting is in session."), "ended": _("The meeting has ended."),
        "cancelled": _("This meeting was cancelled."), "scheduled": _("The meeting has not started yet."),
    }


def _live(request: HttpRequest, meeting: Meeting, may_watch: bool = False, **more) -> HttpResponse:
    return _framing(render(request, "meetings/live.html", {
        **_detail_context(request, meeting, may_watch), "state": selectors.live_state(meeting.pk),
        "live_strings": live_strings(), **more}))


def live(request: HttpRequest, pk: int) -> HttpResponse:
    return _live(request, selectors.public_meeting(pk))


def attend(request: HttpRequest, token: str) -> HttpResponse:
    """A registered attendee's own page: the stream even when only they may see it, the live
    agenda, and cancelling."""
    reg = get_object_or_404(Registration.objects.select_related("meeting"), token=token)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel":
            services.cancel_registration(reg)
        elif action == "restore":
            try:
                services.restore_registration(reg)
            except services.ParticipationError:
                pass  # the page shows the meeting's state
        return redirect("meetings:attend", token)
    return _live(request, selectors.public_meeting(reg.meeting_id), may_watch=reg.active, attendee=reg)


def speaker(request: HttpRequest, token: str) -> HttpResponse:
    """A speaker's own page: their place in the queue, live."""
    me = get_object_or_404(Speaker.objects.select_related("meeting", "item"), token=token)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        services.withdraw(me)
        return redirect("meetings:speaker", token)
    return _live(request, selectors.public_meeting(me.meeting_id), may_watch=me.state != Speaker.State.WITHDRAWN,
                 me=me)


def _open(pk: int) -> Meeting:
    return selectors.public_meeting(pk)


@limit_posts("form", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def register(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _open(pk)
    resident = getattr(request, "resident", None)
    if request.method != "POST":
        initial = {"name": resident.full_name, "email": resident.email} if resident else {}
        return render(request, "meetings/register.html", {
            "meeting": meeting, "form": RegistrationForm(meeting=meeting, initial=initial),
            "notice_by": services.needs_notice_by(meeting)})
    form = RegistrationForm(request.POST, meeting=meeting)
    if form.is_valid():
        d = form.cleaned_data
        try:
            reg, created = services.register(
                meeting=meeting, name=d["name"], email=d["email"], language=_language(), attend=d["attend"],
                interpretation=d["interpretation"], accommodation=d["accommodation"], resident=resident)
        except services.ParticipationError as e:
            form.add_error(None, str(e))
        else:
            # The personal link is shown only to whoever registered this email first; anyone
            # else typing it finds it in that inbox.
            return render(request, "meetings/registered.html", {"meeting": meeting, "reg": reg, "created": created})
    return render(request, "meetings/register.html", {
        "meeting": meeting, "form": form, "notice_by": services.needs_notice_by(meeting)}, status=400)


@limit_posts("form", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _open(pk)
    items = [i for i in meeting.items.all() if i.accepts_comments]
    resident = getattr(request, "resident", None)
    if request.method != "POST":
        initial = {"email": resident.email} if resident else {}
        if request.GET.get("item", "").isascii() and request.GET.get("item", "").isdigit():
            initial["item"] = int(request.GET["item"])
        return render(request, "meetings/comment.html", {
            "meeting": meeting, "form": CommentForm(items=items, initial=initial)})
    form = CommentForm(request.POST, items=items)
    if form.is_valid():
        d = form.cleaned_data
        item = next(i for i in items if i.pk == d["item"])
        try:
            c = services.submit_comment(meeting=meeting, item=item, public_name=d["public_name"], email=d["email"],
                                        position=d["position"], body=d["body"], language=_language(),
                                        key=d["submission_key"], resident=resident)
        except services.ParticipationError as e:
            form.add_error(None, str(e))
        else:
            return render(request, "meetings/sent.html", {"meeting": meeting, "comment": c})
    return render(request, "meetings/comment.html", {"meeting": meeting, "form": form}, status=400)


@limit_posts("form", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def speak(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _open(pk)
    items = list(meeting.items.all())
    resident = getattr(request, "resident", None)
    if request.method != "POST":
        initial = {"public_name": resident.full_name, "email": resident.email} if resident else {}
        return render(request, "meetings/speak.html", {"meeting": meeting, "form": SpeakForm(items=items,
                                                                                             initial=initial)})
    form = SpeakForm(request.POST, items=items)
    if form.is_valid():
        d = form.cleaned_data
        item = next((i for i in items if i.pk == d["item"]), None)
        try:
            s = services.sign_up_to_speak(meeting=meeting, item=item, public_name=d["public_name"],
                                          email=d["email"], phone=d["phone"], language=_language(),
                                          key=d["submission_key"], resident=resident)
        except services.ParticipationError as e:
            form.add_error(None, str(e))
        else:
            return redirect("meetings:speaker", s.token)
    return render(request, "meetings/speak.html", {"meeting": meeting, "form": form}, status=400)


@limit_posts("form", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body, slug=slug, active=True)
    resident = getattr(request, "resident", None)
    if request.method != "POST":
        return render(request, "meetings/follow.html", {
            "body": body, "form": FollowForm(initial={"email": resident.email if resident else ""})})
    form = FollowForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        sms = d["channel"] == BodySubscription.Channel.SMS
        try:
            sub, needs = services.follow_body(body=body, channel=d["channel"], contact=d["phone"] if sms else d["email"],
                                              language=_language(), resident=resident, consent=d["consent"])
        except services.ParticipationError as e:
            form.add_error("phone" if sms else None, str(e))
        else:
            return render(request, "meetings/follow_state.html", {"sub": sub, "state": "check" if needs else "on"})
    return render(request, "meetings/follow.html", {"body": body, "form": form}, status=400)


def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return opt_in_confirm_page(request, BodySubscription.objects.select_related("body"), token,
                               "meetings/follow_state.html", "sub")


@csrf_exempt  # RFC 8058: a mail client's one-click POST carries no CSRF token
def follow_stop(request: HttpRequest, token: str) -> HttpResponse:
    return opt_in_stop_page(request, BodySubscription.objects.select_related("body"), token,
                            "meetings/follow_state.html", "sub")


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.public_meeting(pk)
    response = HttpResponse(feeds.ical([meeting], meeting.display_title), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def body_ics(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body, slug=slug)
    meetings = list(Meeting.objects.filter(selectors.PUBLIC, body=body).select_related("body")
                    .prefetch_related("translations", "body__translations").order_by("-starts_at")[:200])
    response = HttpResponse(feeds.ical(meetings, body.display_name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{body.slug}.ics"'
    return response


def document(request: HttpRequest, pk: int) -> FileResponse:
    doc = get_object_or_404(Document.objects.select_related("item__meeting"), pk=pk)
    if not doc.item.meeting.public:
        raise Http404
    try:
        handle = doc.file.open("rb")
    except (FileNotFoundError, ValidationError):
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf", as_attachment=False,
                            filename=f"{doc.title[:80] or _('document')}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
