"""Photo validation and cleaning.

A photo is accepted only if Pillow can decode it as JPEG, PNG or WebP within the size
and pixel limits; it is then rotated upright, shrunk to a maximum edge and re-encoded as
a fresh JPEG, which drops every piece of metadata (EXIF, GPS position, camera serial).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass
class CleanPhoto:
    data: bytes
    width: int
    height: int


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}"


def clean_photo(name: str, raw: bytes) -> CleanPhoto:
    """Decode, check and re-encode one upload; raise ValidationError saying exactly why not."""
    max_bytes = settings.CIVICDESK_MAX_PHOTO_BYTES
    max_pixels = settings.CIVICDESK_MAX_PHOTO_PIXELS
    if len(raw) == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name})
    if len(raw) > max_bytes:
        raise ValidationError(
            _("The photo “%(name)s” is %(size)s MB; the limit is %(limit)s MB.")
            % {"name": name, "size": _mb(len(raw)), "limit": _mb(max_bytes)}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(raw))
            fmt = probe.format
            width, height = probe.size
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("The file “%(name)s” is a %(format)s image; please send a JPEG, PNG or WebP photo.")
                    % {"name": name, "format": fmt or "?"}
                )
            if width * height > max_pixels:
                raise ValidationError(
                    _("The photo “%(name)s” is %(w)s × %(h)s pixels; the limit is %(mp)s megapixels.")
                    % {"name": name, "w": width, "h": height, "mp": max_pixels // 1_000_000}
                )
            probe.verify()  # checks the file's structure without decoding all pixels
            image = Image.open(io.BytesIO(raw))
            image.load()  # decodes every pixel: truncated or corrupt data fails here
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The file “%(name)s” is not a photo we can read; please send a JPEG, PNG or WebP photo.")
            % {"name": name}
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The photo “%(name)s” is damaged or incomplete; please take or export it again.")
            % {"name": name}
        ) from None

    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    edge = settings.CIVICDESK_PHOTO_MAX_EDGE
    image.thumbnail((edge, edge))
    out = io.BytesIO()
    # A new JPEG written from pixels only: no exif=, no icc_profile=, and no info carried
    # over from the upload (Pillow writes info["comment"] back as a COM segment, and may
    # write XMP, DPI and other segments from it), so no metadata.
    image.info = {}
    image.save(out, format="JPEG", quality=85, optimize=True, comment=b"")
    return CleanPhoto(data=out.getvalue(), width=image.width, height=image.height)
