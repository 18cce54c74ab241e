"""`CACHING_OFF` turns one caching piece off (for `make bench`), and the page still comes out right."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from home.core.caching import memo
from home.core.caching.fetch import by_pk
from home.models import StandardPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(home_page):
    page = StandardPage(title="About us", slug="about")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_page_cache_and_routes_off_serve_the_same_page(client, settings, about):
    for off in ([], ["page_cache"], ["routes"], ["page_cache", "routes", "kept_pages", "memo", "fetch"]):
        settings.CACHING_OFF = off
        client.get("/about/")
        response = client.get("/about/")
        assert response.status_code == 200 and b"About us" in response.content
        assert (response.get("X-Page-Cache") == "hit") is ("page_cache" not in off), off


def test_memo_off_reads_the_shared_cache_every_time(settings):
    memo.set("test:switch", "kept", 60)
    cache.delete("test:switch")
    assert memo.get("test:switch") == "kept"  # the process's copy
    settings.CACHING_OFF = ["memo"]
    assert memo.get("test:switch") is None


def test_fetch_off_builds_the_query_with_the_orm(settings):
    user = UserFactory()
    settings.CACHING_OFF = ["fetch"]
    with CaptureQueriesContext(connection) as queries:
        assert by_pk(User, user.pk) == user
    assert "LIMIT 1" in queries.captured_queries[0]["sql"]  # the ORM's .first(), not the kept SQL
