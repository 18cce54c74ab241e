"""A co-leader's meeting view and JSON export stay within the 12-query budget, like the owner's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, CoachFactory, UserFactory
from tracker.bulk_sample import build_team
from tracker.models import TeamCoLeader
from tracker.rules import add_months
from tracker.selectors import current_month

from .factories import TrackerUserFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> list[str]:
    client.get(url)  # warm caches (content types, site settings) so only the page's own queries count
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("page", ["tracker:meeting", "tracker:export_json"])
def test_a_co_leader_stays_within_the_budget(client, page):
    leader = TrackerUserFactory()
    team = build_team(leader=leader, members=3, months=2)
    co = UserFactory()
    TeamCoLeader.objects.create(team=team, user=co)
    args = [team.pk, add_months(current_month(), -1)] if page == "tracker:meeting" else [team.pk]
    url = reverse(page, args=args)
    client.login(email=leader.email, password=PASSWORD)
    owner = _queries(client, url)
    client.logout()
    client.login(email=co.email, password=PASSWORD)
    co_leader = _queries(client, url)
    assert len(co_leader) <= 12, "\n".join(co_leader)
    # Co-leading this team implies the tracker access: the co-leader's check replaces the owner's.
    assert len(co_leader) == len(owner), (len(owner), len(co_leader))


def test_the_one_step_check_answers_as_before(client, team, leader, intruder):
    """403 without tracker access (co-leading ends with the owner's), 404 for a team not one's own
    (the coach's too), the page for its leader and co-leader."""
    co, stranger, coach = UserFactory(), UserFactory(), CoachFactory()
    TeamCoLeader.objects.create(team=team, user=co)
    url = reverse("tracker:export_json", args=[team.pk])
    missing = reverse("tracker:export_json", args=[team.pk + 1000])
    expected = {leader: 200, co: 200, intruder: 404, stranger: 403, coach: 404}
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user
        assert client.get(missing).status_code == (403 if status == 403 else 404), user
    leader.tracker_access.delete()  # the owner's trial ends: the co-leader's access with it
    for user, status in {leader: 403, co: 403}.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user
