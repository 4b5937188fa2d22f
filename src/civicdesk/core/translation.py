"""Translated model text in the reader's language.

Translatable content lives in django-parler's translation tables (one row per object and
language; any number of languages, docs/translation.md). ``localized`` returns a field in
the active (or given) language, falling back to the agency's default language when that
translation is missing or the field is empty in it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def localized(obj, field: str, language: str | None = None) -> str:
    from civicdesk.core.languages import normalize

    lang = normalize(language or get_language())
    if hasattr(obj, "safe_translation_getter"):
        value = obj.safe_translation_getter(field, language_code=lang)
        if not value and lang != settings.LANGUAGE_CODE:
            value = obj.safe_translation_getter(field, language_code=settings.LANGUAGE_CODE, any_language=True)
        return value or ""
    return getattr(obj, field)


def save_translations(obj, values: dict[str, dict[str, str]]) -> None:
    """Save ``{language: {field: text}}`` on a saved parler object (only the fields given).
    A language left with no text at all is removed: it falls back to the default language.
    The object's current language is left as it was."""
    current = obj.get_current_language()
    try:
        _save(obj, values)
    finally:
        obj.set_current_language(current)


def _save(obj, values: dict[str, dict[str, str]]) -> None:
    all_fields = list(obj._parler_meta.get_all_fields())
    for language, fields in values.items():
        fields = {name: (value or "").strip() for name, value in fields.items()}
        exists = bool(obj.pk) and obj.has_translation(language)
        if not exists and not any(fields.values()):
            continue  # nothing written in this language: it falls back
        obj.set_current_language(language)
        for name, value in fields.items():
            setattr(obj, name, value)
        if language != settings.LANGUAGE_CODE and not any(getattr(obj, f, "") for f in all_fields):
            obj.delete_translation(language)  # emptied: falls back to the default language
            continue
        obj.save_translations()
