"""Quarter and year-to-date rankings: sums and averages by the metric's nature, percent of target,
shared ranks, the team's fiscal year, the one number formatter, no JS, and fixed queries."""

import datetime
from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD
from tracker.models import Metric
from tracker.rules.periods import QUARTER, YEAR_TO_DATE
from tracker.selectors import period_board

from .factories import MemberFactory, MetricFactory, TeamFactory, big_team, put

JAN, FEB, MAR = (datetime.date(2024, m, 1) for m in (1, 2, 3))


def _cells(board, name):
    row = next(r for r in board.rows if r.member.name == name)
    return row, {c.metric.name: c for c in row.cells}


def test_quarter_adds_up_sales_and_averages_lower_is_better(team, members, metrics):
    ana, ben, cy = members
    sales, closings, cancellations = metrics
    for month, result in ((JAN, "120"), (FEB, "80"), (MAR, "100")):
        put(ana, sales, month, 100, result)
        put(ana, closings, month, 4, 5)
    put(ana, cancellations, JAN, 2, 1)
    put(ana, cancellations, FEB, 2, 3)
    put(ben, sales, JAN, 100, 50)
    put(ben, sales, MAR, 100)  # a target without a result: not counted yet
    board = period_board(team=team, month=MAR, period=QUARTER)
    assert board.months == [JAN, FEB, MAR]
    assert board.label == "Q1: January 2024 to March 2024"
    row, cells = _cells(board, "Ana Diaz")
    assert (cells["Sales"].target, cells["Sales"].result, cells["Sales"].months) == (D(300), D(300), 3)
    assert cells["Sales"].percent == 100 and cells["Sales"].sums
    assert (cells["Closings"].target, cells["Closings"].result, cells["Closings"].percent) == (D(12), D(15), 125)
    # Cancellations per month are averaged (2 against 2): 100%, not a sum of 4.
    assert (cells["Cancellations"].target, cells["Cancellations"].result) == (D(2), D(2))
    assert not cells["Cancellations"].sums and cells["Cancellations"].percent == 100
    _, ben_cells = _cells(board, "Ben Cole")
    assert (ben_cells["Sales"].target, ben_cells["Sales"].result, ben_cells["Sales"].percent) == (D(100), D(50), 50)
    assert [r.member.name for r in board.rows][:2] == ["Ana Diaz", "Ben Cole"]
    assert _cells(board, "Cy Lane")[0].rank is None


def test_ranks_are_shared_as_displayed(team, metrics):
    sales = metrics[0]
    people = [MemberFactory(team=team, name=n, start_date=JAN) for n in ("A", "B", "C", "D")]
    # Year to date: A 110%, B and C both show 95% (95.4 and 94.6 over two months), D 90%.
    for person, (jan, feb) in zip(
        people, (("110", "110"), ("95", "95.8"), ("94.6", "94.6"), ("90", "90")), strict=True
    ):
        put(person, sales, JAN, 100, jan)
        put(person, sales, FEB, 100, feb)
    board = period_board(team=team, month=FEB, period=YEAR_TO_DATE)
    assert [(r.member.name, r.rank) for r in board.rows] == [("A", 1), ("B", 2), ("C", 2), ("D", 4)]
    assert [r.cells[0].rank for r in board.rows] == [1, 2, 2, 4]


def test_fiscal_year_start_sets_quarters_and_year_to_date(team, members, metrics):
    team.year_starts_in = 10
    team.save()
    sales = metrics[0]
    ana = members[0]
    put(ana, sales, datetime.date(2023, 9, 1), 100, 500)  # the year before: left out
    put(ana, sales, datetime.date(2023, 10, 1), 100, 100)
    put(ana, sales, datetime.date(2024, 1, 1), 100, 50)
    ytd = period_board(team=team, month=JAN, period=YEAR_TO_DATE)
    assert ytd.months[0] == datetime.date(2023, 10, 1)
    assert _cells(ytd, "Ana Diaz")[1]["Sales"].result == D(150)
    quarter = period_board(team=team, month=JAN, period=QUARTER)
    assert quarter.months == [JAN] and quarter.label.startswith("Q2:")


def test_page_switches_period_with_plain_links_and_team_number_format(leader, leader_client):
    team = TeamFactory(leader=leader, name="Madrid", number_format="comma", currency="EUR")
    rating = MetricFactory(team=team, name="Rating", unit=Metric.Unit.AVERAGE_1_5, order=1)
    sales = MetricFactory(team=team, name="Sales", unit=Metric.Unit.MONEY, order=0)
    eva = MemberFactory(team=team, name="Eva", start_date=JAN)
    put(eva, sales, JAN, 600000, 700000)
    put(eva, sales, FEB, 600000, 650000)
    put(eva, rating, JAN, "4.5", "4")
    put(eva, rating, FEB, "4.5", "5")
    url = reverse("tracker:rankings", args=[team.pk, FEB])
    month_page = leader_client.get(url).content.decode()
    assert f'href="{url}?period=ytd"' in month_page and f'href="{url}?period=quarter"' in month_page
    page = leader_client.get(url + "?period=ytd").content.decode()
    assert "Year to date: January 2024 to February 2024" in page
    assert "1.350.000\u00a0€" in page  # summed, in the team's own format
    assert "4,5 / 5" in page  # averaged: (4 + 5) / 2
    assert f'href="{reverse("tracker:rankings", args=[team.pk, JAN])}?period=ytd"' in page
    # An unknown period falls back to the month.
    assert "Rankings for February 2024" in leader_client.get(url + "?period=decade").content.decode()


def test_another_leader_gets_404(team, members, metrics, intruder_client):
    for period in ("quarter", "ytd"):
        url = reverse("tracker:rankings", args=[team.pk, MAR]) + f"?period={period}"
        assert intruder_client.get(url).status_code == 404


def test_year_start_setting_is_saved_and_kept_when_missing(team, leader_client):
    url = reverse("tracker:team_settings", args=[team.pk])
    leader_client.post(url, {"team-name": team.name, "team-show_full_rankings": "on", "team-year_starts_in": "4"})
    team.refresh_from_db()
    assert team.year_starts_in == 4
    leader_client.post(url, {"team-name": "Renamed", "team-show_full_rankings": "on"})
    team.refresh_from_db()
    assert (team.name, team.year_starts_in) == ("Renamed", 4)
    assert (
        "The team's year starts in April"
        in leader_client.get(reverse("tracker:rankings", args=[team.pk, MAR]) + "?period=ytd").content.decode()
    )


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_fixed_as_data_grows(db, client):
    from .factories import TrackerUserFactory

    leader = TrackerUserFactory()
    end = datetime.date(2024, 12, 1)
    small = big_team(leader=leader, members=2, months=2, end=end)
    big = big_team(leader=leader, members=40, months=14, end=end)
    client.login(email=leader.email, password=PASSWORD)
    for period in ("quarter", "ytd"):
        counts = [
            _count(client, reverse("tracker:rankings", args=[t.pk, end]) + f"?period={period}") for t in (small, big)
        ]
        print("period queries", period, counts)
        assert counts[0] == counts[1] <= 12, (period, counts)
