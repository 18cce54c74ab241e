"""A cold request reads the Sites once (home/core/caching/routing.py `read_sites`): its own Site, as
Wagtail's `Site.find_for_request` picks it, and the site root paths, as `Site.get_site_root_paths`
gives them, for the menu's and the outline's page URLs."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.core.caching import memo
from home.core.caching.routing import _host_port, match_site, read_sites
from home.core.caching.urls import page_get_url, site_root_paths
from home.models import StandardPage
from home.selectors import main_navigation

pytestmark = pytest.mark.django_db

HOSTS = ["testserver:80", "testserver:8000", "other.example:80", "other.example:8080", "third.example:443", "x:80"]


def _cold():
    cache.clear()
    memo.clear()


@pytest.fixture
def about(home_page):
    page = StandardPage(title="About us", slug="about", show_in_menus=True)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def _sites_setups(home, about):
    yield  # the one default site of the fixture
    Site.objects.create(hostname="other.example", port=80, root_page=about, site_name="Other")
    yield
    Site.objects.create(hostname="other.example", port=8080, root_page=home, site_name="Other 8080")
    yield
    Site.objects.filter(hostname="testserver").update(is_default_site=False)
    yield
    Site.objects.create(hostname="third.example", port=443, root_page=about, is_default_site=True)
    yield


def test_the_site_is_the_one_wagtail_finds_for_every_host_and_port(home_page, about):
    for _ in _sites_setups(home_page, about):
        sites, _roots = read_sites("test")
        for host in HOSTS:
            hostname, port = host.split(":")
            request = RequestFactory().get("/", HTTP_HOST=host, SERVER_PORT=port)
            expected = Site._find_for_request(request)  # Wagtail's own query
            found = match_site(sites, *_host_port(request))
            assert (found.pk if found else None) == (expected.pk if expected else None), host


def test_the_root_paths_are_wagtails(home_page, about):
    for _ in _sites_setups(home_page, about):
        _cold()
        assert site_root_paths() == tuple(tuple(root) for root in Site.get_site_root_paths())


def test_a_cold_site_lookup_leaves_wagtails_root_paths_on_the_request(home_page, about):
    from home.core.caching.routing import site_for_request

    for _ in _sites_setups(home_page, about):
        _cold()
        request = RequestFactory().get("/", HTTP_HOST="other.example:80", SERVER_PORT="80")
        site_for_request(request)
        with CaptureQueriesContext(connection) as ctx:
            kept = Site.get_site_root_paths()  # Wagtail's own entry, filled by the same read
        assert not ctx.captured_queries
        cache.clear()
        assert request._wagtail_cached_site_root_paths == kept == Site.get_site_root_paths()
        # Wagtail's page URLs for this request use them (no Sites read of their own)
        fresh = StandardPage.objects.get(pk=about.pk)
        expected = fresh.get_url_parts(RequestFactory().get("/", HTTP_HOST="other.example:80", SERVER_PORT="80"))
        with CaptureQueriesContext(connection) as ctx:
            assert fresh.get_url_parts(request) == expected
        assert not ctx.captured_queries


def test_a_cold_page_reads_the_sites_once(client, home_page, about, without_page_cache):
    Site.objects.create(hostname="other.example", port=80, root_page=about, site_name="Other")
    _cold()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    assert len([q for q in ctx.captured_queries if '"wagtailcore_site"' in q["sql"]]) == 1


def test_menu_urls_are_wagtails_page_url_with_no_request(home_page, about):
    for _ in _sites_setups(home_page, about):
        _cold()
        fresh = StandardPage.objects.get(pk=about.pk)  # Wagtail keeps the root paths on an instance
        for site in Site.objects.all():
            expected = [fresh.get_url()] if site.root_page_id == home_page.pk else []
            assert [item["url"] for item in main_navigation(site=site)] == expected
        assert page_get_url(fresh) == StandardPage.objects.get(pk=about.pk).get_url()


def _wagtails_own_root_paths():
    Site.clear_site_root_paths_cache()
    return Site.get_site_root_paths()


def test_wagtails_root_paths_are_filled_with_the_sites(home_page, about, django_assert_num_queries):
    for _ in _sites_setups(home_page, about):
        _cold()
        read_sites("test")
        with django_assert_num_queries(0):
            kept = Site.get_site_root_paths()
        assert kept == _wagtails_own_root_paths()


def test_wagtails_root_paths_follow_a_site_change_through_the_cache(client, home_page, about, without_page_cache):
    _cold()
    assert client.get("/").status_code == 200  # a cold request: the Sites read, Wagtail's copy filled
    Site.objects.create(hostname="other.example", port=80, root_page=about, site_name="Other")
    assert client.get("/").status_code == 200
    kept = Site.get_site_root_paths()
    assert kept == _wagtails_own_root_paths()
    assert len(kept) == 2
