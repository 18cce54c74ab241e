"""A leader whose team writes numbers as 1.234,56 (euros) types a result that way, sees it back the
same way on the grid and in the rankings' chart, and an ambiguous value is refused with both
readings ("2,500": 2,5 or 2.500?) while nothing changes."""

import datetime
from decimal import Decimal

import pytest

from tests.tracker.factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory
from tracker import services
from tracker.models import Metric, Result
from tracker.rules import add_months, month_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_decimal_comma_team_types_reads_and_is_protected_from_ambiguous_numbers(
    page, login, screenshot, axe_check, home_page
):
    month = add_months(month_start(datetime.date.today()), -1)
    leader = TrackerUserFactory(full_name="Lena Vogel")
    team = TeamFactory(leader=leader, name="Team Süd", number_format="comma", currency="EUR")
    sales = MetricFactory(team=team, name="Sales", unit=Metric.Unit.MONEY, order=0)
    ana = MemberFactory(team=team, name="Ana Diaz", email="ana@example.com", start_date=datetime.date(2020, 1, 1))
    ben = MemberFactory(team=team, name="Ben Cole", email="ben@example.com", start_date=datetime.date(2020, 1, 1))
    services.month_values_save(
        team=team,
        month=month,
        kind="targets",
        values={(ana.pk, sales.pk): Decimal(12000), (ben.pk, sales.pk): Decimal(10000)},
    )
    login(page, leader)
    grid = f"/tracker/{team.pk}/results/{month:%Y-%m}/"

    # typed as the team writes numbers: decimal comma, dots between thousands
    page.goto(grid)
    assert "of 12.000\u00a0€" in page.locator("main").inner_text()  # the target hint, same format
    page.get_by_label("Ana Diaz, Sales").fill("12.500,5")
    page.get_by_label("Ben Cole, Sales").fill("9.000")
    page.get_by_role("button", name="Save results").first.click()
    page.wait_for_load_state()
    assert "2 added" in page.locator(".messages").inner_text()
    assert Result.objects.get(member=ana).value == Decimal("12500.5")
    assert Result.objects.get(member=ben).value == Decimal("9000")
    assert page.get_by_label("Ana Diaz, Sales").input_value() == "12.500,5"
    assert page.get_by_label("Ben Cole, Sales").input_value() == "9.000"

    # "2,500" is 2,5 in this team's format but 2.500 typed the other way: refused showing both, and
    # nothing is saved, not even the valid cell beside it
    page.get_by_label("Ana Diaz, Sales").fill("2,500")
    page.get_by_label("Ben Cole, Sales").fill("9.100")
    page.get_by_role("button", name="Save results").first.click()
    page.wait_for_load_state()
    name = page.get_by_label("Ana Diaz, Sales").get_attribute("name")
    error = page.locator(f"#id_{name}_error")
    assert error.inner_text() == "'2,500' could mean 2,5 or 2.500: type 2,5 or 2.500 to say which."
    assert Result.objects.get(member=ana).value == Decimal("12500.5")
    assert Result.objects.get(member=ben).value == Decimal("9000")
    # written in the other format altogether ("2.5"): refused too, naming this team's way
    page.get_by_label("Ana Diaz, Sales").fill("2.5")
    page.get_by_role("button", name="Save results").first.click()
    page.wait_for_load_state()
    assert "'2.5' could mean 2,5 or 25" in error.inner_text() and "1.234,5" in error.inner_text()
    assert Result.objects.get(member=ana).value == Decimal("12500.5")
    page.get_by_label("Ana Diaz, Sales").fill("2,500")
    page.get_by_role("button", name="Save results").first.click()
    page.wait_for_load_state()
    screenshot(page, "tracker-number-format-refused")
    axe_check(page)

    # the rankings' chart writes the result the same way, in euros
    page.goto(f"/tracker/{team.pk}/rankings/{month:%Y-%m}/")
    chart = page.locator("svg.chart--bars")
    assert chart.count() == 1
    text = chart.text_content()
    assert "12.500,50\u00a0€ · 104%" in text and "9.000\u00a0€ · 90%" in text
    assert "12,500" not in page.content()
    screenshot(page, "tracker-number-format-rankings")
    axe_check(page)
