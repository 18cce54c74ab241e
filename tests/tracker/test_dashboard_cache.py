"""The dashboard's two tracker panels are cached as HTML per version of the shown teams' data
(tracker/views/dashboard_panels.py): every write they show is on the next render, no team reaches a
user who may not see it, and a new day, month or time zone is a new entry. Tested through the cache."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.test import RequestFactory
from django.utils import timezone

from accounts.dashboard import _panels
from tracker.data_version import team_version
from tracker.models import Member, Metric, Team, TeamCoLeader, TrackerAccess
from tracker.rules import add_months, month_start
from tracker.selectors import dashboard_access, dashboard_consistency
from tracker.selectors.values import people_and_values, values_for
from tracker.services import (
    celebration_record,
    coleader_remove,
    meeting_mark_presented,
    meeting_unmark_presented,
    month_values_save,
    targets_communicate,
    team_update,
)

from .factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory

pytestmark = pytest.mark.django_db


def _leader_team(name="North"):
    team = TeamFactory(name=name)
    Team.objects.filter(pk=team.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    team.refresh_from_db()
    return team.leader, team


def _panels_html(user) -> dict[str, str | None]:
    """Both tracker panels as the dashboard asks them: one request, their shared access check."""
    request = RequestFactory().get("/dashboard/")
    request.user = user
    found = {}
    for key in ("tracker", "tracker_consistency"):
        context = _panels[key].get_context(request)
        found[key] = None if context is None else str(context["html"])
    return found


def _score_of(html: str, month: datetime.date) -> str:
    """The score the consistency strip shows for `month` ("Mar 3")."""
    start = html.index(f"{month:%b} ", html.index("consistency-strip"))
    return html[start : html.index("</span>", start)]


def test_warm_panels_read_only_the_access_query(django_assert_num_queries):
    leader, team = _leader_team()
    MemberFactory(team=team)
    _panels_html(leader)
    with django_assert_num_queries(1):  # the teams query, with the access check in it: never cached
        html = _panels_html(leader)
    assert "North" in html["tracker"] and "North" in html["tracker_consistency"]


def test_sending_this_months_targets_shows_on_the_next_render():
    leader, team = _leader_team()
    member = MemberFactory(team=team, email="ana@example.com")
    metric = MetricFactory(team=team)
    month = month_start(timezone.localdate())
    assert f"{month:%B} targets not sent" in _panels_html(leader)["tracker"]
    month_values_save(team=team, month=month, kind="targets", values={(member.pk, metric.pk): Decimal("10")})
    targets_communicate(team=team, month=month, sent_by=leader)
    assert f"{month:%B} targets sent" in _panels_html(leader)["tracker"]


def test_renaming_the_team_shows_on_both_panels():
    leader, team = _leader_team()
    MemberFactory(team=team)
    assert "North" in _panels_html(leader)["tracker"]
    team_update(team=team, name="Northwest", show_full_rankings=True)
    html = _panels_html(leader)
    assert "Northwest" in html["tracker"] and "Northwest" in html["tracker_consistency"]


def test_recording_and_deleting_a_celebration_show_up_immediately():
    leader, team = _leader_team()
    member = MemberFactory(team=team, start_date=datetime.date(2020, 1, 1))
    month = month_start(timezone.localdate())
    before = _score_of(_panels_html(leader)["tracker_consistency"], month)
    celebration = celebration_record(team=team, member=member, month=month, kind="custom", title="First referral")
    assert _score_of(_panels_html(leader)["tracker_consistency"], month) == f"{month:%b} {int(before[4:]) + 1}"
    celebration.delete()
    assert _score_of(_panels_html(leader)["tracker_consistency"], month) == before


def test_presenting_and_unpresenting_move_the_teams_version():
    """A late presentation leaves the score as it is; the version still moves both ways."""
    leader, team = _leader_team()
    member = MemberFactory(team=team, start_date=datetime.date(2020, 1, 1))
    month = add_months(month_start(timezone.localdate()), -2)
    metric = MetricFactory(team=team)
    month_values_save(team=team, month=month, kind="results", values={(member.pk, metric.pk): Decimal("5")})
    before = team_version(team.pk)
    meeting_mark_presented(team=team, month=month, user=leader)
    presented = team_version(team.pk)
    assert presented != before
    meeting_unmark_presented(team=team, month=month, user=leader)
    assert team_version(team.pk) != presented


def test_another_teams_write_leaves_the_panels_warm(django_assert_num_queries):
    leader, team = _leader_team()
    MemberFactory(team=team)
    elsewhere = TeamFactory(name="Elsewhere")  # its leader's trial (a write with no team) moves every team
    _panels_html(leader)
    before = team_version(elsewhere.pk)
    MemberFactory(team=elsewhere)
    assert team_version(elsewhere.pk) != before  # the write moved its own team's version, not this team's
    with django_assert_num_queries(1):
        _panels_html(leader)


def test_bulk_grid_save_moves_the_version():
    """month_values_save writes with bulk_create/bulk_update (no signals): it bumps explicitly."""
    leader, team = _leader_team()
    member = MemberFactory(team=team)
    metric = MetricFactory(team=team)
    before = team_version(team.pk)
    month_values_save(
        team=team,
        month=month_start(timezone.localdate()),
        kind="targets",
        values={(member.pk, metric.pk): Decimal("10")},
    )
    assert team_version(team.pk) != before


def test_other_users_never_get_this_teams_panels(other_user):
    leader, team = _leader_team()
    MemberFactory(team=team)
    _panels_html(leader)
    assert _panels_html(other_user) == {"tracker": None, "tracker_consistency": None}
    stranger = TrackerUserFactory()  # may use the tracker, no team: the summary only, without North
    html = _panels_html(stranger)
    assert "North" not in html["tracker"] and html["tracker_consistency"] is None


def test_a_leader_whose_access_ended_keeps_teams_but_gets_no_tracker_panels():
    """The access check rides in the teams query, asked on every request even when the HTML is warm."""
    leader, team = _leader_team()
    assert "North" in _panels_html(leader)["tracker"]
    assert dashboard_access(leader) == (True, [team])
    TrackerAccess.objects.filter(user=leader).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert dashboard_access(leader) == (False, [])
    assert dashboard_consistency(user=leader) is None
    assert _panels_html(leader) == {"tracker": None, "tracker_consistency": None}


def test_a_removed_co_leader_no_longer_gets_the_teams_panels(django_assert_num_queries):
    leader, team = _leader_team()
    MemberFactory(team=team)
    co_leader = TrackerUserFactory()
    TeamCoLeader.objects.create(team=team, user=co_leader)
    leaders_html = _panels_html(leader)
    # The same teams: the leader's entries serve the co-leader. Two queries: their teams, and the
    # coach check of a user not read through the user cache yet (a signed-in request has it).
    with django_assert_num_queries(2):
        assert _panels_html(co_leader) == leaders_html
    coleader_remove(team=team, user_id=co_leader.pk)
    html = _panels_html(co_leader)
    assert "North" not in html["tracker"] and html["tracker_consistency"] is None


def test_a_new_month_in_the_leaders_zone_is_a_new_render():
    leader, team = _leader_team()
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 1, 31)):
        assert "January targets not sent" in _panels_html(leader)["tracker"]
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 2, 1)):
        assert "February targets not sent" in _panels_html(leader)["tracker"]


def test_another_time_zone_is_another_entry(django_assert_num_queries):
    leader, team = _leader_team()
    MemberFactory(team=team)
    with timezone.override("America/New_York"):
        _panels_html(leader)
        with django_assert_num_queries(1):
            _panels_html(leader)
    # the teams; both panels' events; the members, metrics and values (one UNION)
    with timezone.override("Asia/Tokyo"), django_assert_num_queries(3):
        _panels_html(leader)


def test_every_team_of_the_leader_is_on_the_panel_in_the_same_queries(django_assert_max_num_queries):
    leader, north = _leader_team()
    south = TeamFactory(name="South", leader=leader)
    for team in (north, south):
        MemberFactory(team=team)
    access = dashboard_access(leader)
    with django_assert_max_num_queries(2):  # members, metrics and values in one; events: both teams at once
        panel = dashboard_consistency(user=leader, access=access)
    assert [entry["team"] for entry in panel["teams"]] == [north, south]
    assert panel["team"] == north
    assert all(entry["report"].months for entry in panel["teams"])
    html = _panels_html(leader)
    assert "North" in html["tracker_consistency"] and "South" in html["tracker_consistency"]


def test_the_combined_read_gives_what_the_separate_reads_give():
    """`people_and_values`: members by name, unarchived metrics in their order (weights, direction),
    targets and results of the months, of the given teams only, as the separate reads give them."""
    _, north = _leader_team()
    _, elsewhere = _leader_team(name="Elsewhere")
    month = month_start(timezone.localdate())
    members = [MemberFactory(team=north, name=name) for name in ("zoe", "Ana", "bob")]
    MemberFactory(team=north, name="Cy", active=False)
    metrics = [
        MetricFactory(team=north, order=2, weight=Decimal("2.50"), higher_is_better=False),
        MetricFactory(team=north, order=1),
    ]
    MetricFactory(team=north, archived=True)
    other = MemberFactory(team=elsewhere)
    other_metric = MetricFactory(team=elsewhere)
    month_values_save(team=north, month=month, kind="targets", values={(members[0].pk, metrics[0].pk): Decimal("12.5")})
    month_values_save(team=north, month=month, kind="results", values={(members[1].pk, metrics[1].pk): Decimal("3")})
    month_values_save(team=elsewhere, month=month, kind="results", values={(other.pk, other_metric.pk): Decimal("9")})
    by_team, metrics_by_team, targets, results = people_and_values(teams=[north], months=[month])
    assert list(by_team) == [north.pk] and list(metrics_by_team) == [north.pk]
    assert [(m.pk, m.name, m.active, m.start_date) for m in by_team[north.pk]] == [
        (m.pk, m.name, m.active, m.start_date) for m in Member.objects.filter(team=north)
    ]
    fields = ("pk", "name", "unit", "weight", "higher_is_better", "order")
    assert [[getattr(m, f) for f in fields] for m in metrics_by_team[north.pk]] == [
        [getattr(m, f) for f in fields] for m in Metric.objects.filter(team=north, archived=False)
    ]
    assert (targets, results) == values_for(teams=[north], months=[month])
    assert targets == {(members[0].pk, metrics[0].pk, month): Decimal("12.5")}


def test_a_new_member_and_results_show_on_the_consistency_panel_on_the_next_render():
    """Members, metrics and values come from one read: a new member (no 1:1 last month) and her
    results change the panel on the very next request through the cache."""
    leader, team = _leader_team()
    metric = MetricFactory(team=team)
    MemberFactory(team=team, name="Ana")
    last_month = add_months(month_start(timezone.localdate()), -1)
    html = _panels_html(leader)["tracker_consistency"]
    assert "Bea" not in html
    bea = MemberFactory(team=team, name="Bea")
    month_values_save(team=team, month=last_month, kind="targets", values={(bea.pk, metric.pk): Decimal("10")})
    month_values_save(team=team, month=last_month, kind="results", values={(bea.pk, metric.pk): Decimal("1")})
    assert _panels_html(leader)["tracker_consistency"] != html


def test_two_leaders_each_see_only_their_own_teams():
    north_leader, _ = _leader_team("North")
    south_leader, south = _leader_team("South")
    member, metric = MemberFactory(team=south), MetricFactory(team=south)
    month = month_start(timezone.localdate())
    month_values_save(team=south, month=month, kind="targets", values={(member.pk, metric.pk): Decimal("10")})
    targets_communicate(team=south, month=month, sent_by=south_leader)
    north, south_html = _panels_html(north_leader), _panels_html(south_leader)
    assert "North" in north["tracker"] and "South" not in north["tracker"] + north["tracker_consistency"]
    assert "South" in south_html["tracker"] and "North" not in south_html["tracker"] + south_html["tracker_consistency"]
    assert f"{month:%B} targets not sent" in north["tracker"] and f"{month:%B} targets sent" in south_html["tracker"]
