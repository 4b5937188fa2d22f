"""Model text in English and Spanish.

Models keep each translated field twice (``name`` and ``name_es``); ``localized``
returns the one for the active language, falling back to English when the Spanish
text is empty.
"""

from django.utils.translation import get_language


def localized(obj, field: str) -> str:
    lang = (get_language() or "en")[:2]
    if lang != "en":
        value = getattr(obj, f"{field}_{lang}", "")
        if value:
            return value
    return getattr(obj, field)
