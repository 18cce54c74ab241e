"""Each member's name in the results and targets grids links to their card for that month (one
member at a time): the row header stays a header, the link is named by the member's name and
described by the line above the grid, and the links cost no query."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.tracker.factories import MemberFactory

MARCH = datetime.date(2024, 3, 1)
ROW_HEADER = re.compile(r'<th scope="row"><a href="([^"]+)" aria-describedby="card-link-hint">([^<]+)</a>')


@pytest.mark.parametrize("kind", ["results", "targets"])
def test_each_name_in_the_grid_opens_that_members_card(kind, team, members, metrics, leader_client):
    page = leader_client.get(reverse(f"tracker:{kind}", args=[team.pk, MARCH])).content.decode()
    links = {name: href for href, name in ROW_HEADER.findall(page)}
    assert links == {m.name: reverse(f"tracker:{kind}_card", args=[team.pk, MARCH, m.pk]) for m in members}
    assert f'id="card-link-hint">A member\'s name opens their {kind} for March' in page
    # Team total and "Apply to all" stay plain row headers.
    assert '<th scope="row">Team total' in page
    for member in members:
        card = leader_client.get(links[member.name])
        assert card.status_code == 200
        assert f"<h1>{member.name}</h1>" in card.content.decode()


@pytest.mark.parametrize("kind", ["results", "targets"])
def test_the_links_add_no_query_as_the_team_grows(kind, team, members, metrics, leader_client):
    url = reverse(f"tracker:{kind}", args=[team.pk, MARCH])
    leader_client.get(url)
    with CaptureQueriesContext(connection) as few:
        leader_client.get(url)
    MemberFactory.create_batch(12, team=team, start_date=datetime.date(2024, 1, 1))
    leader_client.get(url)  # the new members moved the team's version: kept anew, as `few` was
    with CaptureQueriesContext(connection) as many:
        page = leader_client.get(url).content.decode()
    assert len(ROW_HEADER.findall(page)) == 15
    assert len(many) == len(few) <= 12
