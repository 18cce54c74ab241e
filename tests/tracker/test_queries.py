"""Key pages run a fixed number of queries whatever the team size and history."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD
from tracker.bulk_sample import build_team
from tracker.rules import add_months, month_start
from tracker.selectors import current_month

from .factories import TrackerUserFactory


def _count(client, url) -> int:
    client.get(url)  # warm caches (content types, site settings) so only the page's own queries count
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _pages(team):
    month = current_month()
    return {
        "dashboard": reverse("tracker:team", args=[team.pk]),
        "results grid": reverse("tracker:results", args=[team.pk, month]),
        "targets grid": reverse("tracker:targets", args=[team.pk, month]),
        "rankings": reverse("tracker:rankings", args=[team.pk, add_months(month, -1)]),
        "meeting": reverse("tracker:meeting", args=[team.pk, add_months(month, -1)]),
    }


@pytest.mark.slow
def test_query_counts_do_not_grow_with_team_size(db, client):
    leader = TrackerUserFactory()
    small = build_team(leader=leader, members=3, months=2)
    started = time.monotonic()
    big = build_team(leader=leader, members=200, months=36)
    build_seconds = time.monotonic() - started
    client.login(email=leader.email, password=PASSWORD)
    for name, small_url in _pages(small).items():
        small_count = _count(client, small_url)
        big_count = _count(client, _pages(big)[name])
        assert big_count == small_count, (name, small_count, big_count)
        assert big_count <= 12, (name, big_count)
    assert build_seconds < 60
    assert month_start(current_month()) == current_month()
