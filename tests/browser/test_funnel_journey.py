"""The coach reads the webinar funnel on a phone (375 px) with JavaScript off: filters, a number
clicked to the people behind it, the CSV link; then axe on the same page with JavaScript on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from program.models import Enrollment
from program.webinars.models import WebinarRegistration
from tests.factories import StaffFactory, UserFactory
from tests.lessons.factories import make_program
from tests.program.webinars.factories import tx_home_page, webinar


def _history():
    home = tx_home_page()
    program = make_program(home, slug="program")
    start = timezone.now() - timedelta(days=30)
    session = webinar(home, title="Five strategies", sessions=[{"starts_at": start}]).sessions.get()
    for i, name in enumerate(["Ana Ortiz", "Ben Ross", "Cy Park", "Dee Lane"]):
        user = UserFactory(email=f"p{i}@example.com", full_name=name)
        WebinarRegistration.objects.create(
            session=session, email=user.email, name=name, user=user, status="registered",
            created_at=start - timedelta(days=3), attended_at=start if i < 3 else None,
        )  # fmt: skip
        if i == 0:
            Enrollment.objects.create(
                user=user, program=program, source="stripe", enrolled_at=start + timedelta(days=2)
            )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_funnel_on_a_phone_without_javascript(browser, live_server, page, login, screenshot, axe_check):
    _history()
    coach = StaffFactory(email="coach@example.com")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, java_script_enabled=False
    )
    nojs = context.new_page()
    login(nojs, coach)
    nojs.goto("/coach/funnel/")
    assert nojs.locator("h1").inner_text() == "Webinar funnel"
    nojs.get_by_label("Webinar").select_option(label="Five strategies")
    nojs.get_by_role("button", name="Show").click()
    table = nojs.locator(".funnel-table")
    assert "Five strategies" in table.inner_text()
    table.locator("tbody tr").first.locator("td").nth(3).locator("a").click()  # the "Attended" number
    people = nojs.locator("#people")
    assert "Attended: Five strategies (3)" in people.inner_text()
    assert "Ana Ortiz" in people.inner_text() and "Dee Lane" not in people.inner_text()
    screenshot(nojs, "funnel-375-nojs")
    context.close()

    login(page, coach)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/coach/funnel/?show=enrolled_30&row=all")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at 375 px ({width})"
    assert page.locator("svg.chart").count() == 2
    axe_check(page)
