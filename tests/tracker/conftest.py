import datetime
from decimal import Decimal

import pytest

from tests.factories import PASSWORD
from tracker.models import Metric

from .factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory


@pytest.fixture
def leader(db):
    return TrackerUserFactory()


@pytest.fixture
def intruder(db):
    """Another tracker user with their own team: must never see the leader's."""
    user = TrackerUserFactory()
    TeamFactory(leader=user)
    return user


@pytest.fixture
def team(leader):
    return TeamFactory(leader=leader, name="North Sales")


@pytest.fixture
def metrics(team):
    return [
        MetricFactory(team=team, name="Sales", unit=Metric.Unit.MONEY, weight=Decimal("3"), order=0),
        MetricFactory(team=team, name="Closings", unit=Metric.Unit.COUNT, weight=Decimal("2"), order=1),
        MetricFactory(
            team=team,
            name="Cancellations",
            unit=Metric.Unit.COUNT,
            higher_is_better=False,
            weight=Decimal("1"),
            order=2,
        ),
    ]


@pytest.fixture
def members(team):
    return [
        MemberFactory(team=team, name="Ana Diaz", email="ana@example.com", start_date=datetime.date(2024, 1, 15)),
        MemberFactory(team=team, name="Ben Cole", email="ben@example.com", start_date=datetime.date(2024, 1, 1)),
        MemberFactory(team=team, name="Cy Lane", email="", start_date=datetime.date(2024, 1, 1)),
    ]


@pytest.fixture
def leader_client(client, leader):
    client.login(email=leader.email, password=PASSWORD)
    return client


@pytest.fixture
def intruder_client(client, intruder):
    client.login(email=intruder.email, password=PASSWORD)
    return client
