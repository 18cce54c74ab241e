"""The tracker's access checks, asked on every tracker page with their SQL compiled once per
process (home/core/caching/compiled.py), answer exactly as the ORM does: for a leader, a co-leader
while and after the owner's access, another user, a trial on its last day and the day after, and
with the compiled SQL switched off."""

import datetime

import pytest
from django.http import Http404
from django.test import override_settings

from home.core.caching import compiled
from tests.factories import UserFactory
from tracker.models import TeamCoLeader, TrackerAccess
from tracker.selectors import team_for_user, teams_for_user, user_can_use_tracker
from tracker.selectors.teams import _may_use_query

pytestmark = pytest.mark.django_db


def _orm_may_use(user, today=None) -> bool:
    return _may_use_query(user_id=user.pk, today=today or datetime.date.today()).exists()


def _sees(user, team) -> bool:
    try:
        return team_for_user(user=user, team_id=team.pk) == team
    except Http404:
        return False


@pytest.mark.parametrize("switched_off", [False, True])
def test_the_compiled_checks_answer_as_the_orm(team, leader, intruder, switched_off, settings):
    settings.CACHING_OFF = ["fetch"] if switched_off else []
    co, stranger = UserFactory(), UserFactory()
    TeamCoLeader.objects.create(team=team, user=co)
    for user, may_use, sees in (
        (leader, True, True),
        (co, True, True),
        (intruder, True, False),
        (stranger, False, False),
    ):
        assert user_can_use_tracker(user) is may_use == _orm_may_use(user), user
        assert _sees(user, team) is sees == (team in teams_for_user(user)), user
    leader.tracker_access.delete()  # the owner's trial ends: the co-leader's access with it
    assert not user_can_use_tracker(co) and not _sees(co, team)
    assert _sees(leader, team)  # the owner still sees their own team (the tracker view checks access first)


def test_a_trial_counts_through_its_last_day(leader):
    TrackerAccess.objects.filter(user=leader).update(expires_on=datetime.date(2031, 5, 31))
    with override_settings(USE_TZ=True):
        for day, expected in ((datetime.date(2031, 5, 31), True), (datetime.date(2031, 6, 1), False)):
            assert (
                compiled.exists_compiled("tracker:may-use", _may_use_query, user_id=leader.pk, today=day)
                is expected
                is _orm_may_use(leader, day)
            )


def test_a_query_without_the_placeholder_falls_back_to_the_orm(leader):
    compiled._SQL.pop("test:no-placeholder", None)
    build = lambda *, user_id: TrackerAccess.objects.filter(user=leader.pk)  # noqa: E731 (ignores user_id)
    assert compiled.exists_compiled("test:no-placeholder", build, user_id=12345) is True
    assert compiled._SQL["test:no-placeholder"] is None  # never run as compiled SQL
    assert compiled.exists_compiled("test:float", build, user_id=1.5) is True  # not an int: the ORM
