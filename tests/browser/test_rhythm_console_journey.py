"""The coach opens the monthly-rhythm console, ticks the two leaders who missed the 1st, reads the
prefilled words, makes them her own and nudges both; a second try skips them. At 375 px the page
never scrolls sideways (the table scrolls in its own box)."""

import pytest
from django.core import mail
from django.utils import timezone

from lessons.models import Nudge
from tests.factories import CoachFactory
from tests.lessons.factories import make_program
from tests.tracker.coach.conftest import all_five, leader_with_team
from tracker.rules import add_months, month_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coach_ticks_two_leaders_and_nudges_them(page, login, screenshot, axe_check, home_page):
    month = add_months(month_start(timezone.localdate()), -2)
    program = make_program(home_page, slug="nine-steps", title="9 Steps to Leading a Rock Star Sales Team")
    dana = leader_with_team(program, name="Dana Reyes", team="North Sales")
    luis = leader_with_team(program, name="Luis Ortega", team="Coastal Homes Sales Team")
    all_five(leader_with_team(program, name="Grace Kim", team="Valley Team"), month)
    leader_with_team(program, shares=False, name="Priya Private", team="Private Team")
    coach = CoachFactory(full_name="Carla Coach")

    login(page, coach)
    page.goto("/tracker/coach/rhythm/")
    page.get_by_label("Month").select_option(f"{month:%Y-%m}")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_load_state()
    main = page.locator("main")
    assert "Priya Private" not in main.inner_text()
    assert "2 missed the 1st" in main.inner_text()
    axe_check(page, context="main")
    page.get_by_role("checkbox", name="Nudge Dana Reyes (North Sales)").check()
    page.get_by_role("checkbox", name="Nudge Luis Ortega (Coastal Homes Sales Team)").check()
    page.get_by_role("button", name="Nudge the ticked leaders").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="Nudge 2 leaders").is_visible()
    assert page.get_by_label("Subject").input_value() == f"Your team's targets for {month:%B}"
    body = page.get_by_label("Your message")
    assert "/tracker/step/1/lesson/" in body.input_value()
    body.fill("Dana, Luis: the targets make the month. Ten minutes today? Reply if anything is in the way.")
    axe_check(page, context="main")
    page.get_by_role("button", name="Send 2 nudges").click()
    page.wait_for_load_state()
    assert page.get_by_text("Nudge sent to 2 leaders.").is_visible()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([dana.leader.email, luis.leader.email])
    assert Nudge.objects.filter(reason="step_slipped", coach=coach).count() == 2
    assert page.get_by_text("Nudged ").count() == 2

    # One row's own button, again: already nudged about that step this month, so skipped.
    page.goto(f"/tracker/coach/rhythm/?month={month:%Y-%m}&sort=missed_first")
    assert page.get_by_role("button", name="Nudge Dana Reyes about step 1").count() == 0

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page, context={"include": [["main"]], "exclude": [[".messages"]]})
    screenshot(page, "rhythm-console-375")
