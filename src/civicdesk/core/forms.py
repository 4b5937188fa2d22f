"""Forms for translated content: one input per language of the agency for each translated
field (``<field>_<code>``), the default language required where the field is."""

from __future__ import annotations

from django import forms
from django.conf import settings

from civicdesk.core.translation import save_translations


class TranslatedFieldsMixin:
    """For a ModelForm of a parler model: list the translated fields in ``translated_fields``
    (they are not in ``Meta.fields``). They come first, each language after the other."""

    translated_fields: tuple[str, ...] = ()
    translated_widgets: dict[str, type[forms.Widget]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        meta = type(instance)._parler_meta
        added = {}
        for name in self.translated_fields:
            model_field = meta.get_model_by_field(name)._meta.get_field(name)
            for code, language in settings.LANGUAGES:
                default = code == settings.LANGUAGE_CODE
                field = model_field.formfield(required=default and not model_field.blank)
                if name in self.translated_widgets:
                    field.widget = self.translated_widgets[name]()
                field.widget.attrs["lang"] = code
                field.widget.attrs.setdefault(
                    "class", "usa-textarea" if isinstance(field.widget, forms.Textarea) else "usa-input")
                name_text = str(model_field.verbose_name)
                field.label = f"{name_text[:1].upper()}{name_text[1:]} · {language}"
                if instance.pk and instance.has_translation(code):
                    field.initial = getattr(instance.get_translation(code), name)
                added[f"{name}_{code}"] = field
        self.fields = {**added, **self.fields}

    def translations(self) -> dict[str, dict[str, str]]:
        return {code: {name: self.cleaned_data.get(f"{name}_{code}", "") for name in self.translated_fields}
                for code, _language in settings.LANGUAGES}

    def save(self, commit=True):
        obj = super().save(commit=commit)
        if commit:
            save_translations(obj, self.translations())
        return obj


def check_email(form: forms.Form, field: str, value: str, missing: str) -> None:
    """An email field a form needs only in some cases (reminders by email, area alerts):
    `missing` when it is empty, the usual example when it is not an address."""
    from django.core.validators import validate_email
    from django.utils.translation import gettext as _

    value = (value or "").strip()
    if not value:
        form.add_error(field, missing)
        return
    try:
        validate_email(value)
    except forms.ValidationError:
        form.add_error(field, _("Enter an email address like name@example.com."))
