"""Where a meeting's video comes from: the stream providers the agency allows.

`CIVICDESK_STREAM_PROVIDERS` names the built-in providers whose players may be embedded
(YouTube, through its no-cookie domain, and Vimeo); `CIVICDESK_STREAM_ORIGINS` adds the
agency's own streaming servers (any page on one of those origins is embedded as it is). A
meeting page's Content Security Policy allows frames from exactly these origins and no
others (`frame_origins`). Any other link (a video-call invitation, say) is shown as a link,
never embedded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings


@dataclass(frozen=True)
class Provider:
    name: str
    hosts: frozenset[str]
    origin: str  # where its player lives

    def embed(self, url: str) -> str | None:
        parts = urlsplit(url)
        if self.name == "YouTube":
            if parts.hostname == "youtu.be":
                video = parts.path.strip("/")
            elif parts.path.startswith(("/live/", "/embed/", "/shorts/")):
                video = parts.path.split("/")[2]
            else:
                video = parse_qs(parts.query).get("v", [""])[0]
        else:
            video = parts.path.strip("/").split("/")[-1]
        if not re.fullmatch(r"[A-Za-z0-9_-]{4,64}", video or ""):
            return None
        return f"{self.origin}/{'embed' if self.name == 'YouTube' else 'video'}/{video}"


BUILT_IN = {
    "youtube": Provider("YouTube", frozenset({"www.youtube.com", "youtube.com", "m.youtube.com", "youtu.be",
                                              "www.youtube-nocookie.com"}), "https://www.youtube-nocookie.com"),
    "vimeo": Provider("Vimeo", frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"}),
                      "https://player.vimeo.com"),
}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def providers() -> list[Provider]:
    return [BUILT_IN[key] for key in settings.CIVICDESK_STREAM_PROVIDERS if key in BUILT_IN]


def own_origins() -> list[str]:
    return [_origin(o) for o in settings.CIVICDESK_STREAM_ORIGINS if o]


def frame_origins() -> list[str]:
    """Every origin a meeting page may frame: the allowed providers' players, the agency's own."""
    return sorted({p.origin for p in providers()} | set(own_origins()))


def embed_url(url: str) -> str | None:
    """The player address to embed for a stream address, or None: show it as a link."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http"):
        return None
    if _origin(url) in own_origins():
        return url
    if parts.scheme != "https":
        return None
    for provider in providers():
        if parts.hostname in provider.hosts:
            return provider.embed(url)
    return None


def allowed_names() -> list[str]:
    return [p.name for p in providers()] + [urlsplit(o).hostname or o for o in own_origins()]
