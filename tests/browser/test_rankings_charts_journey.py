"""The rankings' "Top ten by metric" charts with four metrics at 1280 px: each bar chart is drawn at
its own 420 px, not squeezed into a quarter of the row where its 12 px names shrank to 5 px."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.tracker.factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory
from tracker.models import Result, Target
from tracker.rules import month_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_four_metric_charts_keep_their_size(page, login, screenshot, home_page):
    month = month_start(timezone.localdate())
    leader = TrackerUserFactory(full_name="Marcus Bell")
    team = TeamFactory(leader=leader, name="North Sales")
    metrics = [MetricFactory(team=team, name=name, order=i) for i, name in enumerate(["A", "B", "C", "D"])]
    for name in ["Ana Diaz", "Ben Cole"]:
        member = MemberFactory(team=team, name=name, email="")
        for metric in metrics:
            Target.objects.create(member=member, metric=metric, month=month, value=Decimal(10))
            Result.objects.create(member=member, metric=metric, month=month, value=Decimal(9))
    login(page, leader)

    page.goto(f"/tracker/{team.pk}/rankings/{month:%Y-%m}/")

    charts = page.locator("svg.chart--bars")
    assert charts.count() == 4
    assert [round(charts.nth(i).bounding_box()["width"]) for i in range(4)] == [420] * 4
    screenshot(page, "tracker-rankings-four-charts")
