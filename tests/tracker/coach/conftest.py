import datetime

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, CoachFactory, UserFactory
from tests.lessons.factories import enrol, make_program
from tests.tracker.factories import MemberFactory, TeamFactory, TrackerUserFactory
from tracker.models import Celebration, MeetingPresentation, OneOnOne, TargetCommunication
from tracker.rules import add_months, month_start


@pytest.fixture
def last_month():
    """Two months back: every step's deadline has passed whatever today is (the name says what
    the console calls it: a month that is over)."""
    return add_months(month_start(timezone.localdate()), -2)


def _at(month, day):
    return datetime.datetime(month.year, month.month, day, 9, tzinfo=timezone.get_current_timezone())


def all_five(team, month):
    """All five steps done on time for `month` (the team has no metrics, so nobody is flagged)."""
    sent_on_time(team, month)
    after = add_months(month, 1)
    MeetingPresentation.objects.create(team=team, month=month, presented_at=_at(after, 2))
    for member in team.members.all():
        OneOnOne.objects.create(team=team, member=member, month=month, held_at=_at(after, 3))
    Celebration.objects.create(
        team=team, member=team.members.first(), month=month, title="Steady", created_at=_at(after, 3)
    )


def sent_on_time(team, month):
    """Step 1 done: the targets went out on the 1st (never after the first working day)."""
    at = datetime.datetime(month.year, month.month, 1, 9, tzinfo=timezone.get_current_timezone())
    return TargetCommunication.objects.create(team=team, month=month, sent_at=at, last_sent_at=at)


def leader_with_team(program, *, shares=True, name="Dana Reyes", team="North Sales", trial=False):
    user = (TrackerUserFactory if trial else UserFactory)(full_name=name, share_consistency_with_coach=shares)
    if not trial:
        enrol(user, program)
    t = TeamFactory(leader=user, name=team)
    MemberFactory(team=t, name=f"Rep of {team}")
    return t


@pytest.fixture
def program(home_page):
    return make_program(home_page, slug="nine-steps", title="9 Steps")


@pytest.fixture
def coach(db):
    return CoachFactory(full_name="Coach Carla")


@pytest.fixture
def coach_client(client, coach):
    client.login(email=coach.email, password=PASSWORD)
    return client
