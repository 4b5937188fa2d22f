"""Our Content Security Policy blocks inline scripts and event handlers, so a template that
uses one is broken in every browser (the articles filter once was). Found here before a
browser test has to stumble on it."""

import re
from pathlib import Path

import civicdesk

SRC = Path(civicdesk.__file__).parent
INLINE_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.S)
INLINE_STYLE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=|<style[\s>]", re.S)


def test_no_template_relies_on_inline_code_or_styles():
    offenders = []
    for path in SRC.rglob("*.html"):
        if "static/vendor" in str(path):
            continue
        text = path.read_text(encoding="utf-8")
        for name, pattern in [("event handler", INLINE_HANDLER), ("inline script", INLINE_SCRIPT),
                              ("inline style", INLINE_STYLE)]:
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                offenders.append(f"{path.relative_to(SRC)}:{line}: {name}: {m.group(0)[:80]}")
    assert offenders == []
