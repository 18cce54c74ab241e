"""The site settings are read with the Sites on a cold request (home/core/caching/site_settings.py):
one query for the Sites and every Site's settings, each Site's own settings shown, a saved setting
shown on the very next request through the cache, and a new instance for every request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.core.caching import memo
from home.core.caching.routing import read_sites
from home.models import SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


def _cold():
    cache.clear()
    memo.clear()


@pytest.fixture
def two_sites(home_page):
    about = StandardPage(title="About us", slug="about")
    home_page.add_child(instance=about)
    about.save_revision().publish()
    main = Site.objects.get(is_default_site=True)
    other = Site.objects.create(hostname="other.example", port=80, root_page=about, site_name="Other")
    for site, brand in ((main, "Main Brand"), (other, "Other Brand")):
        settings = SiteSettings.for_site(site)
        settings.brand_name = brand
        settings.save()
    return main, other


def _title(client, host: str) -> str:
    html = client.get("/", HTTP_HOST=host).content.decode()
    return html[html.index("<title>") : html.index("</title>")]


def _settings_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if '"home_sitesettings"' in q["sql"]]


def test_a_cold_page_reads_the_settings_with_the_sites(client, two_sites, without_page_cache):
    _cold()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    assert "Main Brand" in response.content.decode()
    (query,) = _settings_queries(ctx.captured_queries)
    assert '"wagtailcore_site"' in query  # the Sites' own query, joined


def test_each_site_shows_its_own_settings_and_a_save_shows_on_the_next_request(
    client, two_sites, without_page_cache, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    main, other = two_sites
    _cold()
    assert "Main Brand" in _title(client, "testserver")
    assert "Other Brand" in _title(client, "other.example")
    with CaptureQueriesContext(connection) as ctx:  # warm: from the cache
        assert "Other Brand" in _title(client, "other.example")
    assert _settings_queries(ctx.captured_queries) == []

    kept = SiteSettings.objects.get(site=other)
    kept.brand_name = "Renamed Brand"
    kept.save()

    assert "Renamed Brand" in _title(client, "other.example")
    assert "Main Brand" in _title(client, "testserver")


def test_settings_read_with_the_sites_are_a_new_instance_for_every_request(two_sites):
    main, _other = two_sites
    _cold()
    read_sites("v")  # keeps every site's settings
    one, two = RequestFactory().get("/"), RequestFactory().get("/")
    with CaptureQueriesContext(connection) as ctx:
        first = SiteSettings.for_request(one)
        second = SiteSettings.for_request(two)
    assert _settings_queries(ctx.captured_queries) == []
    assert first is not second and first.brand_name == second.brand_name == "Main Brand"


def test_a_site_without_settings_gets_them_made_by_wagtail(home_page, without_page_cache, client):
    SiteSettings.objects.all().delete()
    _cold()
    assert client.get("/").status_code == 200
    assert SiteSettings.objects.filter(site=Site.objects.get()).exists()
