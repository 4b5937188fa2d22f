"""Machine translation behind a provider-neutral interface (chat between an agent and a
resident who do not share a language; draft translations for staff).

``translator()`` returns the configured provider: ``LibreTranslate`` (a self-hosted,
LibreTranslate-compatible HTTP API) when ``CIVICDESK_TRANSLATOR_URL`` is set, otherwise
``NullTranslator``, which translates nothing: off, no text leaves the server.

LibreTranslate's API: POST {url}/translate with JSON {"q", "source", "target", "format":
"text", "api_key"}; the answer is JSON {"translatedText": "..."}.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings


class TranslationError(Exception):
    pass


class Translator:
    enabled = True

    def translate(self, text: str, source: str, target: str) -> str:
        raise NotImplementedError


class NullTranslator(Translator):
    """Machine translation off: nothing is sent anywhere, nothing is translated."""

    enabled = False

    def translate(self, text: str, source: str, target: str) -> str:
        return ""


def provider_code(code: str) -> str:
    """Our language code as LibreTranslate names it ("zh-hans" -> "zh", "es" -> "es")."""
    return {"zh-hans": "zh", "zh-hant": "zt"}.get(code, code.split("-")[0])


class LibreTranslate(Translator):
    def translate(self, text: str, source: str, target: str) -> str:
        payload = {"q": text, "source": provider_code(source), "target": provider_code(target), "format": "text"}
        if settings.CIVICDESK_TRANSLATOR_KEY:
            payload["api_key"] = settings.CIVICDESK_TRANSLATOR_KEY
        request = urllib.request.Request(
            settings.CIVICDESK_TRANSLATOR_URL.rstrip("/") + "/translate", method="POST",
            data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=settings.CIVICDESK_TRANSLATOR_TIMEOUT_S) as response:
                answer = json.loads(response.read() or b"{}")
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as e:
            raise TranslationError(f"translation service refused or unreachable: {e}") from e
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str):
            raise TranslationError("translation service answered without translatedText")
        return translated


def translator() -> Translator:
    return LibreTranslate() if settings.CIVICDESK_TRANSLATOR_URL else NullTranslator()
