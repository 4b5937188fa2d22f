"""Small helpers shared by tests."""

import io
import uuid

from PIL import Image

from civicdesk.cases import services


def submit(service, *, lat=41.85, long=-89.48, address="", email="", description="Hole", key=None,
           answers=None, language="en", **kwargs):
    return services.submit_request(
        service=service, description=description, answers=answers or {},
        location=services.clean_location(lat=lat, long=long, address=address),
        contact=services.clean_contact(email=email), language=language,
        submission_key=key or uuid.uuid4().hex, **kwargs).request


def jpeg_with_gps(size=(640, 480)) -> bytes:
    """A real JPEG carrying EXIF with a GPS position and a camera serial number."""
    image = Image.new("RGB", size, (200, 60, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber
    gps = {1: "N", 2: (41.0, 51.0, 0.0), 3: "W", 4: (89.0, 28.0, 48.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size=(100, 80), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (0, 128, 0, 128) if mode == "RGBA" else (0, 128, 0)).save(out, format="PNG")
    return out.getvalue()
