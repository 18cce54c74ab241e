"""The coach opens the Wagtail dashboard: "What changed since you last looked" counts the week,
links to the report behind each number, and "Mark all as seen" starts a new window. At 375 px too."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from program.models import Enrollment
from tests.factories import CoachFactory, UserFactory
from tests.lessons.factories import enrol, make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coach_sees_what_changed_and_marks_it_seen(page, login, screenshot, axe_check, home_page):
    program, _, _ = make_course(home_page, modules=1, lessons=1, slug="nine-steps")
    for days in (1, 2, 16):  # two new this week; one enrolled 16 days ago who just became stuck
        enrollment = enrol(UserFactory(), program)
        Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=timezone.now() - timedelta(days=days))
    login(page, CoachFactory(full_name="Dana Whitfield"))
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/admin/")
    panel = page.locator(".huddle-changes")
    expect(panel.get_by_text("In the last 7 days")).to_be_visible()
    screenshot(page, "coach-changes-375")
    axe_check(page, context=".huddle-changes")
    panel.get_by_role("link", name="2 new enrollments").click()
    assert f"/admin/program-reports/{program.pk}/learners/?enrolled_from=" in page.url
    page.go_back()
    expect(page.locator(".huddle-changes").get_by_role("link", name="1 leader stuck for 14 days")).to_be_visible()

    page.locator(".huddle-changes").get_by_role("button", name="Mark all as seen").click()
    panel = page.locator(".huddle-changes")
    expect(page.get_by_text("Marked as seen.")).to_be_visible()
    expect(panel.get_by_text(re.compile(r"^Since \w{3} "))).to_be_visible()
    expect(panel.get_by_text("0 new enrollments")).to_be_visible()
    screenshot(page, "coach-changes-seen-375")
