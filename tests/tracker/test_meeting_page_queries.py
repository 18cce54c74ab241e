"""The meeting page asks the month's results, personal-best records, presentation and whether there
are presentation events or celebrations in one query (`selectors.meeting_records`, kept per team data
version), and lists the events and celebrations only when there are some: each of them shows on the
very next view, through the kept records."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from tracker import services
from tracker.models import Result

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2024, 3, 1)


def _meeting(client, team, django_assert_num_queries, queries: int) -> str:
    with django_assert_num_queries(queries):
        response = client.get(reverse("tracker:meeting", args=[team.pk, MARCH]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_part_shows_on_the_next_view(team, members, metrics, leader, leader_client, django_assert_num_queries):
    services.month_values_save(team=team, month=MARCH, kind="results", values={(members[0].pk, metrics[0].pk): D("5")})
    leader_client.get(reverse("tracker:meeting", args=[team.pk, MARCH]))  # the board kept, the user cached
    # the session, the team with the access checks (the records kept: no events, no celebrations to list)
    page = _meeting(leader_client, team, django_assert_num_queries, 2)
    assert "We celebrate" not in page and '"Presented" history' not in page and "Presented " not in page

    services.celebration_record(team=team, member=members[0], month=MARCH, kind="custom", title="Closed the Hill deal")
    # the records and the board (3) read anew after the write, the celebrations listed
    page = _meeting(leader_client, team, django_assert_num_queries, 2 + 1 + 3 + 1)
    assert "We celebrate" in page and "Closed the Hill deal" in page

    services.meeting_mark_presented(team=team, month=MARCH, user=leader)
    page = _meeting(leader_client, team, django_assert_num_queries, 2 + 1 + 3 + 2)  # + the events
    assert "Presented " in page and page.count("Marked as presented ") == 1

    services.meeting_unmark_presented(team=team, month=MARCH, user=leader)
    page = _meeting(leader_client, team, django_assert_num_queries, 2 + 1 + 3 + 2)
    assert "Presented " not in page and page.count("Undone ") == 1
    page = _meeting(leader_client, team, django_assert_num_queries, 2 + 2)  # warm: the events, the celebrations
    assert "Closed the Hill deal" in page and page.count("Undone ") == 1


def test_a_presented_month_whose_results_were_removed_still_shows_as_presented(
    team, members, metrics, leader, leader_client, django_assert_num_queries
):
    services.month_values_save(team=team, month=MARCH, kind="results", values={(members[0].pk, metrics[0].pk): D("5")})
    services.meeting_mark_presented(team=team, month=MARCH, user=leader)
    Result.objects.filter(member__team=team).delete()
    page = leader_client.get(reverse("tracker:meeting", args=[team.pk, MARCH])).content.decode()
    assert "Presented " in page and page.count("Marked as presented ") == 1


def test_another_leader_gets_no_meeting_page(team, members, metrics, intruder_client):
    assert intruder_client.get(reverse("tracker:meeting", args=[team.pk, MARCH])).status_code == 404
