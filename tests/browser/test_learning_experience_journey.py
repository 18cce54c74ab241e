"""Search, quiz feedback where the eye is, and nothing focused under the sticky header.

Site search as a visitor (paid text never shown) and as an enrolled leader (lesson text, a locked
lesson shown as locked); "Check my answers" lands on the feedback and focuses it; Tab and Shift+Tab
through a long lesson at 1280 and 375 px never leave the focused element under the header."""

import pytest

from lessons.models import ModulePage
from lessons.services import lesson_complete
from program.models import Enrollment
from program.services import enrollment_grant
from tests.factories import UserFactory
from tests.lessons.factories import make_lesson, make_module, make_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAID_SENTENCE = "The scoreboard goes up on Monday at nine sharp."
FILLER = [("text", f"<p>Paragraph {n}: consistency beats intensity, month after month.</p>" * 3) for n in range(8)]
QUIZ = (
    "knowledge_check",
    {
        "heading": "Check your understanding",
        "questions": [
            {
                "question": "When do quotas reach each rep?",
                "options": [{"text": "On the first", "correct": True}, {"text": "Whenever", "correct": False}],
                "explanation": "On the first, so nobody loses a week.",
            },
            {
                "question": "Who gets celebrated?",
                "options": [
                    {"text": "Personal bests too", "correct": True},
                    {"text": "Only the top", "correct": False},
                ],
                "explanation": "Personal bests count as much as the top seller.",
            },
        ],
    },
)
BODY = [*FILLER, QUIZ, ("reflection", {"prompt": "Who needs a conversation this week?"}), *FILLER[:3]]


@pytest.fixture
def course(home_page):
    program = make_program(home_page, slug="nine-steps", title="9 Steps to Leading a Rock Star Sales Team")
    first = make_module(program, title="Publish the results", slug="step-one")
    later = make_module(program, title="Celebrate", slug="step-two", drip=ModulePage.Drip.DAYS, drip_days=7)
    opener = make_lesson(first, title="Why publish", slug="why-publish", summary="Results on the wall.")
    long = make_lesson(
        first,
        title="The scoreboard",
        slug="scoreboard",
        summary="Post the numbers.",
        body=[("text", f"<p>{PAID_SENTENCE}</p>"), *BODY],
        pass_mark=100,
    )
    make_lesson(
        first,
        title="Free taster",
        slug="taster",
        free_preview=True,
        body=[("text", "<p>The scoreboard is public here.</p>")],
    )
    make_lesson(later, title="Scoreboard parties", slug="parties", summary="Celebrate on the scoreboard.")
    leader = UserFactory(full_name="Priya Raman")
    enrollment_grant(user=leader, program=program, source=Enrollment.Source.MANUAL, reason="journey")
    lesson_complete(user=leader, lesson=opener)
    return program, long, leader


def test_search_as_a_visitor_and_as_an_enrolled_leader(page, login, screenshot, axe_check, course):
    # A visitor: the free preview by its text, the paid lessons by title and summary only.
    page.goto("/")
    page.locator(".site-header").get_by_role("searchbox", name="Search").fill("scoreboard")
    page.locator(".site-header").get_by_role("searchbox", name="Search").press("Enter")
    page.wait_for_load_state()
    assert "/search/?q=scoreboard" in page.url
    results = page.locator(".search-results")
    assert results.get_by_role("link", name="Free taster").is_visible()
    assert results.get_by_role("link", name="The scoreboard").is_visible()
    assert PAID_SENTENCE not in page.content() and "Monday" not in page.content()
    screenshot(page, "search-visitor")
    axe_check(page)
    page.goto("/search/?q=Monday")
    assert page.get_by_role("heading", name="No results for “Monday”").is_visible()

    # The enrolled leader: the paid text in a snippet, the dripped lesson marked locked.
    login(page, course[2])
    page.goto("/search/?q=scoreboard")
    main = page.locator("main")
    assert "scoreboard goes up on Monday" in main.inner_text()
    locked = page.locator(".search-result", has_text="Scoreboard parties")
    assert "Locked: opens" in locked.inner_text()
    screenshot(page, "search-leader")
    axe_check(page)


def test_search_at_phone_width_through_the_menu(page, screenshot, axe_check, course):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 64  # one row
    assert not header.get_by_role("searchbox").first.is_visible()
    header.get_by_text("Menu").click()
    box = header.locator(".site-menu").get_by_role("searchbox", name="Search")
    assert box.is_visible()
    assert header.locator(".site-menu").get_by_role("link", name="Log in").is_visible()
    screenshot(page, "header-menu-open-phone")
    box.fill("taster")
    box.press("Enter")
    page.wait_for_load_state()
    assert page.locator(".search-results").get_by_role("link", name="Free taster").is_visible()
    screenshot(page, "search-phone")
    axe_check(page)


@pytest.mark.parametrize("width,height", [(1280, 900), (375, 740)])
def test_check_my_answers_lands_on_the_feedback_and_focuses_it(
    page, login, screenshot, axe_check, course, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    login(page, course[2])
    page.goto(course[1].url)
    page.get_by_label("Whenever").check()
    page.get_by_label("Personal bests too").check()
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_load_state()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'quiz-feedback'")
    feedback = page.locator("#quiz-feedback")
    assert "You need 100 % to pass" in feedback.inner_text()
    box = feedback.bounding_box()
    header_bottom = page.locator(".site-header").bounding_box()["height"]
    assert header_bottom <= box["y"] and box["y"] + box["height"] <= height  # in view, not under the header
    # The first question's "Not quite" is right below, on screen too.
    not_quite = page.locator(".lesson-quiz__feedback").first.bounding_box()
    assert not_quite["y"] < height, "the first question's feedback is off screen"
    page.screenshot(path=str(screenshot.__globals__["SCREENSHOT_DIR"] / f"quiz-feedback-{width}.png"))
    axe_check(page)


FOCUS_BOX = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const header = document.querySelector('.site-header');
  const r = el.getBoundingClientRect(), h = header.getBoundingClientRect();
  // Drawn over the header (the skip link) is fine; under it is not.
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), y = Math.min(Math.max(r.top + 2, 0), innerHeight - 1);
  const onTop = el.contains(document.elementFromPoint(x, y));
  return {inHeader: header.contains(el), onTop: onTop, top: r.top, bottom: r.bottom, height: r.height,
          headerBottom: h.bottom, label: (el.innerText || el.getAttribute('aria-label') || el.name || el.tagName).trim().slice(0, 60)};
}"""


@pytest.mark.parametrize("width,height", [(1280, 900), (375, 740)])
def test_tabbing_through_a_lesson_never_hides_focus_under_the_header(page, login, course, width, height):
    page.set_viewport_size({"width": width, "height": height})
    login(page, course[2])
    page.goto(course[1].url)
    seen = []
    for key in ["Tab"] * 60 + ["Shift+Tab"] * 60:
        page.keyboard.press(key)
        focus = page.evaluate(FOCUS_BOX)
        if focus is None or focus["inHeader"]:
            continue
        seen.append(focus["label"])
        assert focus["onTop"] or focus["top"] >= focus["headerBottom"] - 1, (
            f"{key} to {focus['label']!r}: top {focus['top']} under header {focus['headerBottom']}"
        )
        assert focus["bottom"] <= height + 1, f"{key} to {focus['label']!r} is below the viewport"
    assert any("Check my answers" in label for label in seen)
    assert any("Continue" in label for label in seen)
