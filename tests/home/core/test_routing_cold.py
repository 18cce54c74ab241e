"""A route miss (a cold cache: a deploy's new release, a restarted Redis) reads the page and the
types of the pages above it in one query (home/core/caching/routing.py `_route_by_url_path`)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from home.core.caching import memo
from home.core.caching.routing import VERSION_KEY, _route_key
from home.core.caching.versions import current_version
from tests.lessons.factories import enrol, make_course

pytestmark = pytest.mark.django_db

LESSON_URL = "/program/m1/l1/"


@pytest.fixture
def leader(client, home_page, user):
    program, modules, lessons = make_course(home_page)
    enrol(user, program)
    client.force_login(user)
    client.get(LESSON_URL)  # the first visit's own writes (the lesson's progress row)
    cache.clear()
    memo.clear()
    return client, home_page, program, modules, lessons


def test_a_cold_route_reads_the_ancestors_types_with_the_page(leader):
    client, home, program, modules, lessons = leader
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LESSON_URL).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not any('"wagtailcore_page"."path" IN' in s for s in sql), sql  # no walk of its own
    key = _route_key(current_version(VERSION_KEY), "testserver", "80", LESSON_URL[1:])
    above = [home.pk, program.pk, modules[0].pk]
    walked = tuple(Page.objects.filter(pk__in=above).order_by("path").values_list("content_type_id", flat=True))
    assert memo.get(key) == (lessons[0].content_type_id, lessons[0].pk, walked)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LESSON_URL).status_code == 200
    assert not any('"wagtailcore_page"."url_path" IN' in q["sql"] for q in ctx.captured_queries)  # remembered


def test_an_ancestor_off_its_address_is_walked_as_before(leader):
    """A tree whose url_paths disagree (written without Wagtail's save): the ancestors' types come
    from the tree, by path, as before."""
    client, home, program, modules, lessons = leader
    Page.objects.filter(pk=modules[0].pk).update(url_path="/elsewhere/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LESSON_URL).status_code == 200
    assert any('"wagtailcore_page"."path" IN' in q["sql"] for q in ctx.captured_queries)
    key = _route_key(current_version(VERSION_KEY), "testserver", "80", LESSON_URL[1:])
    above = [home.pk, program.pk, modules[0].pk]
    walked = tuple(Page.objects.filter(pk__in=above).order_by("path").values_list("content_type_id", flat=True))
    assert memo.get(key) == (lessons[0].content_type_id, lessons[0].pk, walked)
