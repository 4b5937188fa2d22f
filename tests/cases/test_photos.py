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
    services.stage_photo(upload_key=key, name="2.jpg", raw=jpeg_with_gps())
    with pytest.raises(ValidationError):
        services.stage_photo(upload_key=key, name="3.jpg", raw=jpeg_with_gps())
    req = submit(service, key=key, upload_key=key)
    assert req.photos.count() == 2
    stored = req.photos.first().image.read()
    assert b"SERIAL-12345" not in stored
