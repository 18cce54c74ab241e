"""The header: search box, a leader's Program / My learning / Tracker links, the phone menu."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.template import engines
from django.test import Client

from home.models import StandardPage
from tests.factories import UserFactory
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


def _account_links(header: str) -> list[tuple[str, str]]:
    """(name shown, CSRF token of the log-out form) in each of the header's two menus."""
    names = re.findall(r'<li class="site-nav__account"><a href="/profile/">([^<]*)</a></li>', header)
    tokens = re.findall(
        r'action="/accounts/logout/" class="inline-form"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        header,
    )
    return list(zip(names, tokens, strict=True))


def test_the_kept_header_shows_each_leader_their_own_name_and_token(home_page):
    """The header is kept once for every signed-in leader (a shared fragment) with the account links
    as a per-request hole: a second leader gets their own name and a token of their own session,
    never the first one's, and signing out gives the visitor's header, not a kept leader's one."""
    first, second = UserFactory(full_name="Ada Lovelace"), UserFactory(full_name="Grace Hopper")
    clients = []
    for user in (first, second):
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)
        clients.append(client)
    seen = []
    for client, name in ((clients[0], "Ada"), (clients[1], "Grace"), (clients[0], "Ada")):
        header = _header(client, "/")
        links = _account_links(header)
        assert [shown for shown, _ in links] == [name, name], header
        secret = client.cookies["csrftoken"].value  # the session's CSRF secret: every token is it, masked
        assert all(_unmask_cipher_token(token) == secret for _, token in links)
        seen.append(links[0][1])
    assert _unmask_cipher_token(seen[0]) != _unmask_cipher_token(seen[1])  # two sessions, two secrets
    clients[1].logout()
    header = _header(clients[1], "/")
    assert ">Log in</a>" in header and "Grace" not in header and "csrfmiddlewaretoken" not in header


def test_a_new_menu_page_shows_in_the_kept_header_of_a_signed_in_leader(home_page, user):
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    for title in ("About", "Workshops"):
        page = StandardPage(title=title, slug=title.lower(), show_in_menus=True)
        home_page.add_child(instance=page)
        page.save_revision().publish()
        header = _header(client)  # the header kept for the first page is not shown after the second
        assert header.count(f">{title}</a>") == 2  # both menus
    assert len(_account_links(header)) == 2


def test_a_hole_in_a_loop_is_never_kept(rf, home_page):
    """A per-request hole inside a loop (or a `with`) cannot be filled in later, without the loop's
    variables: the fragment is rendered in full on every request instead."""
    template = engines["django"].from_string(
        '{% load site_chrome %}{% shared_fragment "test-loop" %}'
        '{% for n in numbers %}{% per_request "n" %}{{ n }}{{ who }}{% endper_request %}{% endfor %}'
        "{% endshared_fragment %}"
    )
    request = rf.get("/")
    assert template.render({"numbers": [1, 2], "who": "a", "request": request}) == "1a2a"
    assert template.render({"numbers": [1, 2], "who": "b", "request": request}) == "1b2b"


def test_a_hole_is_filled_on_every_request(rf, home_page):
    template = engines["django"].from_string(
        '{% load site_chrome %}{% shared_fragment "test-hole" %}<p>{{ shared }}</p>'
        '{% per_request "who" %}{{ who }}{% endper_request %}|{% per_request "who" %}{{ who }}{% endper_request %}'
        "{% endshared_fragment %}"
    )
    request = rf.get("/")
    assert template.render({"shared": "kept", "who": "a", "request": request}) == "<p>kept</p>a|a"
    # the kept part stays (it is shared by definition); the hole follows the request
    assert template.render({"shared": "changed", "who": "b", "request": request}) == "<p>kept</p>b|b"
