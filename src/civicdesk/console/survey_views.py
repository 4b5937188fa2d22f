"""Supervisors edit surveys in the console: the questions in English and Spanish, with a
preview of the form residents see, in both languages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from civicdesk.surveys.models import MAX_QUESTIONS, Question, Survey
from civicdesk.surveys.views import _form

from .knowledge_views import _lead
from .views import staff_required


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["name", "name_es", "intro", "intro_es", "trigger", "active"]


QuestionFormSet = forms.inlineformset_factory(
    Survey, Question, fields=["order", "kind", "measure", "text", "text_es", "required", "choices"],
    extra=1, can_delete=True, max_num=MAX_QUESTIONS, validate_max=True,
    widgets={"text": forms.TextInput(attrs={"size": 60}), "text_es": forms.TextInput(attrs={"size": 60, "lang": "es"})})


@staff_required
def surveys(request: HttpRequest) -> HttpResponse:
    _lead(request)
    rows = Survey.objects.annotate(n=Count("responses")).order_by("name")
    return render(request, "console/surveys.html", {"surveys": rows})


@staff_required
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _lead(request)
    survey = get_object_or_404(Survey, pk=pk)
    form = SurveyForm(request.POST or None, instance=survey)
    formset = QuestionFormSet(request.POST or None, instance=survey, prefix="questions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        form.save()
        formset.save()
        messages.success(request, _("Survey saved."))
        return redirect("console:survey_edit", pk=survey.pk)
    subject = _("Pothole repair")
    previews = []
    for lang in ("en", "es"):
        with translation.override(lang):
            previews.append({"lang": lang, "name": survey.display_name, "intro": survey.display_intro,
                             "rows": _form(request, survey, subject)})
    return render(request, "console/survey_edit.html", {
        "survey": survey, "form": form, "formset": formset, "previews": previews})
