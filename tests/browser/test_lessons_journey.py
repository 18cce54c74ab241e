"""The learning journeys in a real browser.

A leader continues where they left off, fails then passes a knowledge check, saves a private
reflection, marks a plain lesson complete and sees the progress move; an anonymous visitor reads a
free-preview lesson but only sees the title, summary and the call to enrol on a paid one."""

import re

import pytest

from lessons.services import lesson_complete
from program.models import Enrollment
from program.services import enrollment_grant
from tests.factories import UserFactory
from tests.lessons.factories import make_lesson, make_module, make_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUIZ_BODY = [
    ("text", "<p>Quotas reach every rep on the first of the month.</p>"),
    (
        "knowledge_check",
        {
            "heading": "Check your understanding",
            "questions": [
                {
                    "question": "When do quotas reach each rep?",
                    "options": [{"text": "On the first", "correct": True}, {"text": "Whenever", "correct": False}],
                    "explanation": "On the first, so nobody loses a week.",
                }
            ],
        },
    ),
]
REFLECTION_BODY = [
    ("text", "<p>Every rep deserves a monthly conversation.</p>"),
    ("reflection", {"prompt": "Who on your team needs a conversation this week?"}),
]
PAID_SENTENCE = "The scoreboard goes up on Monday at nine sharp."


def program_progress(page) -> str:
    """The program progress line ("25 % complete · 1 of 4 required lessons") on the current page."""
    bar = page.get_by_role("progressbar", name="Program progress")
    return bar.locator("xpath=following-sibling::p").inner_text()


def test_leader_continues_answers_reflects_and_completes(page, login, screenshot, axe_check, home_page):
    program = make_program(home_page, slug="nine-steps", title="9 Steps to Leading a Rock Star Sales Team")
    module = make_module(program, title="Set the targets", slug="step-one")
    first = make_lesson(module, title="Why targets matter", slug="why-targets")
    quiz = make_lesson(module, title="Send the numbers", slug="send-the-numbers", body=QUIZ_BODY, pass_mark=100)
    reflect = make_lesson(module, title="Know your team", slug="know-your-team", body=REFLECTION_BODY)
    last = make_lesson(module, title="Publish the results", slug="publish-the-results")
    leader = UserFactory(full_name="Priya Raman")
    enrollment_grant(user=leader, program=program, source=Enrollment.Source.MANUAL, reason="journey")
    lesson_complete(user=leader, lesson=first)
    login(page, leader)

    # The program page shows 1 of 4 done and continues at the first unfinished lesson.
    page.goto(program.url)
    assert program_progress(page).startswith("25 % complete · 1 of 4")
    page.get_by_role("link", name="Continue where you left off: Send the numbers").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Send the numbers"
    assert page.url.rstrip("/").endswith(quiz.url.rstrip("/"))

    # A wrong answer: "Not quite" with the explanation; not passed, progress unchanged.
    page.get_by_label("Whenever").check()
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_load_state()
    feedback = page.locator(".lesson-quiz__feedback")
    assert "Not quite" in feedback.inner_text()
    assert "On the first, so nobody loses a week." in feedback.inner_text()
    assert "You need 100 % to pass" in page.locator("main").inner_text()
    assert "Pass the knowledge check to complete this lesson." in page.locator("main").inner_text()
    assert program_progress(page).startswith("25 % complete")

    # The right answer passes the check and completes the lesson.
    page.get_by_label("On the first").check()
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_load_state()
    assert "Correct" in page.locator(".lesson-quiz__feedback").inner_text()
    assert "lesson complete" in page.locator("main").inner_text()
    assert page.get_by_text("✓ You completed this lesson").is_visible()
    assert program_progress(page).startswith("50 % complete · 2 of 4")
    screenshot(page, "lessons-quiz-passed")
    axe_check(page)

    # A private reflection is saved and shown again after a reload.
    page.goto(reflect.url)
    answer = "Sam: his pipeline has been flat for three weeks."
    page.get_by_label("Your answer").fill(answer)
    page.get_by_role("button", name="Save my answer").click()
    page.wait_for_load_state()
    assert "Your reflection is saved" in page.locator("main").inner_text()
    page.reload()
    assert page.get_by_label("Your answer").input_value() == answer
    assert page.get_by_role("button", name="Update my answer").is_visible()
    screenshot(page, "lessons-reflection")

    # One click completes a plain lesson and moves on to the next one.
    page.get_by_role("button", name="Mark complete").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Publish the results"
    assert program_progress(page).startswith("75 % complete · 3 of 4")
    page.get_by_role("button", name="Mark complete").click()
    page.wait_for_load_state()
    assert page.get_by_text("✓ You completed this lesson").is_visible()
    assert page.url.rstrip("/").endswith(last.url.rstrip("/"))

    # The program page shows the program completed (and it stays so when lessons are added).
    page.goto(program.url)
    assert program_progress(page).startswith("Completed ")
    assert page.get_by_role("progressbar", name="Program progress").get_attribute("aria-valuenow") == "100"
    assert page.get_by_text("Program complete").first.is_visible()
    screenshot(page, "lessons-program-page")


def test_visitor_reads_a_free_preview_but_not_a_paid_lesson(page, screenshot, home_page):
    program = make_program(home_page, slug="nine-steps", title="9 Steps to Leading a Rock Star Sales Team")
    module = make_module(program, title="Set the targets", slug="step-one")
    preview = make_lesson(
        module,
        title="Why targets matter",
        slug="why-targets",
        free_preview=True,
        body=[("text", "<p>Targets turn hope into a plan.</p>")],
    )
    paid = make_lesson(
        module, title="Publish the results", slug="publish-the-results", body=[("text", f"<p>{PAID_SENTENCE}</p>")]
    )

    page.goto(preview.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Why targets matter"
    assert page.get_by_text("Targets turn hope into a plan.").is_visible()
    screenshot(page, "lessons-free-preview")

    page.goto(paid.url)
    main = page.locator("main")
    assert page.get_by_role("heading", level=1).inner_text() == "Publish the results"
    assert "Summary of Publish the results" in main.inner_text()
    assert main.get_by_role("link", name="Log in", exact=True).is_visible()
    assert page.get_by_role("heading", name=re.compile("Enrol in 9 Steps")).is_visible()
    assert PAID_SENTENCE not in page.content()
    screenshot(page, "lessons-paid-gate")
