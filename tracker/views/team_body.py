"""A team page's body (everything inside the page's container) rendered once per version of the
team's data, with what differs per request filled into slots.

The body is a `tracker.views.cached.team_fragment`-keyed entry: the team, its data version (every
write to the team moves it, in every process), the day and the time zone. It is rendered without the
request; each value that belongs to one request (the CSRF token `{% csrf_token %}` writes, the 1:1's
"held at" = now) is rendered as a slot and filled per request (home.core.caching.csrf_slot), so no
user's token is ever stored or served to another.
Only for bodies that are the same for everyone who may see the team (access is checked first) and
that read nothing outside the team's tracker rows. A body that changes at a moment of its own (a
board link that expires) gives that moment as `valid_until` in its context: from then on the next
view renders it again. `kept` in the context (plain values, e.g. the 1:1's member name for the page
title) is stored with the body and given back with it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from home.core.caching import memo
from home.core.caching.csrf_slot import CSRF_SLOT, fill

from ..models import Team
from .cached import FRAGMENT_SECONDS, fragment_key


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
    return fill(request, entry[0], slots), entry[2]


def team_body(
    request, *, team: Team, name: str, day: datetime.date, template: str, context: Callable[[], dict]
) -> SafeString:
    """`kept_team_body`'s HTML, for bodies with no slot of their own and nothing kept beside."""
    return kept_team_body(request, team=team, name=name, day=day, template=template, context=context)[0]
