"""The one way to make a PDF in Huddle: render a Django template, then WeasyPrint.

Resources are resolved from disk, never the network: `/static/...` through the staticfiles
finders (or STATIC_ROOT), `/media/...` through default storage, `data:` URIs inline, and
`file://` only inside the font folders below. Anything else is refused.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://pdf.huddle.invalid/"  # fake origin: relative URLs resolve under it, never fetched
FONT_DIRS = (Path("/usr/share/fonts"), Path(settings.BASE_DIR) / "static" / "fonts")

_font_config: FontConfiguration | None = None


def font_configuration() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


class DiskURLFetcher(URLFetcher):
    """Serves static, media and font files from disk; refuses the network."""

    def __init__(self):
        super().__init__(allowed_protocols={"https", "file", "data"})

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.scheme == "file":
            resolved = Path(path).resolve()
            if any(resolved.is_relative_to(d.resolve()) for d in FONT_DIRS) and resolved.is_file():
                return URLFetcherResponse(url, resolved.read_bytes(), {"Content-Type": _mime(path)})
            raise ValueError(f"PDF may not read {url}")
        if parts.netloc != urlsplit(BASE_URL).netloc:
            raise ValueError(f"PDF rendering never fetches from the network: {url}")
        if path.startswith(settings.STATIC_URL):
            relative = path[len(settings.STATIC_URL) :]
            found = finders.find(relative) or _under(Path(settings.STATIC_ROOT), relative)
            if found:
                return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": _mime(path)})
        elif path.startswith(settings.MEDIA_URL):
            name = path[len(settings.MEDIA_URL) :]
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as fh:
                    return URLFetcherResponse(url, fh.read(), {"Content-Type": _mime(path)})
        raise ValueError(f"No such static or media file: {path}")


def _under(root: Path, relative: str) -> str | None:
    candidate = (root / relative).resolve()
    return str(candidate) if candidate.is_relative_to(root.resolve()) and candidate.is_file() else None


def _mime(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def render_pdf(*, template: str, context: dict) -> bytes:
    """Render `template` with `context` to PDF bytes. Page size and margins belong in the
    template's `@page` CSS; fonts in `@font-face` rules pointing at `/static/fonts/...` or
    `file:///usr/share/fonts/...`."""
    html = render_to_string(template, context)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=DiskURLFetcher())
    return document.write_pdf(font_config=font_configuration())
