"""Quarter and year-to-date rankings, and annual targets split by month, in a real browser with
JavaScript off, on a 375 px phone: no sideways page scrolling (tables scroll in their own box with
the member column in view), plain links and forms, and axe finds nothing serious."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.tracker.factories import MemberFactory, TrackerUserFactory, put
from tracker.models import Target
from tracker.rules import add_months, month_start
from tracker.services.team_templates import team_create_from_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> dict:
    widths = page.evaluate(
        """() => { const box = document.querySelector('.tracker-grid').closest('.table-wrap');
             return {page: document.documentElement.scrollWidth, box: box.clientWidth, grid: box.scrollWidth}; }"""
    )
    assert widths["page"] <= 375, widths
    assert widths["grid"] > widths["box"], widths  # the table scrolls inside its own box
    assert page.locator(".tracker-grid tbody th").first.evaluate("e => getComputedStyle(e).position") == "sticky"
    return widths


def _team():
    leader = TrackerUserFactory(full_name="Marcus Bell")
    team = team_create_from_template(leader=leader, name="North Sales", template="brokerage")
    month = add_months(month_start(timezone.localdate()), -1)
    people = [MemberFactory(team=team, name=n, start_date=datetime.date(2020, 1, 1)) for n in ("Ana", "Ben", "Dana")]
    for back in range(3):
        for person, result in zip(people, (110, 95, 80), strict=True):
            for metric in team.metrics.all():
                rating = metric.unit == "average_1_5"
                put(person, metric, add_months(month, -back), 4 if rating else 100, 4 if rating else result)
    return leader, team, month, people


def test_periods_and_annual_preview_fit_a_phone(page, login, screenshot, axe_check):
    leader, team, month, _ = _team()
    login(page, leader)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/tracker/{team.pk}/rankings/{month:%Y-%m}/?period=ytd")
    _fits(page)
    axe_check(page)
    screenshot(page, "tracker-rankings-ytd-375")
    page.goto(f"/tracker/{team.pk}/targets/annual/")
    page.get_by_label("Ana", exact=True).fill("60")
    page.get_by_role("button", name="Preview").click()
    _fits(page)
    axe_check(page)
    screenshot(page, "tracker-annual-targets-preview-375")


def test_periods_and_annual_targets_work_without_javascript(browser, live_server, login):
    leader, team, month, people = _team()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        login(page, leader)
        page.goto(f"/tracker/{team.pk}/rankings/{month:%Y-%m}/")
        page.get_by_role("link", name="Year to date").click()
        assert "period=ytd" in page.url
        assert page.locator("h1").inner_text().startswith("Rankings, Year to date")
        page.get_by_role("link", name="Quarter", exact=True).click()
        assert page.locator("h1").inner_text().startswith("Rankings, Q")

        next_year = timezone.localdate().year + 1
        page.goto(f"/tracker/{team.pk}/targets/annual/")
        page.locator("#id_year").select_option(label=str(next_year))
        page.locator("#id_metric").select_option(label="Listings taken")
        page.get_by_label("Ana", exact=True).fill("60")
        page.get_by_role("button", name="Preview").click()
        assert "Preview: Listings taken" in page.content()
        stored = Target.objects.filter(member=people[0], metric__name="Listings taken", month__year=next_year)
        assert not stored.exists()
        page.get_by_role("button", name="Apply 12 monthly targets").click()
        assert "12 monthly target(s) saved" in page.content()
        assert sorted(t.value for t in stored) == [Decimal(5)] * 12
    finally:
        context.close()
