"""The console pages first when the sort needs no computed value (leader, last activity, missed the
1st) and computes the five steps of the page's teams only; score and streak compute every team.
Either way the same rows in the same order as computing everything, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tracker.coach import console as console_module
from tracker.coach.console import console_page, console_rows, console_teams, missed_the_first, sort_rows
from tracker.models import TargetCommunication, Team
from tracker.rules import add_months, month_start

from .conftest import all_five, leader_with_team, sent_on_time

URL = "/tracker/coach/rhythm/"


def _teams(program, month, size):
    teams = []
    for n in range(size):
        team = leader_with_team(program, name=f"Leader {n:02}", team=f"Team {n:02}")
        if n % 3 == 1:
            all_five(team, month)
        elif n % 3 == 2:  # sent, but on the 5th: late
            at = datetime.datetime(month.year, month.month, 5, 9, tzinfo=timezone.get_current_timezone())
            TargetCommunication.objects.create(team=team, month=month, sent_at=at, last_sent_at=at)
        teams.append(team)
    return teams


@pytest.fixture
def computed(monkeypatch):
    """The teams whose steps were computed, per call of consistency_for_teams."""
    calls = []
    real = console_module.consistency_for_teams

    def spy(*, teams, **kwargs):
        calls.append(len(teams))
        return real(teams=teams, **kwargs)

    monkeypatch.setattr(console_module, "consistency_for_teams", spy)
    return calls


def test_missed_the_first_from_stored_values_matches_the_computed_step(program, last_month):
    _teams(program, last_month, 6)
    this_month = month_start(timezone.localdate())
    pending = leader_with_team(program, name="Now Team", team="Now")
    sent_on_time(pending, this_month)
    newcomer = leader_with_team(program, name="New Comer", team="Joined later")
    Team.objects.filter(pk=newcomer.pk).update(created_at=timezone.now() + datetime.timedelta(days=40))
    today = timezone.localdate()
    for month in (last_month, this_month, add_months(this_month, 1)):
        rows = console_rows(month=month, today=today)
        light = {t.pk: missed_the_first(t, month=month, today=today) for t in console_teams(month=month)}
        assert light == {row.team.pk: row.missed_first for row in rows}
    assert sum(light.values()) == 0  # next month: nothing is due yet


@pytest.mark.parametrize("sort", ["leader", "activity", "missed_first", "score", "streak"])
def test_each_sort_gives_the_rows_of_computing_everything(program, last_month, sort, computed):
    _teams(program, last_month, 7)
    full = sort_rows(console_rows(month=last_month), sort)
    computed.clear()
    seen = []
    for number in (1, 2, 3):
        listing = console_page(month=last_month, sort=sort, missed_first_only=False, page_number=number, per_page=3)
        seen += [row.team.pk for row in listing.rows]
        assert listing.total == 7 and listing.missed_first_count == sum(r.missed_first for r in full)
    assert seen == [row.team.pk for row in full]
    if sort in ("score", "streak"):
        assert computed == [7, 7, 7]  # computed values: every team, each time
    else:
        assert computed == [3, 3, 1]  # the page's teams only


def test_only_who_missed_the_first_is_filtered_before_paging(program, last_month, computed):
    _teams(program, last_month, 7)
    listing = console_page(month=last_month, sort="leader", missed_first_only=True, page_number=1, per_page=50)
    expected = [r.team.pk for r in console_rows(month=last_month) if r.missed_first]
    assert [row.team.pk for row in listing.rows] == expected and listing.total == len(expected) == 5
    assert computed[0] == 5


@pytest.mark.parametrize("sort", ["leader", "score"])
def test_queries_are_fixed_at_two_sizes(coach_client, program, last_month, sort, monkeypatch):
    monkeypatch.setattr("tracker.coach.views.PER_PAGE", 4)
    counts = []
    for size in (3, 15):
        Team.objects.all().delete()
        _teams(program, last_month, size)
        params = {"month": f"{last_month:%Y-%m}", "sort": sort}
        coach_client.get(URL, params)  # warm per-site caches
        with CaptureQueriesContext(connection) as ctx:
            html = coach_client.get(URL, params).content.decode()
        assert f"{size} teams" in html
        assert html.count('name="team" value=') + html.count("Nudged ") <= 4
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 12, counts
