"""The learner dashboard's two tracker panels (registered in tracker/apps.py), each rendered once per
version of the data of the teams it shows.

A panel's HTML is keyed on the teams it shows (their ids, in the order shown), each one's data
version (`tracker.data_version.teams_version`: every write to a team's rows, its name and settings
included, moves it at once and on commit, in every process), the day, the time zone and the
language it was rendered in (the month, the reminders and every date shown depend on them). It
holds nothing about who looks but that list of teams, and who looks is asked on every request
first: `selectors.dashboard_access` (one query, shared by both panels) says whether the user may
use the tracker and which teams they lead or co-lead, and only then is a key built from those
teams. So the HTML only reaches users who may see every team in it, a lost access or team hides
it on the next request, and two users with the same teams share one entry. Cold, both panels cost
three queries: the access, both panels' events (communications, presentations, celebrations, plans,
1:1s: `selectors.dashboard_events`, read once per request) and the consistency panel's members,
metrics and values (one UNION). Kept in the shared cache
with a per-process memo in front (home.core.caching.memo).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from accounts.dashboard import shared
from home.core.caching import memo

from .. import selectors
from ..data_version import teams_version
from ..models import Team
from ..selectors.dashboard import SUMMARY_TEAMS
from .cached import FRAGMENT_SECONDS

# The dashboard includes this with `panel` = {"html": ...}: the panel's own template rendered here.
HTML_TEMPLATE = "tracker/includes/dashboard_cached_panel.html"


def panel_key(*, name: str, teams: list[Team], day: datetime.date) -> str:
    ids = [team.pk for team in teams]
    return (
        f"tracker:dashboard-panel:{name}:{'-'.join(map(str, ids))}:{teams_version(ids)}:{day.isoformat()}:"
        f"{timezone.get_current_timezone_name()}:{translation.get_language()}"
    )


def _panel_html(*, name: str, teams: list[Team], template: str, build: Callable[[datetime.date], dict]) -> SafeString:
    day = timezone.localdate()
    key = panel_key(name=name, teams=teams, day=day)
    html = memo.get(key)
    if html is None:
        html = render_to_string(template, {"panel": build(day)})
        memo.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 (our own template's output)


def _access(request: HttpRequest) -> tuple[bool, list[Team]]:
    """Asked on every request, never cached: may the user use the tracker, and their teams."""
    return shared(request, "tracker:access", lambda: selectors.dashboard_access(request.user))


def _events(request: HttpRequest, *, teams: list[Team], day: datetime.date) -> list[tuple]:
    """Both panels' events (`selectors.dashboard_events`), read once per request by the first panel
    rendered: the second one built in the same request asks nothing more."""
    return shared(
        request, f"tracker:events:{day.isoformat()}", lambda: selectors.dashboard_events(teams=teams, today=day)
    )


def _panel(request: HttpRequest, *, name: str, limit: int, template: str, build, needs_a_team: bool) -> dict | None:
    """`{"html": ...}` of one panel for the user's first `limit` teams (`build(user=..., today=...,
    access=..., events=...)`, a selector), or None without the tracker (or, `needs_a_team`, without a team)."""
    can_use, teams = _access(request)
    if not can_use or (needs_a_team and not teams):
        return None
    shown = teams[:limit]
    html = _panel_html(
        name=name,
        teams=shown,
        template=template,
        build=lambda day: build(
            user=request.user, today=day, access=(True, shown), events=_events(request, teams=teams, day=day)
        ),
    )
    return {"html": html}


def summary_panel(request: HttpRequest) -> dict | None:
    """This month's targets status and reminder of each of the user's teams; hidden without the tracker."""
    return _panel(
        request,
        name="summary",
        limit=SUMMARY_TEAMS,
        template="tracker/includes/dashboard_panel.html",
        build=selectors.dashboard_summary,
        needs_a_team=False,
    )


def consistency_panel(request: HttpRequest) -> dict | None:
    """Score, streak and next step of each of the user's first teams; hidden without a team."""
    return _panel(
        request,
        name="consistency",
        limit=selectors.DASHBOARD_TEAMS,
        template="tracker/consistency/dashboard_panel.html",
        build=selectors.dashboard_consistency,
        needs_a_team=True,
    )
