"""The header of a signed-in leader (four menu pages, Program, My learning, Tracker, their name,
Log out) between 1024 and 1440 px: one line, nothing pushed off the side. Up to 1279 px its links
sit behind the Menu; from 1280 px they fit in the row, and a long first name is cut short."""

import pytest

from home.models import StandardPage
from tests.factories import UserFactory
from tests.lessons.factories import make_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOG_OUT_BOX = """() => {
  const button = [...document.querySelectorAll('header button')].find(b => b.offsetParent && b.innerText === 'Log out');
  const box = button && button.getBoundingClientRect();
  return {scroll: document.documentElement.scrollWidth, right: box && box.right, height: box && box.height};
}"""


@pytest.mark.parametrize("full_name", ["Marcus Bell", "Christopher-Alexander Bell"])
@pytest.mark.parametrize("width", [1024, 1100, 1200, 1279, 1280, 1440])
def test_a_leaders_header_fits_in_one_row(page, login, home_page, full_name, width):
    for title in ["About", "Coaching", "Workshops", "Contact"]:
        home_page.add_child(instance=StandardPage(title=title, slug=title.lower(), show_in_menus=True))
    make_program(home_page, slug="program", title="9 Steps")
    page.set_viewport_size({"width": width, "height": 800})
    login(page, UserFactory(full_name=full_name))

    page.goto("/dashboard/")
    found = page.evaluate(LOG_OUT_BOX)

    assert found["scroll"] <= width
    if width < 1280:
        assert found["right"] is None  # behind the Menu
        page.locator(".site-header").get_by_text("Menu").click()
        assert page.locator(".site-menu").get_by_role("button", name="Log out").is_visible()
    else:
        assert found["right"] <= width
        assert found["height"] < 50  # one line, not "Log / out"
