"""Photo uploads: decoded, limited, re-encoded without metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from civicdesk.cases import services
from civicdesk.cases.photos import clean_photo
from tests.helpers import jpeg_with_gps, png_bytes, submit

pytestmark = pytest.mark.django_db


def test_gps_and_camera_metadata_are_stripped():
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825)  # the upload carries GPS
    clean = clean_photo("pothole.jpg", raw)
    image = Image.open(io.BytesIO(clean.data))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert b"SERIAL-12345" not in clean.data and b"PhoneMaker" not in clean.data


def test_every_metadata_segment_of_a_jpeg_is_dropped():
    """Probe finding: a JPEG's comment (COM) segment survived the re-encoding."""
    image = Image.new("RGB", (320, 240), (10, 120, 200))
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description GPSLatitude="41,51N"/></x:xmpmeta>'
    image.save(out, format="JPEG", comment=b"Taken at 12 Elm St by Ana Diaz", xmp=xmp, dpi=(300, 300),
               icc_profile=b"\0" * 128)
    raw = out.getvalue()
    assert b"12 Elm St" in raw and b"GPSLatitude" in raw  # the upload carries them
    clean = clean_photo("porch.jpg", raw).data
    assert b"12 Elm St" not in clean and b"Ana Diaz" not in clean and b"GPSLatitude" not in clean
    # Walk the segments: only what a bare baseline JPEG needs (no COM, APPn, ...).
    markers, i = [], 2
    while clean[i] == 0xFF and clean[i + 1] != 0xDA:  # up to the start of scan
        markers.append(clean[i + 1])
        i += 2 + int.from_bytes(clean[i + 2:i + 4], "big")
    assert 0xFE not in markers  # COM
    assert [m for m in markers if 0xE1 <= m <= 0xEF] == []  # APP1..APP15: EXIF, XMP, ICC, ...


def test_transparent_png_becomes_jpeg():
    clean = clean_photo("sign.png", png_bytes())
    assert Image.open(io.BytesIO(clean.data)).format == "JPEG"
    assert (clean.width, clean.height) == (100, 80)


def test_large_photo_is_shrunk_to_max_edge(settings):
    settings.CIVICDESK_PHOTO_MAX_EDGE = 300
    clean = clean_photo("big.jpg", jpeg_with_gps(size=(1200, 900)))
    assert (clean.width, clean.height) == (300, 225)


def test_text_file_named_jpg_is_rejected():
    with pytest.raises(ValidationError) as e:
        clean_photo("photo.jpg", b"this is not an image at all")
    assert "not a photo we can read" in e.value.messages[0]


def test_other_image_formats_are_rejected_with_their_name():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    with pytest.raises(ValidationError) as e:
        clean_photo("x.bmp", out.getvalue())
    assert "BMP" in e.value.messages[0]


def test_truncated_jpeg_is_rejected():
    with pytest.raises(ValidationError) as e:
        clean_photo("cut.jpg", jpeg_with_gps()[:600])
    assert "damaged" in e.value.messages[0] or "not a photo" in e.value.messages[0]


def test_size_and_pixel_limits(settings):
    settings.CIVICDESK_MAX_PHOTO_BYTES = 1000
    with pytest.raises(ValidationError) as e:
        clean_photo("a.jpg", jpeg_with_gps())
    assert "the limit is" in e.value.messages[0]
    settings.CIVICDESK_MAX_PHOTO_BYTES = 10_000_000
    settings.CIVICDESK_MAX_PHOTO_PIXELS = 10_000
    with pytest.raises(ValidationError) as e:
        clean_photo("a.jpg", jpeg_with_gps(size=(200, 100)))
    assert "200 × 100 pixels" in e.value.messages[0]


def test_staged_photos_attach_to_the_request_and_are_capped(service, settings):
    settings.CIVICDESK_MAX_PHOTOS = 2
    key = "k" * 32
    services.stage_photo(upload_key=key, name="1.jpg", raw=jpeg_with_gps())
    services.stage_photo(upload_key=key, name="2.jpg", raw=jpeg_with_gps(size=(480, 640)))
    with pytest.raises(ValidationError):
        services.stage_photo(upload_key=key, name="3.jpg", raw=jpeg_with_gps(size=(500, 500)))
    req = submit(service, key=key, upload_key=key)
    assert req.photos.count() == 2
    stored = req.photos.first().image.read()
    assert b"SERIAL-12345" not in stored


def test_the_same_photo_sent_twice_is_kept_once(service):
    """Two sends of one form that arrive together (a phone back online: its page and its
    service worker) both stage the photo; the request keeps it once (docs/offline.md)."""
    key = "t" * 32
    services.stage_photo(upload_key=key, name="hole.jpg", raw=jpeg_with_gps())
    services.stage_photo(upload_key=key, name="hole.jpg", raw=jpeg_with_gps())
    services.stage_photo(upload_key=key, name="other.jpg", raw=jpeg_with_gps(size=(480, 640)))
    req = submit(service, key=key, upload_key=key)
    assert sorted(p.original_name for p in req.photos.all()) == ["hole.jpg", "other.jpg"]
