"""Main navigation follows the page tree, and its shared cache is cleared when pages change."""

import pytest
from django.core.cache import cache
from wagtail.models import Site

from home.models import StandardPage
from home.selectors import main_navigation, navigation_cache_key

pytestmark = pytest.mark.django_db


def _nav_titles(client) -> list[str]:
    html = client.get("/").content.decode()
    header = html[html.index('id="site-nav-list"') : html.index("</nav>")]
    return [t for t in ("About", "Coaching", "Workshops", "Secret") if f">{t}</a>" in header]


def _add_page(parent, title, *, in_menu=True, publish=True):
    page = StandardPage(title=title, slug=title.lower(), show_in_menus=in_menu)
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def test_navigation_lists_live_menu_pages_in_tree_order(client, home_page):
    _add_page(home_page, "About")
    _add_page(home_page, "Coaching")
    _add_page(home_page, "Secret", in_menu=False)

    assert _nav_titles(client) == ["About", "Coaching"]


def test_publishing_a_page_adds_it_to_the_cached_navigation(client, home_page):
    _add_page(home_page, "About")
    assert _nav_titles(client) == ["About"]  # now cached
    assert cache.get(navigation_cache_key(Site.objects.get())) is not None

    _add_page(home_page, "Workshops")

    assert _nav_titles(client) == ["About", "Workshops"]


def test_unpublishing_and_deleting_remove_a_page_from_the_navigation(client, home_page):
    about = _add_page(home_page, "About")
    coaching = _add_page(home_page, "Coaching")
    assert _nav_titles(client) == ["About", "Coaching"]

    coaching.unpublish()
    assert _nav_titles(client) == ["About"]

    about.delete()
    assert _nav_titles(client) == []


def test_navigation_is_served_from_cache_in_no_queries(home_page, django_assert_num_queries):
    site = Site.objects.get()
    _add_page(home_page, "About")
    main_navigation(site=site)
    with django_assert_num_queries(0):
        assert [item["title"] for item in main_navigation(site=site)] == ["About"]


def test_no_site_means_no_navigation():
    assert main_navigation(site=None) == []
