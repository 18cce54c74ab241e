"""SVG charts, the share email, grids, history and the JSON export write numbers through the one
formatter (tracker.rules.numbers) in the team's number format and currency, not on their own."""

import json
import re
from decimal import Decimal as D

import pytest
from django.core import mail
from django.urls import reverse

from tracker import services
from tracker.charts import line_chart, result_bars, sparkline
from tracker.models import Metric, ValueChange
from tracker.rules import add_months
from tracker.selectors import current_month

from .factories import MetricFactory, put

MONTH = add_months(current_month(), -1)


@pytest.fixture
def comma_team(team):
    team.number_format, team.currency = "comma", "EUR"
    team.save()
    return team


@pytest.fixture
def homes(comma_team):
    return MetricFactory(team=comma_team, name="Homes", unit=Metric.Unit.COUNT, weight=D("1.5"), order=0)


def _svgs(html: str) -> str:
    return "".join(re.findall(r"<svg.*?</svg>", html, flags=re.S))


def test_result_bars_write_the_result_in_the_teams_format():
    rows = [(1, "Ana Diaz", D("12500.5"), 104, D("1.04")), (2, "Ben <Cole>", D("1350000"), 90, D("0.9"))]
    comma = result_bars(rows=rows, unit="count", title="Homes", number_format="comma")
    assert "12.500,5 · 104%" in comma and "1.350.000" in comma and "12,500.5" not in comma
    assert "Ben &lt;Cole&gt;" in comma and "<Cole>" not in comma
    money = result_bars(rows=rows, unit="money", title="Sales", number_format="comma", currency="EUR")
    assert "12.500,50\u00a0€" in money
    point = result_bars(rows=rows, unit="money", title="Sales")
    assert "$12,500.50" in point and "$1,350,000" in point


def test_line_charts_and_sparklines_write_percentages_in_the_teams_format():
    months = [MONTH, add_months(MONTH, 1)]
    chart = line_chart(months=months, series=[("Ana", [D("12.5"), D("1")])], title="t", number_format="comma")
    assert "Ana: 1.250%" in chart and "1,250%" not in chart
    spark = sparkline([D("12.5"), None, D("0.8")], label="Ana", number_format="comma")
    assert "Ana: 1.250%, –, 80%" in spark
    assert "Ana: 1,250%, –, 80%" in sparkline([D("12.5"), None, D("0.8")], label="Ana")


def test_the_rankings_page_charts_show_a_result_as_the_team_writes_it(comma_team, members, homes, leader_client):
    put(members[0], homes, MONTH, "12000", "12500.5")
    put(members[1], homes, MONTH, "10000", "9000")
    html = leader_client.get(reverse("tracker:rankings", args=[comma_team.pk, MONTH])).content.decode()
    svg = _svgs(html)
    assert "1. Ana Diaz" in svg and "12.500,5 · 104%" in svg and "9.000 · 90%" in svg
    assert "12,500.5" not in html and "12500.5" not in svg


def test_the_share_email_writes_results_in_the_teams_format(
    comma_team, members, homes, leader_client, django_capture_on_commit_callbacks
):
    put(members[0], homes, MONTH, "12000", "12500.5")
    with django_capture_on_commit_callbacks(execute=True):
        leader_client.post(reverse("tracker:share", args=[comma_team.pk, MONTH]))
    body = next(m for m in mail.outbox if "ana@example.com" in m.to).body
    assert "Homes: 12.500,5 of 12.000 (104%)" in body


def test_weights_and_a_restored_value_are_written_in_the_teams_format(comma_team, members, homes, leader_client):
    assert "1,5" in leader_client.get(reverse("tracker:metrics", args=[comma_team.pk])).content.decode()
    key = {(members[0].pk, homes.pk): D("12500.5")}
    services.month_values_save(team=comma_team, month=MONTH, kind="results", values=key)
    services.month_values_save(team=comma_team, month=MONTH, kind="results", values={(members[0].pk, homes.pk): D(3)})
    first = ValueChange.objects.filter(member=members[0]).order_by("pk").first()
    response = leader_client.post(reverse("tracker:history_restore", args=[comma_team.pk, first.pk]), follow=True)
    assert "is back to 12.500,5." in response.content.decode()


def test_the_json_export_keeps_machine_values_and_says_how_the_team_writes_them(
    comma_team, members, homes, leader_client
):
    put(members[0], homes, MONTH, "12000", "12500.5")
    data = json.loads(leader_client.get(reverse("tracker:export_json", args=[comma_team.pk])).content)
    assert data["values"][0]["result"] == "12500.50" and data["values"][0]["target"] == "12000.00"
    assert (data["number_format"], data["number_example"], data["currency"]) == ("comma", "1.234,56", "EUR")
    assert D(data["values"][0]["result"]) == D("12500.5")  # a program reads it exactly, in any locale


def test_the_1on1_trend_text_rounds_as_every_other_percentage(comma_team, members, homes, leader_client):
    put(members[0], homes, MONTH, "200", "149")  # 74.5%: 75 everywhere (the template's own widthratio said 74)
    url = reverse("tracker:one_on_one", args=[comma_team.pk, MONTH, members[0].pk])
    html = leader_client.get(url).content.decode()
    assert f"{MONTH:%b} 75%" in html and f"{MONTH:%b} 74%" not in html
