"""The team dashboard is rendered once per version of the team's data: every write that changes
what it shows is seen on the next view (through the cache, never around it), one team's fragment
never reaches another team or a user without access, and one team's writes leave another's warm."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tracker.data_version import team_id_of, team_version
from tracker.models import ActionItem, Result, TargetAcknowledgement, Team, TeamCoLeader
from tracker.rules import month_start
from tracker.services import (
    action_item_set_done,
    coleader_remove,
    meeting_mark_presented,
    member_create,
    member_set_active,
    member_update,
    metric_create,
    metric_update,
    month_values_save,
    targets_communicate,
    team_update,
)
from tracker.services.communication import target_acknowledge
from tracker.services.sharing import board_link_create, board_link_revoke

from .factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory

pytestmark = pytest.mark.django_db


def _page(client, team) -> str:
    response = client.get(reverse("tracker:team", args=[team.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _warm(client, team, django_assert_max_num_queries) -> str:
    """The page twice: the second from the cache (the access checks only)."""
    _page(client, team)
    with django_assert_max_num_queries(2):  # the session, the team with the access checks (the user: cached)
        return _page(client, team)


def test_second_view_is_served_from_the_cache(leader_client, team, members, metrics, django_assert_num_queries):
    first = _page(leader_client, team)
    with django_assert_num_queries(2):  # the session (in the database here), the team with the access checks
        second = _page(leader_client, team)
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')  # masked anew on every response
    assert csrf.sub("", first) == csrf.sub("", second)


def test_every_write_is_seen_on_the_next_view(
    leader, leader_client, team, members, metrics, django_assert_max_num_queries
):
    month = month_start(timezone.localdate())
    _warm(leader_client, team, django_assert_max_num_queries)

    month_values_save(team=team, month=month, kind="targets", values={(members[0].pk, metrics[0].pk): Decimal("100")})
    month_values_save(team=team, month=month, kind="results", values={(members[0].pk, metrics[0].pk): Decimal("87")})
    assert "87%" in _warm(leader_client, team, django_assert_max_num_queries)

    member_update(
        member=members[0],
        name="Ana Ortiz",
        email="ana@example.com",
        role="",
        start_date=members[0].start_date,
        active=True,
    )
    assert "Ana Ortiz" in _warm(leader_client, team, django_assert_max_num_queries)

    member_create(team=team, name="Dee Park", start_date=datetime.date(2024, 1, 1))
    assert "Dee Park" in _warm(leader_client, team, django_assert_max_num_queries)

    member_set_active(member=members[1], active=False)
    assert "Ben Cole" not in _warm(leader_client, team, django_assert_max_num_queries)

    metric_update(metric=metrics[0], name="Sales", unit=metrics[0].unit, higher_is_better=True, weight=0, archived=True)
    assert "87%" not in _warm(leader_client, team, django_assert_max_num_queries)  # no weighted metric left for Ana

    metric_create(team=team, name="Calls")
    team_update(team=team, name="South Sales", show_full_rankings=True)
    team.refresh_from_db()
    assert "South Sales: attainment by month" in _warm(leader_client, team, django_assert_max_num_queries)

    assert "not communicated" in _page(leader_client, team)
    targets_communicate(team=team, month=month, sent_by=leader)
    assert "not communicated" not in _warm(leader_client, team, django_assert_max_num_queries)

    last = month_start(month - datetime.timedelta(days=1))
    month_values_save(team=team, month=last, kind="results", values={(members[2].pk, metrics[1].pk): Decimal("3")})
    assert "not presented yet" in _warm(leader_client, team, django_assert_max_num_queries)
    meeting_mark_presented(team=team, month=last, user=leader)
    assert "not presented yet" not in _warm(leader_client, team, django_assert_max_num_queries)


def test_acknowledgements_are_counted_on_the_next_view(
    leader, leader_client, team, members, metrics, django_assert_max_num_queries
):
    """The counts come with the communication in the dashboard's one query for communications and
    presentations; an acknowledgement moves them on the next view, through the cache."""
    month = month_start(timezone.localdate())
    targets = {(member.pk, metrics[0].pk): Decimal("10") for member in members}
    month_values_save(team=team, month=month, kind="targets", values=targets)
    targets_communicate(team=team, month=month, sent_by=leader)
    acks = list(TargetAcknowledgement.objects.filter(communication__team=team, communication__month=month))
    assert len(acks) >= 2
    assert f"0 of {len(acks)} acknowledged" in _warm(leader_client, team, django_assert_max_num_queries)
    target_acknowledge(ack=acks[0])
    assert f"1 of {len(acks)} acknowledged" in _warm(leader_client, team, django_assert_max_num_queries)
    target_acknowledge(ack=acks[1])
    assert f"2 of {len(acks)} acknowledged" in _warm(leader_client, team, django_assert_max_num_queries)


def test_commitments_appear_and_go_when_done(leader_client, team, members, django_assert_max_num_queries):
    assert "No open commitments" in _warm(leader_client, team, django_assert_max_num_queries)
    item = ActionItem.objects.create(
        team=team,
        member=members[0],
        owner=ActionItem.Owner.LEADER,
        text="Ride along on two showings",
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    assert "Ride along on two showings" in _warm(leader_client, team, django_assert_max_num_queries)
    action_item_set_done(item=item, done=True)
    assert "Ride along on two showings" not in _warm(leader_client, team, django_assert_max_num_queries)


def test_a_cached_team_never_reaches_another_team_or_a_user_without_access(leader, leader_client, team, members):
    other = TeamFactory(leader=leader, name="East Sales")
    MemberFactory(team=other, name="Zed Quinn")
    assert "Ana Diaz" in _page(leader_client, team)
    page = _page(leader_client, other)
    assert "Zed Quinn" in page and "Ana Diaz" not in page
    stranger = Client()
    stranger.login(email=TrackerUserFactory().email, password=PASSWORD)
    assert stranger.get(reverse("tracker:team", args=[team.pk])).status_code == 404


def test_a_co_leader_sees_the_same_page_until_removed(leader, leader_client, team, members):
    co_leader = TrackerUserFactory()
    TeamCoLeader.objects.create(team=team, user=co_leader)
    client = Client()
    client.login(email=co_leader.email, password=PASSWORD)
    url = reverse("tracker:team", args=[team.pk])
    assert client.get(url).content.decode().count("Ana Diaz") == _page(leader_client, team).count("Ana Diaz")
    coleader_remove(team=team, user_id=co_leader.pk)
    assert client.get(url).status_code == 404


def test_the_time_zone_is_part_of_the_key(leader, leader_client, team, members):
    _page(leader_client, team)
    utc = team_version(team.pk)
    leader.time_zone = "Pacific/Kiritimati"  # another zone: its own entry, never the other's dates
    leader.save()
    assert _page(leader_client, team)
    assert team_version(team.pk) == utc  # a user's setting is not team data


def test_a_write_moves_only_its_own_teams_version(team, members, metrics):
    other = TeamFactory()
    other_before, before = team_version(other.pk), team_version(team.pk)
    result = Result(member=members[0], metric=metrics[0], month=month_start(timezone.localdate()), value=5)
    assert team_id_of(result) == team.pk  # through the member already loaded: no query
    result.save()
    assert team_version(team.pk) != before
    assert team_version(other.pk) == other_before


def test_a_write_whose_team_is_unknown_moves_every_team(team, members, metrics):
    other = TeamFactory()
    before, other_before = team_version(team.pk), team_version(other.pk)
    result = Result.objects.create(member=members[0], metric=metrics[0], month=datetime.date(2024, 1, 1), value=5)
    fresh = Result.objects.get(pk=result.pk)  # its member not loaded
    assert team_id_of(fresh) is None
    fresh.delete()
    assert team_version(team.pk) != before and team_version(other.pk) != other_before
    assert team_id_of(Team.objects.get(pk=team.pk)) == team.pk
    assert team_id_of(MetricFactory(team=other)) == other.pk


def test_the_office_board_shows_each_write_and_stops_when_revoked(
    leader, team, members, metrics, django_assert_max_num_queries
):
    last = month_start(month_start(timezone.localdate()) - datetime.timedelta(days=1))
    month_values_save(team=team, month=last, kind="targets", values={(members[0].pk, metrics[0].pk): Decimal("100")})
    month_values_save(team=team, month=last, kind="results", values={(members[0].pk, metrics[0].pk): Decimal("91")})
    link = board_link_create(team=team, created_by=leader)
    screen = Client()  # no account
    url = reverse("tracker:board", args=[link.key])
    assert "91%" in screen.get(url).content.decode()
    with django_assert_max_num_queries(1):  # the link (with its team); the board from the cache
        assert "91%" in screen.get(url).content.decode()
    month_values_save(team=team, month=last, kind="results", values={(members[0].pk, metrics[0].pk): Decimal("77")})
    page = screen.get(url).content.decode()
    assert "77%" in page and "91%" not in page
    member_update(
        member=members[0],
        name="Ana Ortiz",
        email="ana@example.com",
        role="",
        start_date=members[0].start_date,
        active=True,
    )
    assert "Ana Ortiz" in screen.get(url).content.decode()
    other = board_link_create(team=TeamFactory(leader=leader, name="East"), created_by=leader)
    assert "Ana Ortiz" not in screen.get(reverse("tracker:board", args=[other.key])).content.decode()
    board_link_revoke(link=link)
    assert screen.get(url).status_code == 404
