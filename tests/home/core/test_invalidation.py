"""One test per row of the invalidation table in home/core/caching/__init__.py (the rows on move,
delete, privacy and aliases are in test_routing and test_privacy_cache). Every test goes through
the caches as a visitor does: no cookie keeps a request out of them."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from home.core.caching.page_cache import VERSION_KEY as PAGE_CACHE
from home.core.caching.versions import (
    MENU_VERSION_KEY,
    PAGES_VERSION_KEY,
    PROGRAMS_VERSION_KEY,
    SETTINGS_VERSION_KEY,
    SITES_VERSION_KEY,
    current_version,
)
from home.models import SiteSettings, StandardPage

pytestmark = pytest.mark.django_db
ALL = (PAGES_VERSION_KEY, SITES_VERSION_KEY, MENU_VERSION_KEY, SETTINGS_VERSION_KEY, PROGRAMS_VERSION_KEY, PAGE_CACHE)


def _versions() -> dict[str, str]:
    return {key: current_version(key) for key in ALL}


def _moved(before: dict[str, str]) -> set[str]:
    return {key for key, value in _versions().items() if value != before[key]}


@pytest.fixture
def about(home_page):
    page = StandardPage(title="About us", slug="about", intro="First words")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def _hit(client, url):
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    return response


def test_publish_moves_pages_menu_and_page_cache_and_shows_at_once(client, about, django_capture_on_commit_callbacks):
    _hit(client, "/about/")
    before = _versions()
    with django_capture_on_commit_callbacks(execute=True):
        about.title = "About the coach"
        about.save_revision().publish()
    assert _moved(before) == {PAGES_VERSION_KEY, MENU_VERSION_KEY, PAGE_CACHE}
    assert b"About the coach" in client.get("/about/").content


def test_a_scheduled_publish_moves_them_too(client, about):
    _hit(client, "/about/")
    about.title = "Scheduled words"
    revision = about.save_revision()
    revision.publish()  # live now; then schedule the next edit
    about.title = "Published by the scheduler"
    later = about.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
    assert later.approved_go_live_at is not None
    _hit(client, "/about/")
    before = _versions()
    call_command("publish_scheduled")
    assert {PAGES_VERSION_KEY, PAGE_CACHE} <= _moved(before)
    assert b"Published by the scheduler" in client.get("/about/").content


def test_site_settings_move_settings_pages_and_page_cache(client, about):
    settings = SiteSettings.for_site(Site.objects.get())
    settings.save()  # made with defaults
    _hit(client, "/about/")
    before = _versions()
    settings.brand_name = "Rock Star Leaders"
    settings.save()
    assert _moved(before) == {SETTINGS_VERSION_KEY, PAGES_VERSION_KEY, PAGE_CACHE}
    assert b"Rock Star Leaders" in client.get("/about/").content


def test_a_site_change_moves_pages_sites_and_menu_not_the_page_cache(client, about):
    _hit(client, "/about/")
    before = _versions()
    site = Site.objects.get()
    site.site_name = "Renamed"
    site.save()
    assert _moved(before) == {PAGES_VERSION_KEY, SITES_VERSION_KEY, MENU_VERSION_KEY}


def test_a_snippet_save_moves_nothing(home_page, user):
    from lessons.models import ModuleUnlock
    from tests.lessons.factories import make_course

    program, modules, lessons = make_course(home_page)
    before = _versions()
    ModuleUnlock.objects.create(user=user, module=modules[0])  # read live in the leader's own rows
    assert _moved(before) == set()


def test_a_deploy_starts_every_cache_afresh(client, about, settings):
    _hit(client, "/about/")
    before = _versions()
    settings.RELEASE = "next-release"
    assert _moved(before) == set(ALL)
    assert all(version.startswith("next-release.") for version in _versions().values())
    response = client.get("/about/")
    assert response.status_code == 200 and "X-Page-Cache" not in response  # rendered again
    assert client.get("/about/")["X-Page-Cache"] == "hit"
