"""The coach's page about one leader: from the monthly-rhythm console the coach follows a leader,
reads her progress in the program and her 12-month consistency, keeps a private note and edits it.
At 375 px the page never scrolls sideways, axe finds nothing serious, and tabbing through the page
never leaves the focused element under the sticky header or below the screen."""

import pytest
from django.utils import timezone

from lessons.services import lesson_complete
from tests.factories import CoachFactory
from tests.lessons.factories import make_lesson, make_module, make_program
from tests.tracker.coach.conftest import all_five, leader_with_team
from tracker.models import CoachNote
from tracker.rules import add_months, month_start

from .test_learning_experience_journey import FOCUS_BOX

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dana(home_page):
    program = make_program(home_page, slug="nine-steps", title="9 Steps to Leading a Rock Star Sales Team")
    module = make_module(program, title="Publish the results", slug="step-one")
    lessons = [make_lesson(module, title=f"Lesson {n}", slug=f"lesson-{n}") for n in range(1, 5)]
    team = leader_with_team(program, name="Dana Reyes", team="North Sales")
    lesson_complete(user=team.leader, lesson=lessons[0])
    two_months_ago = add_months(month_start(timezone.localdate()), -2)
    all_five(team, two_months_ago)
    return team


def _tab_through(page, height: int, presses: int = 40) -> list[str]:
    seen = []
    for key in ["Tab"] * presses + ["Shift+Tab"] * presses:
        page.keyboard.press(key)
        focus = page.evaluate(FOCUS_BOX)
        if focus is None or focus["inHeader"]:
            continue
        seen.append(focus["label"])
        where = (
            f"{key} to {focus['label']!r}: top {focus['top']}, bottom {focus['bottom']}, header {focus['headerBottom']}"
        )
        if focus["height"] <= height - focus["headerBottom"]:  # fits: wholly in view, clear of the header
            assert focus["onTop"] or focus["top"] >= focus["headerBottom"] - 1, where
            assert focus["bottom"] <= height + 1, where
        else:  # the 12-month table's scrolling box, taller than a phone: most of it in view (WCAG 2.4.11)
            visible = min(focus["bottom"], height) - max(focus["top"], focus["headerBottom"])
            assert visible >= (height - focus["headerBottom"]) / 2, where
    return seen


def test_the_coach_follows_a_leader_and_keeps_a_note(page, login, screenshot, axe_check, dana):
    width, height = 375, 740
    page.set_viewport_size({"width": width, "height": height})
    login(page, CoachFactory(full_name="Carla Coach"))
    page.goto("/tracker/coach/rhythm/")
    page.get_by_role("link", name="Dana Reyes").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="Dana Reyes", level=1).is_visible()
    progress = page.locator("section", has=page.get_by_role("heading", name="Progress in the program"))
    assert "25 % (1 of 4 required lessons)" in progress.inner_text()
    consistency = page.get_by_role("region", name="Five steps of North Sales by month")
    assert consistency.get_by_role("row").count() == 13  # the header and 12 months
    two_months_ago = add_months(month_start(timezone.localdate()), -2)
    row = consistency.get_by_role("row", name=f"{two_months_ago:%b %Y}")
    assert "5/5" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page, context="main")
    screenshot(page, "coach-leader-375")

    # A private note, kept.
    page.get_by_role("textbox", name="Note").fill("Dana wants help with the one-on-ones in March.")
    page.get_by_role("button", name="Keep this note").click()
    page.wait_for_load_state()
    assert page.get_by_text("Note kept.").is_visible()
    note = CoachNote.objects.get(leader=dana.leader)
    article = page.locator(f"#note-{note.pk}")
    assert "Dana wants help with the one-on-ones in March." in article.inner_text()

    # Edited: the note opens in its own form, with its own label.
    article.get_by_text("Edit", exact=True).click()
    edit = article.get_by_role("textbox", name="Note")
    assert edit.input_value() == "Dana wants help with the one-on-ones in March."
    edit.fill("Dana wants help with the one-on-ones in March. Call on the 3rd.")
    article.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("Note saved.").is_visible()
    assert "Call on the 3rd." in page.locator(f"#note-{note.pk}").inner_text()
    note.refresh_from_db()
    assert note.version == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page, context={"include": [["main"]], "exclude": [[".messages"]]})
    screenshot(page, "coach-leader-note-375")

    seen = _tab_through(page, height)
    assert any("Keep this note" in label for label in seen)
    assert any("Full learner report" in label for label in seen)
