"""Moving a model's ``<field>`` / ``<field>_es`` columns into django-parler's translation
table (used by the data migrations of catalog, knowledge, surveys and conversations). The
migration first renames ``<field>`` to ``<field>_base`` (parler refuses a translated field
that shares a column's name), creates the translation table, runs this, then drops both.

The old base columns held English. Each object gets an English translation; a Spanish one
when any of its fields had Spanish text, its untranslated fields taking the English text (as
the old per-field fallback showed them), so nothing a reader saw changes and no Spanish
text is lost.
"""

from __future__ import annotations

from django.db import migrations


def forwards(app_label: str, model_name: str, fields: list[str]):
    def run(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        translation = apps.get_model(app_label, f"{model_name}Translation")
        rows = []
        for obj in model.objects.all().iterator():
            english = {f: getattr(obj, f"{f}_base") or "" for f in fields}
            rows.append(translation(master_id=obj.pk, language_code="en", **english))
            spanish = {f: getattr(obj, f"{f}_es", "") or "" for f in fields}
            if any(spanish.values()):  # any Spanish text at all: none of it is lost
                rows.append(translation(master_id=obj.pk, language_code="es",
                                        **{f: spanish[f] or english[f] for f in fields}))
        translation.objects.bulk_create(rows, batch_size=500)

    return run


def backwards(app_label: str, model_name: str, fields: list[str]):
    def run(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        translation = apps.get_model(app_label, f"{model_name}Translation")
        for obj in model.objects.all().iterator():
            by_language = {t.language_code: t for t in translation.objects.filter(master_id=obj.pk)}
            english, spanish = by_language.get("en"), by_language.get("es")
            for f in fields:
                setattr(obj, f"{f}_base", getattr(english, f) if english else "")
                setattr(obj, f"{f}_es", getattr(spanish, f) if spanish else "")
            obj.save()

    return run


class UseTranslatableModel(migrations.operations.base.Operation):
    """State only: give the historical model parler's mixin, which its translation model
    requires, from this migration on (earlier data migrations keep the plain model)."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, name: str):
        self.name = name

    def state_forwards(self, app_label, state):
        from parler.models import TranslatableModelMixin

        model_state = state.models[app_label, self.name.lower()]
        if TranslatableModelMixin not in model_state.bases:
            model_state.bases = (TranslatableModelMixin, *model_state.bases)
        state.reload_model(app_label, self.name.lower(), delay=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Use parler's translatable mixin on {self.name}"

    def deconstruct(self):
        return self.__class__.__qualname__, [self.name], {}
