"""The header: search box, a leader's Program / My learning / Tracker links, the phone menu."""

import pytest

from tests.lessons.factories import make_program

pytestmark = pytest.mark.django_db


def _header(client, path="/") -> str:
    html = client.get(path).content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_visitor_header_has_search_and_log_in_but_no_leader_links(client, home_page):
    make_program(home_page, slug="program")
    header = _header(client)
    assert 'action="/search/"' in header and 'role="search"' in header
    assert ">Log in</a>" in header
    assert ">Program</a>" not in header and ">Tracker</a>" not in header


def test_leader_header_links_program_learning_and_tracker(client, home_page, user):
    make_program(home_page, slug="program")
    client.force_login(user)
    header = _header(client)
    assert '<a href="/program/" >Program</a>' in header or 'href="/program/">Program</a>' in header
    assert ">My learning</a>" in header and 'href="/tracker/"' in header
    # the tracker link is marked current on the tracker
    assert 'href="/tracker/" aria-current="page"' in _header(client, "/tracker/")


def test_phone_menu_is_a_details_element_with_the_same_links(client, home_page, user):
    client.force_login(user)
    header = _header(client)
    menu = header[header.index("<details") : header.index("</details>")]
    assert "<summary" in menu and "Menu</summary>" in menu
    assert ">My learning</a>" in menu and "Log out" in menu and 'name="q"' in menu
