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


class ProviderServer:
    """A real HTTP server in an outside provider's role (translation, geocoding, SMS), on a
    free port in a thread. ``answer(method, path, query, body)`` returns (status, JSON);
    every call is kept in ``calls`` as (path, query or body)."""

    def __init__(self, answer):
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs, urlparse

        self.calls = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, method):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                outer.calls.append((url.path, body if method == "POST" else query))
                status, out = answer(method, url.path, query, body, self.headers)
                raw = json.dumps(out).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                self._reply("GET")

            def do_POST(self):
                self._reply("POST")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
