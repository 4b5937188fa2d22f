"""Resident pages: answer a survey (by a single-use link, or the open "give feedback" form),
and the public performance page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civicdesk.core.languages import agency_name, normalize
from civicdesk.core.ratelimit import limit_posts

from . import services
from .models import Question, Response, Survey

SESSION_KEY = "civicdesk_survey_response"


def _lang() -> str:
    return normalize(get_language())


def _form(request, survey, subject, response=None, errors=None, raw=None):
    answers = {}
    if response is not None:
        for a in response.answers.all():
            answers[f"q{a.question_id}"] = str(a.number) if a.number is not None else a.text
    answers.update(raw or {})
    rows = []
    for q in survey.questions.all():
        key = f"q{q.pk}"
        if q.kind == Question.Kind.AGREE5:
            options = [("1", _("Strongly disagree")), ("2", _("Disagree")), ("3", _("Neither agree nor disagree")),
                       ("4", _("Agree")), ("5", _("Strongly agree"))]
        elif q.kind == Question.Kind.CSAT5:
            options = [("1", _("Very dissatisfied")), ("2", _("Dissatisfied")), ("3", _("Neutral")),
                       ("4", _("Satisfied")), ("5", _("Very satisfied"))]
        elif q.kind == Question.Kind.YESNO:
            options = [("1", _("Yes")), ("0", _("No"))]
        elif q.kind == Question.Kind.SCALE10:
            options = [(str(i), str(i)) for i in range(11)]
        elif q.kind == Question.Kind.CHOICE:
            options = [(str(c["key"]), c.get(f"name_{_lang()}") or c["name"]) for c in q.choices]
        else:
            options = []
        rows.append({"q": q, "key": key, "text": q.display_text(subject), "options": options,
                     "value": answers.get(key, ""), "error": (errors or {}).get(key)})
    return rows


@require_http_methods(["GET", "POST"])
@limit_posts("forms", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def answer(request: HttpRequest, token: str) -> HttpResponse:
    inv = services.invitation_for(token)
    if inv is None:
        return render(request, "surveys/invalid.html", status=404)
    response = Response.objects.filter(invitation=inv).first()
    if inv.completed_at is not None:
        return render(request, "surveys/invalid.html", {"used": True}, status=410)
    return _answer(request, inv.survey, services.subject_for(inv), invitation=inv, response=response)


@require_http_methods(["GET", "POST"])
@limit_posts("forms", "CIVICDESK_RATE_FORMS_PER_MINUTE")
def feedback(request: HttpRequest) -> HttpResponse:
    survey = Survey.objects.filter(trigger=Survey.Trigger.ALWAYS, active=True).first()
    if survey is None:
        raise Http404
    # A resident who saves part of the form keeps working on the same response.
    response = Response.objects.filter(pk=request.session.get(SESSION_KEY), survey=survey,
                                       complete=False).first()
    return _answer(request, survey, agency_name(), response=response, open_form=True)


def _answer(request, survey, subject, *, invitation=None, response=None, open_form=False):
    errors, raw = {}, None
    if request.method == "POST":
        raw = {k: v for k, v in request.POST.items() if k.startswith("q")}
        response, errors = services.record(
            survey=survey, raw=raw, invitation=invitation, response=response, language=_lang(),
            channel="web", complete="save" not in request.POST)
        if open_form and not response.complete:
            request.session[SESSION_KEY] = response.pk
        if not errors and response.complete:
            request.session.pop(SESSION_KEY, None)
            return redirect("surveys:thanks")
        if not errors:
            return render(request, "surveys/form.html", {
                "survey": survey, "rows": _form(request, survey, subject, response), "saved": True})
    return render(request, "surveys/form.html", {
        "survey": survey, "rows": _form(request, survey, subject, response, errors, raw),
        "errors": errors}, status=400 if errors else 200)


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/thanks.html")


def performance(request: HttpRequest) -> HttpResponse:
    from .figures import public_performance

    return render(request, "surveys/performance.html", public_performance())
