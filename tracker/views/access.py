import datetime
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..selectors import tracker_team_for_user, user_can_use_tracker


def tracker_view(view):
    """Login required; enrolled leaders, staff and free-trial users only (others see a 403 page
    explaining how to get access). With a `team_id` URL argument the team is loaded through
    `team_for_user`, so a team the user does not lead or co-lead is a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if "team_id" in kwargs:  # the access check and the team in one step (a co-leader's: one query fewer)
            team = tracker_team_for_user(user=request.user, team_id=kwargs.pop("team_id"))
            if team is None:
                return render(request, "tracker/no_access.html", status=403)
            kwargs["team"] = team
        elif not user_can_use_tracker(request.user):
            return render(request, "tracker/no_access.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


class MonthConverter:
    """`2026-03` in URLs <-> date(2026, 3, 1)."""

    regex = r"[0-9]{4}-(?:0[1-9]|1[0-2])"

    # Months a tracker can hold: far-off years (0001, 9999) would overflow the previous/next month.
    years = range(1970, 3000)

    def to_python(self, value: str) -> datetime.date:
        if int(value[:4]) not in self.years:
            raise ValueError(value)  # a 404
        return datetime.date(int(value[:4]), int(value[5:7]), 1)

    def to_url(self, value) -> str:
        if isinstance(value, str):
            return value
        return f"{value:%Y-%m}"


def posted_id(value: str | None) -> int:
    """A row id from a form field: ASCII digits that fit a database key, else 0 (which no row has).
    int() alone accepts "²" nowhere and "٣" everywhere, and a 40-digit number overflows the query."""
    if value and len(value) <= 18 and value.isascii() and value.isdigit():
        return int(value)
    return 0
