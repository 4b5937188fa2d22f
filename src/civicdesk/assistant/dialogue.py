"""The assistant's side of a conversation: answer, guide, or hand over to a person.

`reply(conversation, message)` runs after a resident's message is stored, in the same worker
thread, and posts the assistant's answer as an ordinary message (persist, then publish), so
the transcript an agent sees after a hand-off is the whole conversation.

What it does with a message, in order:
0. Urgent words (fire, gas smell, bleeding, …; CIVICDESK_URGENT_WORDS) -> the emergency
   notice first, once per conversation; a service with its own notice -> that notice first.
1. "agent", "person", "human" (or Spanish) -> hand off now.
2. Inside a guided flow (reporting a problem, waiting for a request number) -> next step.
3. A request number (2026-004213) -> its status and latest public update.
4. "status of my request" -> asks for the number.
5. "hours", "open", "horario" -> the department's office hours, unless an article answers
   the question with confidence (the pools' summer hours, say).
6. Otherwise the engine ranks articles and services: an article -> its summary and a link;
   a service -> offers to file the request here; not confident -> asks to rephrase once,
   then hands off (with its best guess of the topic in an internal note).
It never makes an answer up: every answer is an article's own summary, a service's own
name, a request's own status or a department's own hours.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicdesk.catalog.models import Department, Service, ServiceQuestion
from civicdesk.conversations.models import Conversation, Message
from civicdesk.core.languages import agency_name
from civicdesk.core.text import detect_language, words

from . import brain
from .models import Turn


def agency_languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


PUBLIC_ID = re.compile(r"\b(\d{4})-(\d{6})\b")
PERSON = {"agent", "person", "human", "representative", "someone", "operator", "staff",
          "agente", "persona", "humano", "representante", "alguien", "operador"}
STATUS = {"status", "estado", "update", "progress", "seguimiento"}
REQUEST_WORDS = {"request", "report", "case", "ticket", "solicitud", "reporte", "caso", "queja"}
HOURS = {"hours", "open", "opening", "close", "closing", "horario", "horarios", "abierto",
         "abren", "cierran", "abre", "cierra"}
YES = {"yes", "y", "yeah", "yep", "sure", "ok", "okay", "si", "claro", "dale", "vale"}
NO = {"no", "nope", "nah", "cancel", "cancelar", "stop"}
SKIP = {"skip", "none", "no", "omitir", "ninguno", "saltar"}
GREETING = {"hi", "hello", "hey", "hola", "buenas", "buenos", "dias", "tardes", "noches",
            "good", "morning", "afternoon", "evening"}
MAX_MISSES = 2


def say(conv: Conversation, body: str) -> Message:
    from civicdesk.conversations import services

    return services.post_assistant_message(conv, body)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _log(conv, question, language, outcome, result=None, answer="", label="") -> None:
    best = result.best if result else None
    Turn.objects.create(conversation=conv, question=question[:2000], language=language,
                        outcome=outcome, label=label or (best.label if best else ""),
                        score=best.score if best else 0.0,
                        support=result.support if result else 0.0, answer=answer[:2000])


def greeting(language: str) -> str:
    with translation.override(language):
        return _("Hello! I am the city's virtual assistant. Ask me a question, report a "
                 "problem, or give me a request number to check its status. Type “agent” "
                 "at any time to reach a person.")


@transaction.atomic
def reply(conv: Conversation, message: Message) -> None:
    conv = Conversation.objects.select_for_update().get(pk=conv.pk)
    if conv.state != Conversation.State.ASSISTANT:
        return
    text = message.body
    # Mid-report the resident types addresses, answers and emails ("1228 elm street"), no
    # evidence of their language: the conversation keeps its own until the report ends.
    filing = (conv.assistant_state or {}).get("flow") in ("report", "schedule")
    language = detect_language(text, agency_languages(), default=conv.language) \
        if len(words(text)) >= 3 and not filing else conv.language
    if language != conv.language:
        conv.language = language
        conv.save(update_fields=["language"])
    with translation.override(language):
        _reply(conv, text, language)
        conv.save(update_fields=["assistant_state"])


def _fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text.lower())
    return " ".join(re.findall(r"\w+", "".join(c for c in text if not unicodedata.combining(c))))


def is_urgent(text: str) -> bool:
    """Any of the agency's urgent words or phrases, in any shipped language (a resident in
    danger may not write in the language the chat started in)."""
    folded = f" {_fold(text)} "
    return any(f" {_fold(w)} " in folded for ws in settings.CIVICDESK_URGENT_WORDS.values() for w in ws if w)


def emergency_notice(service: Service | None = None) -> str:
    """The service's own notice, or the agency's general one."""
    if service is not None and service.display_emergency_notice:
        return service.display_emergency_notice
    return _("If someone is hurt or in danger, or you see fire or smell gas, call %(number)s now. This chat "
             "and the request form are not watched for emergencies.") % {
        "number": settings.CIVICDESK_EMERGENCY_NUMBER}


def _reply(conv: Conversation, text: str, language: str) -> None:
    if not isinstance(conv.assistant_state, dict):
        conv.assistant_state = {}
    state = conv.assistant_state
    if is_urgent(text) and not state.get("warned"):
        state["warned"] = True  # once per conversation; then the resident is helped as usual
        say(conv, emergency_notice())
    ws = set(words(text))
    if ws & PERSON and not state.get("flow") == "report":
        return handoff(conv, text, language, reason=_("The resident asked for a person."))
    if ws & PERSON and state.get("flow") == "report" and len(ws) <= 4:
        return handoff(conv, text, language, reason=_("The resident asked for a person."))
    flow = state.get("flow")
    if flow == "report":
        return _report_step(conv, text, language)
    if flow == "schedule":
        return _schedule_address(conv, text, language)
    if flow == "confirm":
        state.pop("flow")
        if ws & YES and not ws & NO:
            return _start_report(conv, text, language, state.pop("service"))
        if ws & NO and len(ws) <= 3:
            state.pop("service", None)
            say(conv, _("All right. What else can I help you with?"))
            return _log(conv, text, language, Turn.Outcome.FLOW)
    match = PUBLIC_ID.search(text)
    if match or flow == "status":
        state.pop("flow", None)
        return _status(conv, text, language, match.group(0) if match else "")
    if ws & STATUS and (ws & REQUEST_WORDS or "my" in ws or "mi" in ws):
        state["flow"] = "status"
        say(conv, _("What is the request number? It looks like 2026-004213 and is in the "
                    "confirmation email."))
        return _log(conv, text, language, Turn.Outcome.STATUS)
    result = brain.rank(text, language)
    best_is_article = bool(result and result.confident
                           and result.best.label.startswith("article:"))
    if ws & HOURS and not best_is_article:  # an article about it (pool hours) answers better
        return _hours(conv, text, language, result)
    if ws and ws <= GREETING | {"there", "ola"}:
        say(conv, greeting(language))
        return _log(conv, text, language, Turn.Outcome.FLOW)
    if result is None or not result.confident:
        state["misses"] = state.get("misses", 0) + 1
        if state["misses"] >= MAX_MISSES:
            return handoff(conv, text, language, result=result,
                           reason=_("The assistant did not understand twice."))
        say(conv, _refusal(conv))
        return _log(conv, text, language, Turn.Outcome.UNSURE, result)
    state["misses"] = 0
    state["topic"] = result.best.label
    kind, pk = brain.parse_label(result.best.label)
    # A collection schedule nearly as close as an article about it ("when is trash
    # picked up?" and the article on trash days) answers better: with this resident's dates.
    schedule = next((m for m in result.matches[1:3] if m.label.startswith("schedule:")
                     and m.score >= 0.85 * result.best.score), None)
    if kind == "article" and schedule is not None:
        kind, pk = brain.parse_label(schedule.label)
    if kind == "article":
        return _answer_article(conv, text, language, pk, result)
    if kind == "schedule":
        return _schedule(conv, text, language, pk, result)
    if kind == "notice":
        return _answer_notice(conv, text, language, pk, result)
    return _offer_service(conv, text, language, pk, result)


def _notice_text(notice) -> str:
    from django.utils import formats
    from django.utils import timezone as tz

    return _("%(title)s: %(body)s (from %(start)s until %(end)s)") % {
        "title": notice.display_name, "body": notice.display_body,
        "start": formats.date_format(tz.localtime(notice.starts_at), "DATETIME_FORMAT"),
        "end": formats.date_format(tz.localtime(notice.ends_at), "DATETIME_FORMAT")}


def _answer_notice(conv, text, language, pk, result) -> None:
    """A question about a service notice (a water shutdown, a road closure): the notice as
    published, while it is on or about to be."""
    from civicdesk.schedules import selectors as schedules

    notice = schedules.notice(pk)
    if notice is None:  # ended or withdrawn since training
        say(conv, _("I am not sure I understood. Could you say it another way?"))
        return _log(conv, text, language, Turn.Outcome.UNSURE, result)
    answer = _("Notice from the city: %(notice)s") % {"notice": _notice_text(notice)}
    say(conv, answer)
    _log(conv, text, language, Turn.Outcome.ANSWERED, result, answer)


# --- collection schedules -----------------------------------------------------------------

def _schedule(conv, text, language, pk, result) -> None:
    """"When is my trash picked up?": the dates at the resident's address, asked for once
    per conversation."""
    state = conv.assistant_state
    state["schedule_service"] = pk
    if state.get("home_id"):
        return _answer_schedule(conv, text, language, result)
    state["flow"], state["schedule_tries"] = "schedule", 0
    say(conv, _("What is your address? Type the house number and street, for example 1228 Elm St."))
    _log(conv, text, language, Turn.Outcome.FLOW, result)


def _schedule_address(conv, text, language) -> None:
    from civicdesk.schedules import selectors as schedules

    state = conv.assistant_state
    options = state.pop("home_options", [])
    picked = text.strip()
    chosen = options[int(picked) - 1] if picked.isdigit() and 0 < int(picked) <= len(options) else None
    match = schedules.find_address("" if chosen else text, chosen["ref"] if chosen else "")
    if match.candidate:
        state.pop("flow", None)
        state["home_id"] = match.candidate.ref
        return _answer_schedule(conv, text, language)
    state["schedule_tries"] = state.get("schedule_tries", 0) + 1
    if state["schedule_tries"] >= 2:
        state.pop("flow", None)
        say(conv, _("I still could not find that address. You can look it up here, with suggestions "
                    "as you type: %(url)s") % {"url": _absolute(reverse("schedules:lookup"))})
        return _log(conv, text, language, Turn.Outcome.FLOW)
    if match.suggestions:
        state["home_options"] = [{"ref": c.ref, "label": c.label} for c in match.suggestions[:5]]
        say(conv, _("I could not find “%(address)s”. Did you mean: %(options)s? Answer with a number, "
                    "or type the address again.") % {
            "address": text.strip()[:80],
            "options": "; ".join(f"{n}. {o['label']}" for n, o in enumerate(state["home_options"], 1))})
    else:
        say(conv, _("I could not find “%(address)s” in the city's address list. Type the house number "
                    "and the street, for example 1228 Elm St.") % {"address": text.strip()[:80]})
    _log(conv, text, language, Turn.Outcome.FLOW)


def _answer_schedule(conv, text, language, result=None) -> None:
    from civicdesk.addresses import services as addresses
    from civicdesk.schedules import selectors as schedules
    from civicdesk.schedules.templatetags.schedule_dates import weekday_day

    state = conv.assistant_state
    address = addresses.by_ref(state["home_id"])
    found = schedules.schedule_at(address) if address else None
    wanted = next((s for s in found.services if s.service.pk == state.get("schedule_service")), None) \
        if found else None
    link = _absolute(reverse("schedules:lookup")) + f"?address_id={address.ref}" if address else ""
    if wanted is None:
        answer = _("The city has no collection schedule of that kind for %(address)s. Every "
                   "schedule for it: %(url)s") % {"address": address.label if address else "", "url": link}
    elif not wanted.days:
        answer = _("%(service)s at %(address)s: no collection in the next two months (outside its "
                   "season). Every schedule for it: %(url)s") % {
            "service": wanted.service.display_name, "address": address.label, "url": link}
    else:
        first = wanted.days[0]
        answer = _("%(service)s at %(address)s: next on %(day)s.") % {
            "service": wanted.service.display_name, "address": address.label, "day": weekday_day(first.date)}
        if first.change:
            answer += " " + _("It moved from %(usual)s (%(why)s).") % {
                "usual": weekday_day(first.usual), "why": first.change}
        if len(wanted.days) > 1:
            answer += " " + _("Then %(days)s.") % {"days": "; ".join(weekday_day(d.date) for d in wanted.days[1:3])}
        rules = wanted.service.display_rules
        if rules:
            answer += " " + rules
        answer += "\n\n" + _("Every schedule for your address, and a calendar for your phone: "
                              "%(url)s") % {"url": link}
    for notice in schedules.service_notices(address.lat, address.long, soon_days=7) if address else []:
        answer += "\n\n" + _("Notice from the city: %(notice)s") % {"notice": _notice_text(notice)}
    say(conv, answer)
    _log(conv, text, language, Turn.Outcome.ANSWERED, result, answer,
         label=brain.label_for("schedule", state.get("schedule_service") or 0))


def _refusal(conv: Conversation) -> str:
    """Nothing the agency wrote answers this: say so, never offer the nearest article as if
    it did; give the other ways to reach the agency, and a person now if one can answer."""
    from civicdesk.conversations import services as conversations

    words = [_("I can't help with that here: nothing the city has written answers it. "
               "If you meant something else, try other words.")]
    phone, email = settings.CIVICDESK_AGENCY_PHONE, settings.CIVICDESK_AGENCY_EMAIL
    if phone and email:
        words.append(_("You can also call %(phone)s or write to %(email)s.") % {"phone": phone, "email": email})
    elif phone or email:
        words.append(_("You can also reach us at %(contact)s.") % {"contact": phone or email})
    if conversations.queue_is_open(conv.department):
        words.append(_("Type “agent” to talk to a person now."))
    else:
        words.append(_("Type “agent” to leave a message for the team."))
    return " ".join(words)


# --- answers ------------------------------------------------------------------------------

def _answer_article(conv, text, language, pk, result) -> None:
    from civicdesk.knowledge.models import Article

    article = Article.objects.published().filter(pk=pk).first()
    if article is None:  # unpublished since training
        say(conv, _("I am not sure I understood. Could you say it another way?"))
        return _log(conv, text, language, Turn.Outcome.UNSURE, result)
    title, summary, note = _article_in(article, language)
    answer = _("%(summary)s\n\nMore: %(title)s, %(url)s") % {
        "summary": summary, "title": title, "url": _absolute(article.get_absolute_url())}
    if note:
        answer = f"{note}\n\n{answer}"
    others = _related(result, exclude=article.pk)
    if others:
        answer += "\n" + _("Or perhaps: %(titles)s") % {"titles": "; ".join(others)}
    say(conv, answer)
    _log(conv, text, language, Turn.Outcome.ANSWERED, result, answer)


def _article_in(article, language: str) -> tuple[str, str, str]:
    """(title, summary, note) for a resident reading `language`. An article not written in
    it is said to be in its own language; its summary is machine-translated when the agency
    has a translation provider (and marked as such), else given as written."""
    from django.core.cache import cache
    from django.utils.translation import get_language_info

    from civicdesk.core.translator import TranslationError, translator

    if article.in_language(language):
        title, summary, _body = article.text(language)
        return title, summary, ""
    available = article.get_available_languages()
    source = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in available or not available \
        else available[0]
    title, summary, _body = article.text(source)
    try:
        names = {"language": get_language_info(source)["name_translated"]}
    except KeyError:  # a language Django has no name for: the agency's own name for it
        names = {"language": dict(settings.LANGUAGES).get(source, source)}
    engine = translator()
    if engine.enabled and summary:
        key = f"assistant:mt:{article.pk}:{article.updated_at.timestamp()}:{source}:{language}"
        translated = cache.get(key)
        if translated is None:
            try:
                translated = engine.translate(summary, source, language).strip()
            except TranslationError:
                translated = ""
            if translated:
                cache.set(key, translated, 24 * 3600)
        if translated:
            return title, translated, _(
                "This article is written in %(language)s only. Here is a machine translation "
                "of it, which may contain mistakes:") % names
    return title, summary, _("This article is written in %(language)s only. Here it is:") % names


def _related(result, exclude: int) -> list[str]:
    """Titles of the runner-up articles when they are nearly as good a match."""
    from civicdesk.knowledge.models import Article

    out = []
    best = result.best.score
    for m in result.matches[1:3]:
        parsed = brain.parse_label(m.label)
        if parsed and parsed[0] == "article" and parsed[1] != exclude and m.score >= 0.85 * best:
            a = Article.objects.published().filter(pk=parsed[1]).first()
            if a:
                out.append(f"{a.display_title}, {_absolute(a.get_absolute_url())}")
    return out


def _offer_service(conv, text, language, pk, result) -> None:
    service = Service.objects.active().filter(pk=pk).first()
    if service is None:
        say(conv, _("I am not sure I understood. Could you say it another way?"))
        return _log(conv, text, language, Turn.Outcome.UNSURE, result)
    name = service.display_name
    if service.display_emergency_notice:
        say(conv, service.display_emergency_notice)  # before anything else about this topic
    conv.assistant_state.update(flow="confirm", service=service.pk)
    answer = _("That sounds like “%(service)s”. I can file the request for you here: shall I "
               "start? (yes or no) You can also use the form: %(url)s") % {
        "service": name, "url": _absolute(reverse("portal:report", args=[service.service_code]))}
    say(conv, answer)
    _log(conv, text, language, Turn.Outcome.SERVICE, result, answer)


def _status(conv, text, language, public_id: str) -> None:
    from civicdesk.cases import selectors

    if not public_id:
        say(conv, _("That does not look like a request number. It looks like 2026-004213. "
                    "What else can I help you with?"))
        return _log(conv, text, language, Turn.Outcome.STATUS)
    try:
        req = selectors.public_request(public_id)
    except Http404:
        req = None
    from civicdesk.cases import publication

    if req is not None and not publication.is_public(req.service):
        req = None  # a private report: told only through its private link, never to anyone with the number
    if req is None:
        answer = _("I cannot find request %(id)s. Please check the number.") % {"id": public_id}
    else:
        latest = (selectors.public_timeline(req).exclude(kind="priority").order_by("-created_at", "-id").first()
                  if publication.shown(req, req.service).details else None)
        answer = _("Request %(id)s (%(service)s) is %(status)s.") % {
            "id": req.public_id, "service": req.service.display_name,
            "status": req.get_status_display().lower()}
        if latest is not None and latest.message and latest.review == "published":
            answer += " " + _("Latest update: %(text)s") % {"text": latest.message[:300]}
        answer += " " + _("Details: %(url)s") % {
            "url": _absolute(reverse("portal:request", args=[req.public_id]))}
    say(conv, answer)
    _log(conv, text, language, Turn.Outcome.STATUS, answer=answer)


def _department_for(conv: Conversation, label: str | None) -> Department | None:
    parsed = brain.parse_label(label or "")
    if parsed and parsed[0] == "service":
        s = Service.objects.filter(pk=parsed[1]).select_related("department").first()
        if s:
            return s.department
    if parsed and parsed[0] == "article":
        from civicdesk.knowledge.models import Article

        a = Article.objects.filter(pk=parsed[1]).first()
        if a:
            d = a.departments.first() or Department.objects.filter(
                services__articles=a).first()
            if d:
                return d
    return conv.department


def _hours(conv, text, language, result) -> None:
    from civicdesk.core.business_hours import describe

    label = result.best.label if result and result.best and result.confident else None
    department = _department_for(conv, label)
    if department is None:
        names = ", ".join(d.display_name for d in Department.objects.all()[:12])
        say(conv, _("Which department? For example: %(names)s.") % {"names": names})
        return _log(conv, text, language, Turn.Outcome.HOURS, result)
    answer = _("%(department)s: %(hours)s") % {
        "department": department.display_name, "hours": describe(department.schedule())}
    if department.phone:
        answer += " " + _("Phone: %(phone)s.") % {"phone": department.phone}
    if department.address:
        answer += " " + _("Office: %(address)s.") % {"address": department.address}
    say(conv, answer)
    _log(conv, text, language, Turn.Outcome.HOURS, result, answer)


# --- reporting a problem ------------------------------------------------------------------

def _questions(service: Service) -> list[ServiceQuestion]:
    return [q for q in service.questions.all() if q.variable and q.required]


def _start_report(conv, text, language, service_pk) -> None:
    service = Service.objects.active().filter(pk=service_pk).first()
    if service is None:
        say(conv, _("That service no longer takes requests. What else can I help you with?"))
        return _log(conv, text, language, Turn.Outcome.FLOW)
    conv.assistant_state.update(flow="report", service=service.pk, step="description",
                                answers={})
    say(conv, _("Let's file “%(service)s”. First, describe the problem in a sentence or two. "
                "(Type “cancel” to stop.)") % {"service": service.display_name})
    _log(conv, text, language, Turn.Outcome.FLOW, label=brain.label_for("service", service.pk))


def _ask(conv, service: Service, step: str) -> None:
    state = conv.assistant_state
    state["step"] = step
    if step == "location":
        say(conv, _("Where is it? Type the street address or the nearest intersection."))
    elif step == "contact":
        say(conv, _("If you want updates by email, type your email address; otherwise type "
                    "“skip”. We use it only for this request."))
    else:
        q = service.questions.get(code=step)
        prompt = q.display_description
        if q.datatype in ServiceQuestion.LIST_TYPES:
            options = "; ".join(f"{i}. {label}" for i, (_k, label) in
                                enumerate(q.choices(), 1))
            prompt += " " + _("Answer with a number: %(options)s") % {"options": options}
            if q.datatype == ServiceQuestion.Datatype.MULTIVALUELIST:
                prompt += " " + _("(several: 1, 3)")
        elif q.display_help:
            prompt += f" ({q.display_help})"
        say(conv, prompt)


def _next_step(service: Service, step: str) -> str:
    order = ["description"] + [q.code for q in _questions(service)] + ["location", "contact"]
    return order[order.index(step) + 1] if step in order and step != "contact" else "submit"


def _parse_choice(q: ServiceQuestion, text: str):
    choices = q.choices()
    picked = []
    for part in re.split(r"[,\s]+", text.strip()):
        if part.isdigit() and 1 <= int(part) <= len(choices):
            picked.append(choices[int(part) - 1][0])
        else:
            for key, label in choices:
                if part and part.lower() in (key.lower(), label.lower()):
                    picked.append(key)
    if not picked:
        for key, label in choices:  # the whole answer is an option's name
            if text.strip().lower() in (key.lower(), label.lower()):
                picked.append(key)
    if q.datatype == ServiceQuestion.Datatype.SINGLEVALUELIST:
        return picked[0] if len(picked) == 1 else text.strip()
    return picked or [text.strip()]


def _report_step(conv, text, language) -> None:
    from civicdesk.cases import services as cases

    state = conv.assistant_state
    ws = set(words(text))
    if ws & {"cancel", "cancelar"} and len(ws) <= 3:
        conv.assistant_state = {"misses": 0}
        say(conv, _("Cancelled; nothing was filed. What else can I help you with?"))
        return _log(conv, text, language, Turn.Outcome.FLOW)
    service = Service.objects.active().filter(pk=state.get("service")).first()
    if service is None:
        conv.assistant_state = {}
        say(conv, _("That service no longer takes requests. What else can I help you with?"))
        return _log(conv, text, language, Turn.Outcome.FLOW)
    step = state.get("step", "description")
    answers = state.setdefault("answers", {})
    if step == "confirm":  # the summary was shown: file only on a yes
        if ws & YES and not ws & NO:
            return _submit(conv, text, language, service)
        if ws & NO:
            conv.assistant_state = {"misses": 0}
            say(conv, _("All right, nothing was filed. You can start again, or use the form: %(url)s") % {
                "url": _absolute(reverse("portal:report", args=[service.service_code]))})
            return _log(conv, text, language, Turn.Outcome.FLOW)
        say(conv, _("Please answer yes to file it, or no to stop."))
        return _log(conv, text, language, Turn.Outcome.FLOW)
    found_note = hint = ""
    try:
        if step == "description":
            if len(text.strip()) < 3:
                raise ValidationError(_("Please describe the problem in a few words."))
            state["description"] = text.strip()[:4000]
        elif step == "location":
            options = state.pop("address_options", [])
            pick = text.strip().rstrip(".")
            chosen = options[int(pick) - 1] if pick.isdigit() and 1 <= int(pick) <= len(options) else None
            try:
                location = cases.clean_location(lat=None, long=None, address="" if chosen else text,
                                                address_id=chosen["ref"] if chosen else "")
            except cases.AddressNotFound as e:
                if e.suggestions:
                    state["address_options"] = [{"ref": c.ref, "label": c.label} for c in e.suggestions]
                    listing = "; ".join(f"{i}. {c.label}" for i, c in enumerate(e.suggestions, 1))
                    raise ValidationError(_("I could not find “%(address)s” in %(agency)s. Did you mean: "
                                            "%(options)s? Answer with a number, or type the address again.")
                                          % {"address": text.strip()[:80], "agency": agency_name(),
                                             "options": listing}) from None
                raise
            state["address"], state["address_id"] = location.address[:255], location.address_id
            if location.address_id:
                found_note = _("I found %(address)s.") % {"address": location.address} + " "
            else:  # never taken silently: the resident knows staff will have to place it
                found_note = _("I could not match “%(address)s” to the city's address list; I will send it "
                               "as you wrote it and the team will place it.") % {"address": location.address} + " "
        elif step == "contact":
            if not (ws & SKIP and len(ws) <= 2):
                cases.clean_contact(email=text.strip())
                state["email"] = text.strip()
        else:
            q = service.questions.get(code=step)
            listed = q.datatype in ServiceQuestion.LIST_TYPES
            value = _parse_choice(q, text) if listed else text.strip()
            try:
                cases.clean_answer(q, value)
            except ValidationError:
                if not listed:
                    raise
                options = "; ".join(f"{i}. {label}" for i, (_k, label) in enumerate(q.choices(), 1))
                hint = " " + _("Answer with a number: %(options)s") % {"options": options}
                raise
            answers[step] = value
    except ValidationError as e:
        message = " ".join(e.messages)
        say(conv, message if state.get("address_options") else message + " " + _("Please try again.") + hint)
        return _log(conv, text, language, Turn.Outcome.FLOW)
    nxt = _next_step(service, step)
    if nxt != "submit":
        if found_note:
            say(conv, found_note.strip())
        _ask(conv, service, nxt)
        return _log(conv, text, language, Turn.Outcome.FLOW)
    state["step"] = "confirm"
    say(conv, _summary(service, state))
    return _log(conv, text, language, Turn.Outcome.FLOW)


def _summary(service: Service, state: dict) -> str:
    """Everything the report will say, for a yes or no before anything is filed."""
    lines = [_("Here is your report:"), _("Service: %(s)s") % {"s": service.display_name},
             (_("Where: %(a)s") if state.get("address_id") or not state.get("address") else
              _("Where: %(a)s (as you wrote it; not found in the address list)")) % {"a": state.get("address") or "—"},
             _("Problem: %(d)s") % {"d": state.get("description", "")[:300]}]
    for q in _questions(service):
        value = state.get("answers", {}).get(q.code)
        if value in (None, "", []):
            continue
        labels = dict(q.choices())
        shown = ", ".join(labels.get(v, v) for v in value) if isinstance(value, list) else labels.get(value, value)
        lines.append(f"{q.display_description} {shown}")
    lines.append(_("Updates by email to: %(e)s") % {"e": state["email"]} if state.get("email")
                 else _("No email: follow it with the request number."))
    lines.append(_("Shall I file it? (yes or no)"))
    return "\n".join(lines)


def _submit(conv, text, language, service: Service) -> None:
    from civicdesk.cases import services as cases
    from civicdesk.conversations import services as conversations

    state = conv.assistant_state
    try:
        answers = cases.clean_answers(service=service, raw=state.get("answers", {}))
        location = cases.clean_location(lat=None, long=None, address=state.get("address", ""),
                                        address_id=state.get("address_id", ""))
        contact = cases.clean_contact(email=state.get("email", ""))
        submission = cases.submit_request(
            service=service, description=state.get("description", ""), answers=answers,
            location=location, contact=contact, resident=conv.resident, language=language,
            channel="chat", submission_key=f"chat-{conv.public_id}-{conv.last_seq}")
    except ValidationError as e:
        conv.assistant_state = {}
        say(conv, _("I could not file it: %(reason)s You can use the form instead: %(url)s") % {
            "reason": " ".join(e.messages),
            "url": _absolute(reverse("portal:report", args=[service.service_code]))})
        return _log(conv, text, language, Turn.Outcome.FLOW)
    req = submission.request
    conversations.link_request(conversation=conv, request=req)
    conv.assistant_state = {"misses": 0}
    answer = _("Done. Your request number is %(id)s. Follow it here: %(url)s") % {
        "id": req.public_id, "url": _absolute(reverse("portal:request", args=[req.public_id]))}
    say(conv, answer)
    _log(conv, text, language, Turn.Outcome.REPORTED, answer=answer,
         label=brain.label_for("service", service.pk))


# --- hand-off -----------------------------------------------------------------------------

def handoff(conv: Conversation, text: str, language: str, *, reason: str, result=None) -> None:
    """To the right department's queue with a note for the agent; after hours, a message."""
    from civicdesk.conversations import services as conversations

    topic = (result.best.label if result and result.best else None) or \
        conv.assistant_state.get("topic")
    department = _department_for(conv, topic)
    guess = _topic_title(topic)
    conv.department = department
    conv.assistant_state = {"handed_off": True, "topic": topic}
    # One rule (docs/chat.md): someone can answer now (the queue's hours, an agent online) and
    # the chat joins the queue, with its place and the expected wait; or nobody can, and it
    # waits as a message for an answer by email or text. Never both.
    open_now = conversations.queue_is_open(department)
    conv.state = Conversation.State.WAITING if open_now else Conversation.State.MESSAGE
    conv.waiting_since = timezone.now()
    conv.save(update_fields=["department", "assistant_state", "state", "waiting_since"])
    note = _("Handed over by the assistant. %(reason)s Best guess of the topic: %(topic)s.") % {
        "reason": reason, "topic": guess or _("unknown")}
    conversations.post_message(conversation=conv, sender=Message.Sender.NOTE, body=note)
    if open_now:
        say(conv, _("I am passing you to a person; they will see this conversation.") + " "
            + conversations.waiting_words(conv))
    elif conv.channel == Conversation.Channel.SMS:
        say(conv, _("No one is available right now. The team will answer this number by text "
                    "during office hours."))
    else:
        say(conv, _("No one is available right now. Leave your email address and a message, "
                    "and the team will answer by email."))
    conversations.announce_waiting(conv, offer_message=conv.channel == Conversation.Channel.CHAT)
    _log(conv, text, language, Turn.Outcome.HANDOFF if open_now else Turn.Outcome.MESSAGE,
         result, label=topic or "")
    if open_now:
        transaction.on_commit(lambda: conversations.auto_assign(department))


def _topic_title(label: str | None) -> str:
    parsed = brain.parse_label(label or "")
    if not parsed:
        return ""
    if parsed[0] == "service":
        s = Service.objects.filter(pk=parsed[1]).first()
        return s.name if s else ""
    if parsed[0] in ("schedule", "notice"):
        from civicdesk.assistant.selectors import titles_for

        return titles_for([label]).get(label, "")
    from civicdesk.knowledge.models import Article

    a = Article.objects.filter(pk=parsed[1]).first()
    return a.display_title if a else ""
