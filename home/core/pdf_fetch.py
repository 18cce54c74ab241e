"""The URL fetcher of home.core.pdf: static, media and font files from disk, never the network.

Its own module because it subclasses WeasyPrint's fetcher, and WeasyPrint takes about 0.7 s of CPU
to import: home.core.pdf imports this (and WeasyPrint) only when a PDF is made, so no process pays
that at start-up (web workers, the task worker, the scheduler, every manage.py command).
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .pdf import BASE_URL, FONT_DIRS


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
