"""The built-in surveys: A-11 CX, CSAT, customer effort, NPS and the "give feedback" form."""

from django.db import migrations


def create(apps, schema_editor):
    from civicdesk.surveys.services import BUILT_IN

    Survey = apps.get_model("surveys", "Survey")
    Question = apps.get_model("surveys", "Question")
    for slug, (name, name_es, trigger, intro, intro_es, questions) in BUILT_IN.items():
        survey, created = Survey.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_es": name_es, "trigger": str(trigger),
                                 "intro": intro, "intro_es": intro_es, "built_in": True})
        if created:
            for order, (kind, measure, text, text_es) in enumerate(questions):
                Question.objects.create(survey=survey, order=order, kind=str(kind),
                                        measure=str(measure), text=text, text_es=text_es)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
