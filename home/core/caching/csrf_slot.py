"""HTML rendered once for many requests, with each request's own CSRF token filled in.

A body kept in a cache is rendered with `CSRF_SLOT` as its `csrf_token`, so `{% csrf_token %}`
writes a fixed input there; `fill` replaces that exact input with one holding this request's
(masked) token, so no request's token is ever stored or served to another. Text from users in
such a body is escaped, so it can never spell the slot's input.
"""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

CSRF_SLOT = "csrf-slot-filled-per-request"
_SLOT_INPUT = f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_SLOT}">'


def fill(request, html: str) -> SafeString:
    """`html` (our own template's output, rendered with `csrf_token=CSRF_SLOT`) with this request's token."""
    if _SLOT_INPUT in html:
        token = f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
        html = html.replace(_SLOT_INPUT, token)
    return mark_safe(html)  # noqa: S308 (our own template's output, the token is letters and digits)
