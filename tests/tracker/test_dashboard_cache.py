"""The dashboard's consistency panel is cached, and every tracker write shows up at once."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tracker.data_version import data_version
from tracker.models import Team
from tracker.rules import add_months, month_start
from tracker.selectors import dashboard_consistency
from tracker.services import meeting_mark_presented, meeting_unmark_presented, month_values_save

from .factories import MemberFactory, MetricFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _leader_team():
    team = TeamFactory(name="North")
    Team.objects.filter(pk=team.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    team.refresh_from_db()
    return team.leader, team


def _presented_state(leader, month):
    panel = dashboard_consistency(user=leader)
    row = next(m for m in panel["report"].months if m.month == month)
    return row.steps[1].state  # step 2: results presented


def test_second_view_is_cached_and_reads_no_report_queries(django_assert_num_queries):
    leader, team = _leader_team()
    MemberFactory(team=team)
    dashboard_consistency(user=leader)
    with django_assert_num_queries(1):  # the teams query, with the access check in it
        panel = dashboard_consistency(user=leader)
    assert panel["team"] == team


def test_presenting_and_unpresenting_show_up_immediately():
    leader, team = _leader_team()
    member = MemberFactory(team=team, start_date=datetime.date(2020, 1, 1))
    month = add_months(month_start(timezone.localdate()), -2)
    metric = MetricFactory(team=team)
    month_values_save(team=team, month=month, kind="results", values={(member.pk, metric.pk): Decimal("5")})
    assert _presented_state(leader, month) == "missed"
    meeting_mark_presented(team=team, month=month, user=leader)
    assert _presented_state(leader, month) == "late"
    meeting_unmark_presented(team=team, month=month, user=leader)
    assert _presented_state(leader, month) == "missed"


def test_bulk_grid_save_moves_the_version():
    """month_values_save writes with bulk_create/bulk_update (no signals): it bumps explicitly."""
    leader, team = _leader_team()
    member = MemberFactory(team=team)
    metric = MetricFactory(team=team)
    before = data_version()
    month_values_save(
        team=team,
        month=month_start(timezone.localdate()),
        kind="targets",
        values={(member.pk, metric.pk): Decimal("10")},
    )
    assert data_version() > before


def test_other_users_dashboard_does_not_get_this_teams_report(other_user):
    leader, team = _leader_team()
    MemberFactory(team=team)
    dashboard_consistency(user=leader)
    assert dashboard_consistency(user=other_user) is None


def test_a_leader_whose_access_ended_keeps_teams_but_gets_no_tracker_panels():
    """The access check rides in the teams query: it must still say no."""
    from tracker.models import TrackerAccess
    from tracker.selectors import dashboard_access

    leader, team = _leader_team()
    assert dashboard_access(leader) == (True, [team])
    TrackerAccess.objects.filter(user=leader).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert dashboard_access(leader) == (False, [])
    assert dashboard_consistency(user=leader) is None


def test_every_team_of_the_leader_is_on_the_panel_in_the_same_queries(django_assert_max_num_queries):
    from tracker.selectors import dashboard_access

    leader, north = _leader_team()
    south = TeamFactory(name="South", leader=leader)
    for team in (north, south):
        MemberFactory(team=team)
    access = dashboard_access(leader)
    with django_assert_max_num_queries(4):  # members, metrics, values, events: for both teams at once
        panel = dashboard_consistency(user=leader, access=access)
    assert [entry["team"] for entry in panel["teams"]] == [north, south]
    assert panel["team"] == north
    assert all(entry["report"].months for entry in panel["teams"])
