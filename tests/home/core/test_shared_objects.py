"""Objects Wagtail or Django write to are never shared between requests (home/core/caching/frozen.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.core.caching.frozen import freeze, thaw
from home.core.caching.routing import site_for_request
from home.models import SiteSettings
from lessons.models import LessonPage
from tests.lessons.factories import enrol, make_course

pytestmark = pytest.mark.django_db


def test_each_request_gets_its_own_site_and_root_page(rf, home_page):
    first = site_for_request(rf.get("/"))
    with CaptureQueriesContext(connection) as ctx:
        second = site_for_request(rf.get("/"))
        assert second.root_page.url_path == home_page.url_path
    assert len(ctx.captured_queries) == 0  # from the memo, root page included
    assert second == first and second is not first
    assert second.root_page is not first.root_page


def test_each_request_gets_its_own_site_settings(rf, home_page):
    one, two = rf.get("/"), rf.get("/")
    first = SiteSettings.for_request(one)
    second = SiteSettings.for_request(two)  # from the cache now
    assert first is not second
    assert first._request is one and second._request is two  # Wagtail writes the request onto it


def test_a_kept_lesson_page_is_a_new_instance_with_its_own_body_each_request(client, home_page, user):
    program, modules, lessons = make_course(home_page)
    enrol(user, program)
    client.force_login(user)
    pages = []
    for _ in range(4):  # routed, remembered, kept, then served from the kept copy
        response = client.get("/program/m1/l1/")
        assert response.status_code == 200 and b"SECRET body of Lesson 1.1" in response.content
        pages.append(response.context["page"])
    third, fourth = pages[2], pages[3]
    assert third.pk == fourth.pk and third is not fourth
    assert third.body is not fourth.body
    assert list(third.body.raw_data) == list(fourth.body.raw_data)


def test_freeze_keeps_only_immutable_values(home_page):
    lesson_course = make_course(home_page)
    lesson = LessonPage.objects.get(pk=lesson_course[2][0].pk)
    frozen = freeze(lesson, extras={"_note": "x"})
    assert all(
        isinstance(v, str | int | float | bool | type(None)) or not hasattr(v, "__dict__") for v in frozen.values
    )
    a, b = thaw(frozen), thaw(frozen)
    assert a is not b and a.body is not b.body and a._note == "x"
    assert a.title == lesson.title and list(a.body.raw_data) == list(lesson.body.raw_data)
    site = Site.objects.get()
    assert thaw(freeze(site, related=("root_page",))).root_page.pk == home_page.pk
