"""Rendered parts of a team's pages, cached per team data version.

A fragment is keyed on the team, its data version (`tracker.data_version.team_version`: every write
to the team's rows moves it, at once and on commit), the day and the time zone it was rendered in
(the month, "overdue" and every date shown depend on them). It holds nothing that depends on who
looks: the views ask the access checks (`tracker_view`) before they read one, and anyone who may see
the team sees the same fragment. Kept in the shared cache with a per-process memo in front
(home.core.caching.memo): every process sees a write on its next read of the version.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from home.core.caching import memo

from ..data_version import team_version
from ..models import Team

FRAGMENT_SECONDS = 60 * 60  # a backstop only: every write to the team moves the version at once


def fragment_key(*, team_id: int, name: str, day: datetime.date) -> str:
    return (
        f"tracker:fragment:{name}:{int(team_id)}:{team_version(team_id)}:{day.isoformat()}:"
        f"{timezone.get_current_timezone_name()}"
    )


def team_fragment(*, team: Team, name: str, day: datetime.date, build: Callable[[], str]) -> SafeString:
    """`build()`'s HTML for `team` on `day`, from the cache when this version of the team's data
    rendered it already."""
    key = fragment_key(team_id=team.pk, name=name, day=day)
    html = memo.get(key)
    if html is None:
        html = str(build())
        memo.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 (our own template's output)
