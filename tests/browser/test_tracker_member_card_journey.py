"""A busy manager on a phone (issue 17): from the results grid, "One member at a time" opens a card
with one big labelled box per metric, in the team's number format; "Save and next member" walks the
team; nothing scrolls sideways at 375 px."""

import datetime
from decimal import Decimal

import pytest

from tests.tracker.factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory
from tracker import services
from tracker.models import Metric, Result
from tracker.rules import add_months, month_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_enters_results_one_member_at_a_time_on_a_phone(page, login, screenshot, axe_check, home_page):
    month = add_months(month_start(datetime.date.today()), -1)
    leader = TrackerUserFactory(full_name="Lena Vogel")
    team = TeamFactory(leader=leader, name="Team Süd", number_format="comma", currency="EUR")
    sales = MetricFactory(team=team, name="Sales", unit=Metric.Unit.MONEY, order=0)
    calls = MetricFactory(team=team, name="Calls made to customers this month", unit=Metric.Unit.COUNT, order=1)
    ana = MemberFactory(team=team, name="Ana Diaz", start_date=datetime.date(2020, 1, 1))
    ben = MemberFactory(team=team, name="Ben Cole", start_date=datetime.date(2020, 1, 1))
    services.month_values_save(team=team, month=month, kind="targets", values={(ana.pk, sales.pk): Decimal(12000)})
    login(page, leader)
    page.set_viewport_size({"width": 375, "height": 812})

    page.goto(f"/tracker/{team.pk}/results/{month:%Y-%m}/")
    page.get_by_role("link", name="One member at a time").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Ana Diaz"
    assert "Target: 12.000\u00a0€" in page.locator("main").inner_text()
    box = page.get_by_label("Sales")
    assert box.get_attribute("inputmode") == "decimal"
    assert box.bounding_box()["height"] >= 44  # a thumb-sized target
    box.fill("12.500,5")
    page.get_by_label("Calls made to customers this month").fill("40")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "tracker-member-card-375")
    axe_check(page)
    page.get_by_role("button", name="Save and next member").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Ben Cole"
    assert "Ana Diaz:" in page.locator(".messages").inner_text()
    assert Result.objects.get(member=ana, metric=sales).value == Decimal("12500.5")
    assert Result.objects.get(member=ana, metric=calls).value == Decimal("40")
    assert not Result.objects.filter(member=ben).exists()

    # a bad number: a clear message, nothing saved
    page.get_by_label("Sales").fill("lots")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert "'lots' is not a number." in page.locator("main").inner_text()
    assert not Result.objects.filter(member=ben).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "tracker-member-card-error-375")
    axe_check(page)
    page.get_by_role("link", name="Ana Diaz").click()
    page.wait_for_load_state()
    assert page.get_by_label("Sales").input_value() == "12.500,5"
