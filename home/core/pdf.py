"""The one way to make a PDF in Huddle: render a Django template, then WeasyPrint.

Resources are resolved from disk, never the network: `/static/...` through the staticfiles
finders (or STATIC_ROOT), `/media/...` through default storage, `data:` URIs inline, and
`file://` only inside the font folders below. Anything else is refused (home.core.pdf_fetch).
WeasyPrint is imported on the first PDF, not when the process starts (about 0.7 s of CPU).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

BASE_URL = "https://pdf.huddle.invalid/"  # fake origin: relative URLs resolve under it, never fetched
FONT_DIRS = (Path("/usr/share/fonts"), Path(settings.BASE_DIR) / "static" / "fonts")

_font_config: FontConfiguration | None = None


def font_configuration() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def __getattr__(name: str):
    if name == "DiskURLFetcher":  # `from home.core.pdf import DiskURLFetcher` still works
        from .pdf_fetch import DiskURLFetcher

        return DiskURLFetcher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_pdf(*, template: str, context: dict) -> bytes:
    """Render `template` with `context` to PDF bytes. Page size and margins belong in the
    template's `@page` CSS; fonts in `@font-face` rules pointing at `/static/fonts/...` or
    `file:///usr/share/fonts/...`."""
    from weasyprint import HTML

    from .pdf_fetch import DiskURLFetcher

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=DiskURLFetcher())
    return document.write_pdf(font_config=font_configuration())
