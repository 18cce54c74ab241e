"""HTML rendered once for many requests, with what belongs to one request filled into slots.

A body kept in a cache is rendered without the request. Each value that belongs to one request is
rendered as a slot, an attribute value `slot(name)`: the CSRF token (`{% csrf_token %}`, rendered
with `csrf_token=CSRF_SLOT`, writes `value="<CSRF_SLOT>"`) or another (the tracker's 1:1 "held at"
= now). Each request replaces the exact `value="<slot>"` with its own value, escaped, so no
request's token is ever stored or served to another. User text in such a body is escaped (its `"`
becomes `&quot;`), so it can never spell a slot. Used by the lesson page's kept body
(lessons/page_body.py) and the tracker's team bodies (tracker/views/team_body.py).
"""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def slot(name: str) -> str:
    """The placeholder a kept body holds where a per-request value goes (letters and dashes only)."""
    return f"{name}-slot-filled-per-request"


CSRF_SLOT = slot("csrf")


def fill_slots(html: str, values: dict[str, str]) -> str:
    """`html` with each slot's attribute value (`value="<slot>"`) replaced by its escaped value."""
    for name, value in values.items():
        marker = f'value="{slot(name)}"'
        if marker in html:
            html = html.replace(marker, f'value="{escape(value)}"')
    return html


def fill(request, html: str, slots: dict[str, str] | None = None) -> SafeString:
    """`html` (our own template's output, rendered with `csrf_token=CSRF_SLOT`) with this request's
    CSRF token and `slots` filled in."""
    if CSRF_SLOT in html:
        html = fill_slots(html, {"csrf": get_token(request)})
    if slots:
        html = fill_slots(html, slots)
    return mark_safe(html)  # noqa: S308 (our own template's output, every filled value escaped)
