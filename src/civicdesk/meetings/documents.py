"""Agenda documents: a PDF is accepted only if pypdf can read it as one, within the size and
page limits, unencrypted, and with nothing that runs or launches (JavaScript, launch actions,
embedded files): a council packet is read by thousands of residents, so a file that is not
what it says it is must never reach them. Refused files say exactly why, in the clerk's
language."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

log = logging.getLogger("civicdesk.meetings")

# Names in a PDF that make it do something when opened, rather than just show pages.
ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/SubmitForm", b"/ImportData")


@dataclass
class CleanDocument:
    data: bytes
    pages: int


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}"


def clean_pdf(name: str, raw: bytes) -> CleanDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    limit = settings.CIVICDESK_MAX_DOCUMENT_BYTES
    if not raw:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name})
    if len(raw) > limit:
        raise ValidationError(_("The document “%(name)s” is %(size)s MB; the limit is %(limit)s MB.")
                              % {"name": name, "size": _mb(len(raw)), "limit": _mb(limit)})
    if not raw[:1024].lstrip().startswith(b"%PDF-"):
        raise ValidationError(_("The file “%(name)s” is not a PDF; please upload the document as a PDF.")
                              % {"name": name})
    if any(word in raw for word in ACTIVE):
        raise ValidationError(_("The PDF “%(name)s” contains scripts or embedded files, which we do not publish; "
                                "please export it again as a plain PDF (for example “Print to PDF”).")
                              % {"name": name})
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("The PDF “%(name)s” is protected by a password; please upload it without one.")
                                  % {"name": name})
        pages = len(reader.pages)
        for page in reader.pages:  # every page resolves: a broken file fails here
            page.mediabox  # noqa: B018
        active = _active_parts(reader)
        if active:
            log.info("pdf refused: active content", extra={"file": name[:80], "parts": active})
            raise ValidationError(_("The PDF “%(name)s” contains scripts or embedded files, which we do not "
                                    "publish; please export it again as a plain PDF (for example “Print to PDF”).")
                                  % {"name": name})
    except ValidationError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            OSError) as e:
        log.info("pdf refused", extra={"file": name[:80], "error": str(e)[:200]})
        raise ValidationError(_("The PDF “%(name)s” is damaged or incomplete; please export it again.")
                              % {"name": name}) from None
    if pages == 0:
        raise ValidationError(_("The PDF “%(name)s” has no pages.") % {"name": name})
    if pages > settings.CIVICDESK_MAX_DOCUMENT_PAGES:
        raise ValidationError(_("The PDF “%(name)s” has %(pages)s pages; the limit is %(limit)s.")
                              % {"name": name, "pages": pages, "limit": settings.CIVICDESK_MAX_DOCUMENT_PAGES})
    return CleanDocument(raw, pages)


ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToE", "/Rendition",
           "/Hide", "/SetOCGState", "/Sound", "/Movie"}
ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/OpenAction", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/RichMedia",
               "/Launch"}
MAX_NODES = 200_000  # objects walked at the most: a file built to be walked forever is refused


def _active_parts(reader) -> list[str]:
    """Everything in the document's object tree that runs or launches something: any
    dictionary with one of ACTIVE_KEYS (wherever it hangs: the catalogue, pages, annotations,
    form fields, bookmarks, name trees) or an action whose /S is one of ACTIONS. The parsed
    tree is walked because compressed object streams and #xx-escaped names hide these from
    the byte search. /OpenAction is allowed only as a plain destination (an array: "open at
    page 1"), which every word processor writes."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found: list[str] = []
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer["/Root"]]
    walked = 0
    while stack and len(found) < 5:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            node = node.get_object()
        walked += 1
        if walked > MAX_NODES:
            raise ValueError("too many objects")
        if isinstance(node, DictionaryObject):  # streams too (their dictionary; their data is not code)
            for key, value in node.items():
                if key == "/OpenAction" and isinstance(value.get_object(), ArrayObject):
                    continue
                if key in ACTIVE_KEYS:
                    found.append(key)
                elif key == "/S" and str(value) in ACTIONS:
                    found.append(str(value))
                elif key != "/Parent":  # the way back up: already walked
                    stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return found
