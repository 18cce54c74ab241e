"""Printing, in a real browser's print media: a lesson prints with the leader's own answer and the
video's title and link instead of an empty box, without the header and navigation; "My
reflections" prints every answer and commitment. Each page is also saved as a PDF and a
print-media screenshot in tests/artifacts/screenshots/ to look at."""

import re
import shutil
import subprocess

import pytest

from lessons.services import commitment_make, reflection_save
from program.models import Enrollment
from program.services import enrollment_grant
from tests.browser.conftest import SCREENSHOT_DIR
from tests.factories import UserFactory
from tests.lessons.factories import make_lesson, make_module, make_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO_URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
ANSWER = "Jordan needs a talk about the paperwork, on Tuesday."
ACTION = "Send every rep their number on the first."


@pytest.fixture
def lesson_with_answers(home_page):
    program = make_program(home_page, slug="nine-steps", title="9 Steps to Leading a Rock Star Sales Team")
    module = make_module(program, title="Publish the results", slug="step-one")
    lesson = make_lesson(
        module,
        title="The scoreboard",
        slug="scoreboard",
        body=[
            ("text", "<p>Post the numbers where everyone sees them.</p>"),
            ("video", {"url": VIDEO_URL, "title": "Dana on scoreboards"}),
            ("reflection", {"prompt": "Who needs a conversation this week?"}),
            ("apply_it", {"action": ACTION, "tracker_step": "1"}),
        ],
    )
    leader = UserFactory(full_name="Priya Raman")
    enrollment_grant(user=leader, program=program, source=Enrollment.Source.MANUAL, reason="journey")
    blocks = {b.block_type: b.id for b in lesson.body}
    reflection_save(user=leader, lesson=lesson, block_id=blocks["reflection"], answer=ANSWER)
    commitment_make(user=leader, lesson=lesson, block_id=blocks["apply_it"])
    return lesson, leader


def _print(page, name: str) -> str:
    """Save the page in print media as a PNG and a PDF; return the PDF's text (when pdftotext is here)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)
    pdf = SCREENSHOT_DIR / f"{name}.pdf"
    page.pdf(path=str(pdf), format="Letter", print_background=False)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        return ""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _hidden_in_print(page, selector: str) -> None:
    boxes = page.locator(selector)
    assert boxes.count() > 0, f"{selector} is not on the page at all"
    for i in range(boxes.count()):
        assert not boxes.nth(i).is_visible(), f"{selector} prints"


def test_a_lesson_and_my_reflections_print_my_answers_without_the_chrome(page, login, lesson_with_answers):
    lesson, leader = lesson_with_answers
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())  # no YouTube
    login(page, leader)
    page.goto(lesson.url)
    on_screen = page.locator(".lesson-reflection__answer")
    assert not on_screen.is_visible()  # on screen the answer is in the form's box, not twice
    assert page.locator(".lesson-video__frame").is_visible()

    page.emulate_media(media="print")
    for selector in (".site-header", "nav", ".lesson-video__frame", ".lesson-reflection form", ".site-footer"):
        _hidden_in_print(page, selector)
    answer = page.locator(".lesson-reflection__answer")
    assert answer.is_visible() and answer.inner_text().strip() == ANSWER
    caption = page.locator(".lesson-video figcaption")
    assert caption.is_visible() and caption.inner_text().strip() == f"Dana on scoreboards ({VIDEO_URL})"
    assert page.locator(".lesson-apply").get_by_text("Committed").is_visible()  # my commitment, not only the prompt
    figure = page.locator(".lesson-video").bounding_box()
    assert figure["height"] < 120, f"the video still takes {figure['height']} px of paper"
    text = _print(page, "print-lesson")
    if text:
        assert "Jordan needs a talk about the paperwork" in text and "Dana on scoreboards" in text
        assert "Log out" not in text and "My learning" not in text.split("The scoreboard")[0]

    page.emulate_media(media="screen")
    page.goto("/my-learning/reflections/")
    page.emulate_media(media="print")
    for selector in (".site-header", "nav", "form"):
        _hidden_in_print(page, selector)
    assert page.locator(".reflections-page__answer").inner_text().strip() == ANSWER
    assert page.get_by_text(ACTION).is_visible()
    assert page.get_by_text("Private: only you see these.").is_visible()
    text = _print(page, "print-my-reflections")
    if text:
        assert "Jordan needs a talk about the paperwork" in text and ACTION in text
        assert "Save my choice" not in text
