"""Byte ranges (RFC 9110 §14) for files served through a view: iOS Safari plays a video only
when the server answers `Range: bytes=0-1` with 206 Partial Content. Django's FileResponse and
Wagtail's document view send the whole file, so `ranged_response` answers a single range itself
(several ranges, or a malformed header, get the whole file, as the RFC allows).

The answer is a plain HttpResponse (Wagtail's `before_serve_document` hooks take nothing else),
so a range is cut at MAX_PART bytes: `Content-Range` says what was sent, and players (Safari's
included) ask for the next part, as they do with any server that sends ranges in parts."""

from __future__ import annotations

import re

from django.http import HttpResponse

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
MAX_PART = 4 * 1024 * 1024


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) inclusive for one satisfiable range; None to send the whole file (no header,
    several ranges, or a malformed one); False when the range cannot be satisfied (416)."""
    match = _RANGE.match((header or "").strip())
    if not match or match.group(1) == match.group(2) == "":
        return None
    start, end = match.group(1), match.group(2)
    if start == "":  # the last N bytes
        length = int(end)
        if length == 0 or size == 0:
            return False
        return max(0, size - length), size - 1
    first = int(start)
    last = min(int(end), size - 1) if end else size - 1
    if first >= size or (end and int(end) < first):
        return False
    return first, last


def ranged_response(request, file, *, size: int, content_type: str) -> HttpResponse | None:
    """A 206 (or 416) for a request with one byte range over the open `file`; None when the
    caller should send the whole file as usual."""
    wanted = parse_range(request.headers.get("Range", ""), size)
    if wanted is None:
        return None
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    first, last = wanted
    last = min(last, first + MAX_PART - 1)
    try:
        file.seek(first)
        data = file.read(last - first + 1)
    finally:
        file.close()
    response = HttpResponse(data, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {first}-{first + len(data) - 1}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response
