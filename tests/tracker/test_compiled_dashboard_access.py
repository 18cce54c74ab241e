"""The learner dashboard's tracker access (may the user use the tracker, and their teams), asked on
every dashboard render with its SQL compiled once per process (home/core/caching/compiled.py),
answers exactly as its ORM query does: for a leader with two teams, a co-leader while and after the
owner's access, a stranger, a coach co-leading, a trial on its last day and the day after, and with
the compiled SQL switched off. Nothing is cached: every write is seen on the next call."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import is_coach
from home.core.caching import compiled
from program.models import Enrollment, ProgramPage
from tests.factories import CoachFactory, UserFactory
from tracker.models import TeamCoLeader, TrackerAccess
from tracker.selectors import dashboard_access
from tracker.selectors.teams import _dashboard_teams_query

from .factories import TeamFactory

pytestmark = pytest.mark.django_db


def _orm_rows(user, today):
    return list(_dashboard_teams_query(user_id=user.pk, today=today, coach=is_coach(user)))


def _compiled_rows(user, today):
    coach = is_coach(user)
    name = "tracker:dashboard-teams-coach" if coach else "tracker:dashboard-teams"
    build = lambda **values: _dashboard_teams_query(coach=coach, **values)  # noqa: E731
    return compiled.rows_compiled(name, build, user_id=user.pk, today=today)


def _answers(user, today=None):
    """The compiled rows equal the ORM's (teams, order, the access flag, the settings loaded)."""
    today = today or timezone.localdate()
    got, orm = _compiled_rows(user, today), _orm_rows(user, today)
    assert got == orm, user
    assert [t.user_may_use for t in got] == [t.user_may_use for t in orm], user
    assert [t.name for t in got] == [t.name for t in orm]
    return dashboard_access(user)


@pytest.mark.parametrize("switched_off", [False, True])
def test_the_compiled_dashboard_access_answers_as_the_orm(team, leader, intruder, switched_off, settings, home_page):
    settings.CACHING_OFF = ["fetch"] if switched_off else []
    co, stranger, coach = UserFactory(), UserFactory(), CoachFactory()
    second = TeamFactory(leader=leader, name="Another team")
    TeamCoLeader.objects.create(team=team, user=co)
    TeamCoLeader.objects.create(team=team, user=coach)
    assert _answers(leader) == (True, [second, team])  # by name
    assert _answers(co) == (True, [team])
    assert _answers(coach) == (True, [team])
    if not switched_off:  # the compiled SQL was run, not the ORM fallback
        assert compiled._SQL["rows:tracker:dashboard-teams"] is not None
        assert compiled._SQL["rows:tracker:dashboard-teams-coach"] is not None
    assert _answers(intruder)[1] != [] and team not in _answers(intruder)[1]
    assert _answers(stranger) == (False, [])
    leader.tracker_access.delete()  # the owner's trial ends: seen at once, the co-leader's access with it
    assert _answers(leader) == (False, [])
    assert _answers(co) == (False, [])
    assert _answers(coach) == (True, [])  # the coach may use the tracker, but co-leads no more
    program = home_page.add_child(instance=ProgramPage(title="9 Steps", slug="nine", promise="Lead"))
    Enrollment.objects.create(user=leader, program=program, source=Enrollment.Source.MANUAL)
    assert _answers(leader) == (True, [second, team])  # an enrollment: seen on the next call
    assert _answers(co) == (True, [team])


def test_a_trial_counts_through_its_last_day(team, leader):
    co = UserFactory()
    TeamCoLeader.objects.create(team=team, user=co)
    TrackerAccess.objects.filter(user=leader).update(expires_on=datetime.date(2031, 5, 31))
    for day, expected in ((datetime.date(2031, 5, 31), True), (datetime.date(2031, 6, 1), False)):
        for user in (leader, co):
            rows = _compiled_rows(user, day)
            assert rows == _orm_rows(user, day)
            if user is leader:
                assert rows == [team] and rows[0].user_may_use is expected
            else:
                assert rows == ([team] if expected else [])


def test_the_dashboard_access_is_one_query_and_loads_the_settings(team, leader, django_assert_num_queries):
    dashboard_access(leader)
    with django_assert_num_queries(1):
        can_use, teams = dashboard_access(leader)
        for t in teams:
            hasattr(t, "consistency_settings")  # loaded with the team (or known missing): no query
    assert can_use and teams == [team]


def test_a_coach_owner_counts_as_coaches_q_says(settings):
    """A team owned by a coach (through the group, directly, a superuser) runs for its co-leader
    without a trial or enrollment; not once the owner is inactive or loses the permission."""
    from django.contrib.auth.models import Permission

    from accounts.roles import coach_permission, coaches

    by_group, direct, superuser = CoachFactory(), UserFactory(), UserFactory(is_superuser=True)
    direct.user_permissions.add(*Permission.objects.filter(pk__in=coach_permission().values("pk")))
    plain = UserFactory()
    for owner in (by_group, direct, superuser, plain):
        team, co = TeamFactory(leader=owner, name=f"Team of {owner.pk}"), UserFactory()
        TeamCoLeader.objects.create(team=team, user=co)
        in_coaches = coaches().filter(pk=owner.pk).exists()
        assert in_coaches is (owner is not plain)
        assert _answers(co) == ((True, [team]) if in_coaches else (False, [])), owner
        if in_coaches:
            type(owner).objects.filter(pk=owner.pk).update(is_active=False)
            assert _answers(co) == (False, [])
