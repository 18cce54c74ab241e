"""The kept read models (tracker/selectors/kept.py): the month grid, the boards, the month's 1:1s and
each agenda come from the shared cache between writes, every write shows on the next render, and
one team's entries never reach another team's pages."""

import datetime
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.signals import account_deleting
from tracker import selectors, services
from tracker.models import ActionItem
from tracker.rules import add_months
from tracker.selectors import current_month

from .factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory

pytestmark = pytest.mark.django_db


def test_a_kept_grid_reads_no_query_and_is_a_fresh_copy(team, members, metrics, django_assert_num_queries):
    month = current_month()
    first = selectors.month_grid(team=team, month=month, kind="targets")
    first.values[(members[0].pk, metrics[0].pk)] = Decimal("1")  # a caller changing its copy
    with django_assert_num_queries(0):
        again = selectors.month_grid(team=team, month=month, kind="targets")
    assert again.values == {}
    assert again.team is team
    assert [m.name for m in again.members] == [m.name for m in first.members]


def test_a_grid_save_shows_on_the_next_render(leader_client, team, members, metrics):
    month = current_month()
    url = reverse("tracker:results", args=[team.pk, month])
    cell = f"c_{members[0].pk}_{metrics[1].pk}"
    assert f'name="{cell}" inputmode' in leader_client.get(url).content.decode()  # kept, empty
    response = leader_client.post(url, {cell: "7", f"o_{members[0].pk}_{metrics[1].pk}": "", "save": "1"})
    assert response.status_code == 302
    page = leader_client.get(url).content.decode()
    assert f'name="{cell}" value="7"' in page
    assert f'name="o_{members[0].pk}_{metrics[1].pk}" value="7"' in page  # the original the next save compares


def test_the_grid_kept_before_a_save_elsewhere_still_catches_the_conflict(leader_client, team, members, metrics):
    """A value saved by someone else after this leader's page was kept and shown is still caught."""
    month = current_month()
    url = reverse("tracker:results", args=[team.pk, month])
    leader_client.get(url)
    key = (members[0].pk, metrics[1].pk)
    services.month_values_save(team=team, month=month, kind="results", values={key: Decimal("5")})
    response = leader_client.post(url, {f"c_{key[0]}_{key[1]}": "9", f"o_{key[0]}_{key[1]}": "", "save": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed since you opened this page" in page
    assert f'name="o_{key[0]}_{key[1]}" value="5"' in page  # theirs, read again after the save


def test_member_and_metric_changes_show_on_the_next_render(leader_client, team, members, metrics):
    month = current_month()
    url = reverse("tracker:targets", args=[team.pk, month])
    leader_client.get(url)
    members[0].name = "Ana Renamed"
    members[0].save()
    metrics[0].name = "Revenue"
    metrics[0].save()
    page = leader_client.get(url).content.decode()
    assert "Ana Renamed" in page and "Revenue" in page


def test_results_show_on_the_next_rankings_and_year_to_date(leader_client, team, members, metrics):
    month = add_months(current_month(), -1)
    url = reverse("tracker:rankings", args=[team.pk, month])
    assert "150%" not in leader_client.get(url).content.decode()
    assert "150%" not in leader_client.get(url).content.decode()  # kept
    key = (members[0].pk, metrics[0].pk)
    services.month_values_save(team=team, month=month, kind="targets", values={key: Decimal("100")})
    services.month_values_save(team=team, month=month, kind="results", values={key: Decimal("150")})
    assert "150%" in leader_client.get(url).content.decode()
    assert "150%" in leader_client.get(url + "?period=ytd").content.decode()
    services.month_values_save(team=team, month=month, kind="results", values={key: Decimal("50")})
    assert "50%" in leader_client.get(url).content.decode()
    assert "150%" not in leader_client.get(url + "?period=ytd").content.decode()


def test_one_teams_kept_entries_never_reach_another_team(client):
    month = current_month()
    mine = TeamFactory(leader=TrackerUserFactory())
    theirs = TeamFactory(leader=TrackerUserFactory())
    MemberFactory(team=mine, name="Only Mine", start_date=datetime.date(2020, 1, 1))
    MemberFactory(team=theirs, name="Only Theirs", start_date=datetime.date(2020, 1, 1))
    MetricFactory(team=mine)
    MetricFactory(team=theirs)
    for team, shown, hidden in ((mine, "Only Mine", "Only Theirs"), (theirs, "Only Theirs", "Only Mine")):
        for _ in range(2):  # built, then kept
            grid = selectors.month_grid(team=team, month=month, kind="targets")
            board = selectors.team_board(team=team, month=month)
            reviews = selectors.team_month_reviews(team=team, month=month)
            names = {m.name for m in grid.members} | {r.member.name for r in board.rows}
            names |= {r.member.name for r in reviews.rows}
            assert shown in names and hidden not in names


def test_the_months_1on1s_show_a_schedule_at_once_and_overdue_from_now(team, members, metrics):
    month = current_month()
    assert {r.status for r in selectors.team_month_reviews(team=team, month=month).rows} == {"missing"}
    at = timezone.now() + datetime.timedelta(days=1)
    services.one_on_one_schedule(team=team, member=members[0], month=month, scheduled_at=at)
    rows = {r.member.pk: r for r in selectors.team_month_reviews(team=team, month=month).rows}
    assert rows[members[0].pk].status == "scheduled"
    assert not rows[members[0].pk].overdue
    later = selectors.team_month_reviews(team=team, month=month, now=at + datetime.timedelta(hours=1))
    assert next(r for r in later.rows if r.member.pk == members[0].pk).overdue  # kept rows, overdue from now


def test_items_closed_in_a_1on1_leave_the_kept_agenda(team, members, metrics):
    month = current_month()
    member = members[0]
    item = services.action_item_create(
        team=team, member=member, owner="member", text="Call back", due_on=timezone.localdate()
    )
    assert [i.pk for i in selectors.one_on_one_agenda(team=team, member_id=member.pk, month=month).open_items] == [
        item.pk
    ]
    agenda = selectors.one_on_one_agenda(team=team, member_id=member.pk, month=month)
    services.one_on_one_hold(
        team=team,
        member=member,
        month=month,
        held_at=timezone.now(),
        notes="",
        discussed_gap=False,
        agenda=agenda.snapshot(),
        new_items=[],
        done_item_ids=[item.pk],
        version=0,
    )
    assert ActionItem.objects.get(pk=item.pk).done_at is not None
    after = selectors.one_on_one_agenda(team=team, member_id=member.pk, month=month)
    assert after.open_items == []


def test_an_address_erased_with_an_account_leaves_the_kept_grid(team, metrics):
    month = current_month()
    person = TrackerUserFactory(email="rep@example.com")
    EmailAddress.objects.update_or_create(
        user=person, email="rep@example.com", defaults={"verified": True, "primary": True}
    )
    MemberFactory(team=team, name="Rep", email="rep@example.com", start_date=datetime.date(2020, 1, 1))
    assert [m.email for m in selectors.month_grid(team=team, month=month, kind="targets").members] == [
        "rep@example.com"
    ]
    account_deleting.send(sender=type(person), user=person)
    assert [m.email for m in selectors.month_grid(team=team, month=month, kind="targets").members] == [""]
