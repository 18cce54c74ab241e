"""A team page's body (everything inside the page's container) rendered once per version of the
team's data, with this request's CSRF token filled in.

The body is a `tracker.views.cached.team_fragment`: keyed on the team, its data version (every write
to the team moves it, in every process), the day and the time zone. It is rendered without the
request, with a fixed slot where `{% csrf_token %}` writes its hidden input, filled per request
(home.core.caching.csrf_slot).
Only for bodies that are the same for everyone who may see the team (access is checked first) and
that read nothing outside the team's tracker rows. A body that changes at a moment of its own (a
board link that expires) gives that moment as `valid_until` in its context: from then on the next
view renders it again.
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


def team_body(
    request, *, team: Team, name: str, day: datetime.date, template: str, context: Callable[[], dict]
) -> SafeString:
    """`template` rendered with `context()` for this team, from the cache when this version of
    the team's data rendered it already; `name` must carry every other argument the body depends
    on (the month, the period)."""

    key = fragment_key(team_id=team.pk, name=f"body:{name}", day=day)
    entry = memo.get(key)  # (html, valid_until or None)
    if entry is None or (entry[1] is not None and timezone.now() >= entry[1]):
        values = context()
        entry = (render_to_string(template, {**values, "csrf_token": CSRF_SLOT}), values.get("valid_until"))
        memo.set(key, entry, FRAGMENT_SECONDS)
    return fill(request, entry[0])
