"""The hostile-input corpus: what an attacker types into fields, parameters and uploads.

Each XSS payload, if it ever reached a page unescaped, would leave one of DANGER in the
HTML (and in the browser tests, set ``window.__pwned``). Template payloads would print
"hx49hx" if a resident's text were ever evaluated as a template.
"""

import io
import struct
import zlib

XSS = [
    "<script>hx(1);window.__pwned=1</script>",
    '"><img src=x onerror=hx(2)>',
    "'><svg onload=hx(3)>",
    "<a href=javascript:hx(4)>click</a>",
    "</textarea><iframe srcdoc=hx(5)></iframe>",
]
DANGER = ["<script>hx", "<img src=x onerror=hx", "<svg onload=hx", "<a href=javascript:hx", "<iframe srcdoc=hx",
          'href="javascript:', "hx49hx"]
SQL = ["' OR '1'='1' --", "1; DROP TABLE cases_servicerequest; --", "1 UNION SELECT password FROM accounts_user--"]
HEADER = ["/console/\r\nSet-Cookie: hx=1", "x%0d%0aSet-Cookie:%20hx=1", "a\nX-Hx: 1"]
TRAVERSAL = ["../../../../etc/passwd", "..%2f..%2f..%2fsettings.py", "....//....//etc/hosts"]
TEMPLATE = ["hx{{7*7}}hx", "hx{% widthratio 7 1 7 %}hx", "${7*7}"]
ODD = ["A" * 100_000, "\u202eevil\u202c", "💥" * 300, "nul\x00byte", "\x1b[31mred", "-1", "1e309", "NaN",
       "9" * 400, ""]
CORPUS = XSS + SQL + HEADER + TRAVERSAL + TEMPLATE + ODD


def lying_uploads() -> list[tuple[str, str, bytes]]:
    """(file name, declared content type, bytes): none of them is a photo we may keep."""
    return [
        ("photo.jpg", "image/jpeg", b"<?php system($_GET['c']); ?>"),
        ("photo.png", "image/png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="hx(6)"></svg>'),
        ("photo.gif", "image/gif", b"GIF89a<script>hx(7)</script>"),
        ("../../../etc/passwd.jpg", "image/jpeg", b"\xff\xd8\xff\xe0 not really"),
        ("empty.jpg", "image/jpeg", b""),
        ("bomb.png", "image/png", png_bomb()),
        ("page.html", "text/html", b"<html><script>hx(8)</script></html>"),
    ]


def png_bomb(side: int = 30_000) -> bytes:
    """A valid PNG header announcing side × side pixels (900 megapixels) whose zero-filled
    data compresses to a few hundred kilobytes: decoding it would take gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    out = io.BytesIO()
    for _ in range(200):  # only the first rows: enough to be a plausible start
        out.write(compressor.compress(row))
    out.write(compressor.flush())
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", out.getvalue()) + chunk(b"IEND", b"")
