"""A team page's body (everything inside the page's container) rendered once per version of the
team's data, with what differs per request filled into slots.

The body is a `tracker.views.cached.team_fragment`-keyed entry: the team, its data version (every
write to the team moves it, in every process), the day and the time zone. It is rendered without the
request; each value that belongs to one request (the CSRF token `{% csrf_token %}` writes, the 1:1's
"held at" = now) is rendered as a slot, an attribute value `slot(name)`, and each request replaces
the exact `value="<slot>"` with its own value, so no user's token is ever stored or served to
another. User text in the body is escaped (its `"` becomes `&quot;`), so it can never spell a slot.
Only for bodies that are the same for everyone who may see the team (access is checked first) and
that read nothing outside the team's tracker rows. A body that changes at a moment of its own (a
board link that expires) gives that moment as `valid_until` in its context: from then on the next
view renders it again. `kept` in the context (plain values, e.g. the 1:1's member name for the page
title) is stored with the body and given back with it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from home.core.caching import memo

from ..models import Team
from .cached import FRAGMENT_SECONDS, fragment_key


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


def kept_team_body(
    request,
    *,
    team: Team,
    name: str,
    day: datetime.date,
    template: str,
    context: Callable[[], dict],
    slots: dict[str, str] | None = None,
) -> tuple[SafeString, dict]:
    """(`template` rendered with `context()` for this team, the context's `kept` values), from the
    cache when this version of the team's data rendered it already, with this request's CSRF token
    and `slots` filled in; `name` must carry every other argument the body depends on (the month,
    the period, the member)."""
    key = fragment_key(team_id=team.pk, name=f"body:{name}", day=day)
    entry = memo.get(key)  # (html, valid_until or None, kept)
    if entry is None or (entry[1] is not None and timezone.now() >= entry[1]):
        values = context()
        html = render_to_string(template, {**values, "csrf_token": CSRF_SLOT})
        entry = (html, values.get("valid_until"), values.get("kept", {}))
        memo.set(key, entry, FRAGMENT_SECONDS)
    html = entry[0]
    if CSRF_SLOT in html:
        html = fill_slots(html, {"csrf": get_token(request)})
    if slots:
        html = fill_slots(html, slots)
    return mark_safe(html), entry[2]  # noqa: S308 (our own template's output, every filled value escaped)


def team_body(
    request, *, team: Team, name: str, day: datetime.date, template: str, context: Callable[[], dict]
) -> SafeString:
    """`kept_team_body`'s HTML, for bodies with no slot of their own and nothing kept beside."""
    return kept_team_body(request, team=team, name=name, day=day, template=template, context=context)[0]
