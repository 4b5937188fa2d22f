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


ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToE"}


def _action_kinds(action) -> set[str]:
    try:
        action = action.get_object()
        kinds = {str(action.get("/S", ""))}
        nxt = action.get("/Next")
        if nxt is not None:
            for a in (nxt if isinstance(nxt, list) else [nxt]):
                kinds |= _action_kinds(a)
        return kinds
    except AttributeError:
        return set()


def _active_parts(reader) -> list[str]:
    """What in the document's structure runs or launches something (compressed object
    streams hide these names from the byte search above, so the parsed tree is walked)."""
    found = []
    root = reader.trailer["/Root"].get_object()
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        found += [n for n in ("/JavaScript", "/EmbeddedFiles") if n in names]
    if "/OpenAction" in root and not isinstance(root["/OpenAction"].get_object(), list):
        if _action_kinds(root["/OpenAction"]) & ACTIONS:
            found.append("/OpenAction")
    if "/AA" in root:
        found.append("/AA")
    if "/AcroForm" in root and "/XFA" in root["/AcroForm"].get_object():
        found.append("/XFA")
    for number, page in enumerate(reader.pages, start=1):
        if "/AA" in page:
            found.append(f"page {number} /AA")
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/A" in annot and _action_kinds(annot["/A"]) & ACTIONS:
                found.append(f"page {number} link")
            if annot.get("/Subtype") in ("/FileAttachment", "/RichMedia", "/Movie", "/Screen"):
                found.append(f"page {number} {annot.get('/Subtype')}")
        page.mediabox  # noqa: B018 (resolves the page's own objects: a broken file fails here)
    return found
