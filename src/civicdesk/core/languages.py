"""The agency's languages, as configuration.

``CIVICDESK_LANGUAGES`` lists them ("en,es,fr"), the default first unless
``CIVICDESK_DEFAULT_LANGUAGE`` says otherwise. Adding one is that setting plus a translation
file (``locale/<code>/LC_MESSAGES/django.po``, docs/translation.md); translated content in the
database (django-parler) needs no migration for it.
"""

from __future__ import annotations

from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy
from django.utils.translation import get_language


def parse(codes: str) -> list[tuple[str, str]]:
    """``"en,es"`` -> ``[("en", "English"), ("es", "español")]``: each language's code and
    its name in itself, as the language switch shows it."""
    out: list[tuple[str, str]] = []
    for code in (c.strip().lower() for c in codes.split(",")):
        if not code or code in dict(out):
            continue
        info = LANG_INFO.get(code)
        if info is None or "name_local" not in info:
            raise ImproperlyConfigured(f"CIVICDESK_LANGUAGES: unknown language code {code!r} "
                                       "(use Django's codes, such as en, es, fr, vi, zh-hans, ar)")
        out.append((code, info["name_local"]))
    if not out:
        raise ImproperlyConfigured("CIVICDESK_LANGUAGES lists no language")
    return out


def codes() -> list[str]:
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES]


def is_shipped(code: str | None) -> bool:
    return bool(code) and code in codes()


def normalize(code: str | None) -> str:
    """A language code as the agency ships it ("es-MX" -> "es"), or the default language."""
    from django.conf import settings

    code = (code or "").lower()
    if code in codes():
        return code
    base = code.split("-")[0]
    return base if base in codes() else settings.LANGUAGE_CODE


def parse_names(value: str) -> dict[str, str]:
    """``"es=Ciudad de Riverton;fr=Ville de Riverton"`` -> ``{"es": ..., "fr": ...}``."""
    out = {}
    for part in value.split(";"):
        code, _sep, name = part.partition("=")
        if code.strip() and name.strip():
            out[code.strip().lower()] = name.strip()
    return out


def agency_name(language: str | None = None) -> str:
    """The agency's name in a language (CIVICDESK_AGENCY_NAMES), else its default name: a
    Spanish sentence says "Ciudad de Riverton", not "City of Riverton"."""
    from django.conf import settings

    return settings.CIVICDESK_AGENCY_NAMES.get(normalize(language or get_language())) or settings.CIVICDESK_AGENCY_NAME


# For template contexts built before the language is switched (emails): read when rendered.
AGENCY_NAME = lazy(agency_name, str)()
