"""Supervisors edit surveys in the console: the questions in each of the agency's languages,
with a preview of the form residents see in each."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from civicdesk.core.forms import TranslatedFieldsMixin
from civicdesk.core.models import by_display_name
from civicdesk.surveys.models import MAX_QUESTIONS, Question, Survey
from civicdesk.surveys.views import _form

from .knowledge_views import _lead
from .views import staff_required


class SurveyForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("name", "intro")

    class Meta:
        model = Survey
        fields = ["trigger", "active"]


class QuestionForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("text",)

    class Meta:
        model = Question
        fields = ["order", "kind", "measure", "required", "choices"]


QuestionFormSet = forms.inlineformset_factory(
    Survey, Question, form=QuestionForm, extra=1, can_delete=True, max_num=MAX_QUESTIONS, validate_max=True)


@staff_required
def surveys(request: HttpRequest) -> HttpResponse:
    _lead(request)
    rows = by_display_name(Survey.objects.annotate(n=Count("responses")).prefetch_related("translations"))
    return render(request, "console/surveys.html", {"surveys": rows})


@staff_required
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _lead(request)
    survey = get_object_or_404(Survey, pk=pk)
    form = SurveyForm(request.POST or None, instance=survey)
    formset = QuestionFormSet(request.POST or None, instance=survey, prefix="questions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():  # the survey, its questions and their texts, or nothing
            form.save()
            formset.save()
        messages.success(request, _("Survey saved."))
        return redirect("console:survey_edit", pk=survey.pk)
    subject = _("Pothole repair")
    previews = []
    for lang, language in settings.LANGUAGES:
        with translation.override(lang):
            previews.append({"lang": lang, "language": language, "name": survey.display_name,
                             "intro": survey.display_intro,
                             "rows": _form(request, survey, subject)})
    return render(request, "console/survey_edit.html", {
        "survey": survey, "form": form, "formset": formset, "previews": previews})
