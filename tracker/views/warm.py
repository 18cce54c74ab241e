"""After a leader saves a month's grid, the pages she looks at next are rendered in the background.

A write moves the team's data version (tracker/data_version.py), so every kept body of the team is
rendered again on its next view: for a team of 200 members that first view was the slow one. On
commit of a grid save, `warm_team_pages` is enqueued (django-tasks): the worker renders that month's
rankings and both grids through the same functions and keys the views use (views/cached.py:
the team, its data version as the worker reads it, the writer's day and time zone), so the leader's
next view finds them. It is only a head start: until the task has run, or if it never does, the
view renders the body itself as before, and a write after the task moves the version again. The
bodies hold nothing that depends on who looks (views check access before reading one).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ..data_version import team_version
from ..models import Team


def warm_after_write(*, team: Team, month: datetime.date) -> None:
    """Enqueue `warm_team_pages` for this team and month once the write has committed, for the
    writer's time zone (the bodies' keys carry it)."""
    team_id, time_zone = team.pk, timezone.get_current_timezone_name()

    def enqueue() -> None:  # after the write's own on-commit bump: the version its data made
        warm_team_pages.enqueue(
            team_id=team_id, month=month.isoformat(), time_zone=time_zone, version=team_version(team_id)
        )

    transaction.on_commit(enqueue)


@task()
def warm_team_pages(*, team_id: int, month: str, time_zone: str, version: str) -> None:
    """Render the month's rankings and its results and targets grids (with the targets' "copy last
    month" button) into the cache, unless the current version of the team's data has them already.
    Nothing when another write has moved the version since (its own task warms the pages) or the
    team is gone."""
    from .grids import stored_has_previous, stored_table
    from .meeting import rankings_fragment

    if team_version(team_id) != version:
        return
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        return
    when = datetime.date.fromisoformat(month)
    with timezone.override(time_zone):
        day = timezone.localdate()
        rankings_fragment(team, when, day=day)
        for kind in ("results", "targets"):
            stored_table(team, when, kind, day=day)
        stored_has_previous(team, when, day=day)
