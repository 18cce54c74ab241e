"""Page privacy and the caches: Wagtail's restrictions apply at once, to every anonymous visitor,
with every cache warm (no cookie that keeps a request out of the page cache)."""

import pytest
from wagtail.models import PageViewRestriction

from home.core.caching.page_cache import VERSION_KEY as PAGE_CACHE_VERSION_KEY
from home.core.caching.versions import current_version
from home.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(home_page):
    page = StandardPage(title="About us", slug="about")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def _warm(client, url):
    assert client.get(url).status_code == 200
    hit = client.get(url)
    assert hit.status_code == 200 and hit["X-Page-Cache"] == "hit"  # the anonymous copy is cached


def test_a_login_restriction_redirects_anonymous_visitors_at_once(client, about):
    _warm(client, "/about/")
    restriction = PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/about/")
    assert response.status_code == 302 and "login" in response["Location"]
    restriction.delete()
    response = client.get("/about/")
    assert response.status_code == 200 and b"About us" in response.content


def test_a_restriction_on_an_ancestor_covers_the_cached_child(client, home_page, about):
    child = StandardPage(title="Inner page", slug="inner")
    about.add_child(instance=child)
    child.save_revision().publish()
    _warm(client, "/about/inner/")
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/about/inner/").status_code == 302


def test_a_password_restriction_shows_wagtails_password_form_at_once(client, about):
    _warm(client, "/about/")
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    response = client.get("/about/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert b"password" in response.content.lower() and b"s3cret" not in response.content


def test_an_alias_of_a_restricted_page_is_restricted_too(client, home_page, about):
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/about/").status_code == 302
    _warm(client, "/")  # an unrelated page keeps the summary "no aliases of restricted pages" warm
    about.create_alias(parent=home_page, update_slug="about-alias")
    response = client.get("/about-alias/")
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("change", ["add", "remove", "alias"])
def test_privacy_changes_move_the_page_cache_version_now_and_after_commit(
    change, home_page, about, django_capture_on_commit_callbacks
):
    existing = PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    before = current_version(PAGE_CACHE_VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        if change == "add":
            PageViewRestriction.objects.create(
                page=home_page, restriction_type=PageViewRestriction.PASSWORD, password="x"
            )
        elif change == "remove":
            existing.delete()
        else:
            about.create_alias(parent=home_page, update_slug="about-alias")
        during = current_version(PAGE_CACHE_VERSION_KEY)
        assert during != before
    assert current_version(PAGE_CACHE_VERSION_KEY) != during  # moved again when the change committed
