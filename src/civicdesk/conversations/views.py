"""HTTP side of the chat widget: start a conversation, leave a message, send a
transcript, attach an image, and come back from an emailed link.

These endpoints are called by the widget from any agency website, so they take the
conversation's token instead of a session and CSRF cookie (they are csrf-exempt), and
they are rate-limited per client address.
"""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from civicdesk.cases.photos import clean_photo
from civicdesk.catalog.models import Department
from civicdesk.core import languages
from civicdesk.core.languages import agency_name
from civicdesk.core.models import by_display_name
from civicdesk.integrations.auth import client_ip, rate_limited

from . import services
from .models import Conversation, Message
from .tasks import check_resume_token
from .widget_strings import widget_strings


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"  # token-authorized, no cookies involved
    response["Access-Control-Allow-Headers"] = "Content-Type"
    return response


def _json(data: dict, status: int = 200) -> HttpResponse:
    return _cors(JsonResponse(data, status=status))


def _errors(e: ValidationError) -> HttpResponse:
    fields = e.message_dict if hasattr(e, "error_dict") else {"__all__": e.messages}
    return _json({"errors": {k: [str(m) for m in v] for k, v in fields.items()}}, status=400)


class _NulInBody(Exception):
    """A JSON body with a NUL character (\\u0000) in it: no text field can store one."""


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _data(request: HttpRequest) -> dict:
    """The request's fields (JSON or a form; form bodies with NUL never get here, see
    core.middleware.RejectNulMiddleware)."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        if _has_nul(data):
            raise _NulInBody
        return data if isinstance(data, dict) else {}
    return request.POST.dict()


def _language(data: dict) -> str:
    return languages.normalize(str(data.get("language") or translation.get_language() or ""))


def _authorized(request: HttpRequest, public_id: str, data: dict) -> Conversation:
    conv = Conversation.objects.filter(public_id=public_id[:16]).first()
    token = str(data.get("token", ""))[:400]
    if conv is None or not (services.check_token(conv, token) or check_resume_token(conv, token)):
        raise Http404
    return conv


def _limited(request: HttpRequest) -> bool:
    return rate_limited(f"chat:{client_ip(request)}", settings.CIVICDESK_RATE_CHAT_PER_MINUTE)


def _preflight(view):
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return _cors(HttpResponse(status=204))
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return _json({"errors": {"__all__": [_("This conversation is not available.")]}}, status=404)
        except _NulInBody:
            return _json({"errors": {"__all__": [_(
                "What was sent contains a NUL character (\\0), which no field can hold. "
                "Remove it, or type the text again, and try once more.")]}}, status=400)

    wrapper.__name__ = view.__name__
    return csrf_exempt(wrapper)


@require_GET
def config(request: HttpRequest) -> HttpResponse:
    """What the widget needs to draw its first screen, in the asked language."""
    lang = _language(request.GET)
    with translation.override(lang):
        departments = [{"slug": d.slug, "name": d.display_name}
                       for d in by_display_name(Department.objects.prefetch_related("translations"))]
        strings = widget_strings()
    return _json({"departments": departments, "wait_offer_s": settings.CIVICDESK_CHAT_WAIT_OFFER_S,
                  "agency": agency_name(lang), "strings": strings})


@_preflight
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    if _limited(request):
        return _json({"errors": {"__all__": [_("Too many chats from here; try again in a minute.")]}}, status=429)
    data = _data(request)
    lang = _language(data)
    department = None
    if data.get("department"):
        department = Department.objects.filter(slug=str(data["department"])[:50]).first()
        if department is None:
            return _json({"errors": {"department": [_("Choose a topic from the list.")]}}, status=400)
    with translation.override(lang):
        started = services.start_conversation(department=department, language=lang, resident=request.resident,
                                              subject=str(data.get("subject", ""))[:200])
    conv = started.conversation
    return _json({"conversation": conv.public_id, "token": started.token, "open": started.open,
                  "state": conv.state, "websocket": "/ws/chat/",
                  "wait_offer_s": settings.CIVICDESK_CHAT_WAIT_OFFER_S}, status=201)


@_preflight
@require_POST
def leave_message(request: HttpRequest, public_id: str) -> HttpResponse:
    data = _data(request)
    conv = _authorized(request, public_id, data)
    with translation.override(conv.language):
        try:
            services.leave_message(conversation=conv, email=str(data.get("email", "")), name=str(data.get("name", "")),
                                   body=str(data.get("body", "")))
        except ValidationError as e:
            return _errors(e)
        return _json({"ok": True, "message": _("Thank you. We will answer by email.")})


@_preflight
@require_POST
def transcript(request: HttpRequest, public_id: str) -> HttpResponse:
    data = _data(request)
    conv = _authorized(request, public_id, data)
    if _limited(request):
        return _json({"errors": {"__all__": [_("Too many requests; try again in a minute.")]}}, status=429)
    with translation.override(conv.language):
        try:
            services.send_transcript(conversation=conv, email=str(data.get("email", "")))
        except ValidationError as e:
            return _errors(e)
        return _json({"ok": True, "message": _("The transcript is on its way.")})


@_preflight
@require_POST
def attachment(request: HttpRequest, public_id: str) -> HttpResponse:
    conv = _authorized(request, public_id, request.POST)
    upload = request.FILES.get("image")
    with translation.override(conv.language):
        if upload is None:
            return _json({"errors": {"image": [_("Choose an image to send.")]}}, status=400)
        try:
            photo = clean_photo(upload.name, upload.read())
            msg = services.post_message(conversation=conv, sender=Message.Sender.RESIDENT,
                                        body=str(request.POST.get("body", ""))[:500],
                                        client_id=str(request.POST.get("client_id", "")), attachment=photo.data)
        except ValidationError as e:
            return _errors(e if hasattr(e, "error_dict") else ValidationError({"image": e.messages}))
        return _json({"seq": msg.seq}, status=201)


def resume(request: HttpRequest, public_id: str) -> HttpResponse:
    """The emailed link: a page that opens the widget on this conversation."""
    conv = Conversation.objects.filter(public_id=public_id[:16]).first()
    token = request.GET.get("t", "")
    if conv is None or not check_resume_token(conv, token):
        return render(request, "conversations/resume.html", {"valid": False}, status=404)
    return render(request, "conversations/resume.html", {"valid": True, "conv": conv, "token": token})


@csrf_exempt
@require_POST
def inbound_email(request: HttpRequest) -> HttpResponse:
    """An inbound-mail webhook: the raw MIME message as the body."""
    from .email_channel import Rejected, receive

    expected = settings.CIVICDESK_INBOUND_EMAIL_TOKEN
    given = request.headers.get("X-CivicDesk-Inbound-Token", "")
    if not expected or not secrets.compare_digest(expected, given):
        return JsonResponse({"error": "bad or missing X-CivicDesk-Inbound-Token"}, status=403)
    try:
        result = receive(request.body)
    except Rejected as e:
        return JsonResponse({"error": str(e)}, status=422)
    return JsonResponse({"conversation": result.conversation.public_id, "created": result.created},
                        status=201 if result.created else 200)


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest) -> HttpResponse:
    from civicdesk.core.sms import SmsError, is_stop, provider, stop_requested

    sms = provider()
    if sms is None:
        return JsonResponse({"error": "SMS is not configured"}, status=404)
    if not sms.verify(request):
        return JsonResponse({"error": "bad signature"}, status=403)
    try:
        inbound = sms.parse(request)
        if is_stop(inbound.body):
            stop_requested.send(sender=inbound_sms, phone=inbound.sender)
        msg = services.receive_sms(sender=inbound.sender, body=inbound.body, provider_id=inbound.provider_id)
    except (SmsError, ValidationError) as e:
        return JsonResponse({"error": str(e)}, status=400)
    return JsonResponse({"conversation": msg.conversation.public_id, "seq": msg.seq}, status=201)
