"""Celebrations count "celebrated this quarter" in the team's own year ("Year starts in", as the
quarter rankings do), not in calendar quarters."""

import datetime

import pytest
from django.urls import reverse

from tracker import selectors
from tracker.models import Celebration
from tracker.selectors import quarter_months

D = datetime.date


@pytest.mark.parametrize(
    "month,starts_in,expected",
    [
        (D(2026, 5, 1), 1, [D(2026, 4, 1), D(2026, 5, 1), D(2026, 6, 1)]),
        (D(2026, 4, 1), 4, [D(2026, 4, 1), D(2026, 5, 1), D(2026, 6, 1)]),
        (D(2026, 3, 1), 4, [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]),  # Q4 of the year from April 2025
        (D(2026, 7, 1), 4, [D(2026, 7, 1), D(2026, 8, 1), D(2026, 9, 1)]),
        (D(2026, 1, 1), 11, [D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1)]),  # across the new year
        (D(2026, 2, 1), 2, [D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)]),
    ],
)
def test_quarter_months_follow_the_year_start(month, starts_in, expected):
    assert quarter_months(month, starts_in=starts_in) == expected


def test_a_team_whose_year_starts_in_april(team, members, leader_client):
    ana, ben, cy = members
    team.year_starts_in = 4
    team.save()
    # March 2026 is the last month of Q4 (Jan-Mar); a celebration in December is the previous quarter.
    Celebration.objects.create(team=team, member=ana, month=D(2026, 1, 1), title="January win")
    Celebration.objects.create(team=team, member=ben, month=D(2025, 12, 1), title="December win")
    page = selectors.celebrations_page(team=team, month=D(2026, 3, 1))
    assert page.quarter == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    assert page.celebrated_in_quarter == {ana.pk}
    assert page.quarter_label == "Q4: Jan–Mar 2026"
    # April 2026 opens Q1 of the new year: nobody celebrated in it yet.
    april = selectors.celebrations_page(team=team, month=D(2026, 4, 1))
    assert april.quarter_label == "Q1: Apr–Jun 2026" and april.celebrated_in_quarter == set()
    html = leader_client.get(reverse("tracker:celebrations", args=[team.pk, D(2026, 3, 1)])).content.decode()
    assert "33%</strong> of the team celebrated this quarter (Q4: Jan–Mar 2026)" in html
    assert "Not yet: Ben Cole, Cy Lane." in html


def test_a_calendar_year_team_keeps_calendar_quarters(team, members):
    Celebration.objects.create(team=team, member=members[0], month=D(2026, 1, 1), title="January win")
    page = selectors.celebrations_page(team=team, month=D(2026, 3, 1))
    assert page.quarter_label == "Q1: Jan–Mar 2026" and page.celebrated_in_quarter == {members[0].pk}


def test_a_quarter_across_the_new_year_names_both_years(team, members):
    team.year_starts_in = 11
    team.save()
    page = selectors.celebrations_page(team=team, month=D(2026, 1, 1))
    assert page.quarter_label == "Q1: Nov 2025–Jan 2026"
