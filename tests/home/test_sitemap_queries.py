"""/sitemap.xml lists exactly what Wagtail's own sitemap lists (live, public pages; lessons only as
free previews), the same for everyone, in a number of queries that stays fixed as pages and page
types are added."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page, PageViewRestriction

from home.models import StandardPage
from home.sitemap import sitemap
from tests.lessons.factories import make_course, make_lesson

pytestmark = pytest.mark.django_db


def _page(parent, slug, *, publish=True):
    page = StandardPage(title=slug.title(), slug=slug)
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.unpublish()
    return page


@pytest.fixture
def site(home_page):
    _page(home_page, "about")
    _page(home_page, "draft-pricing", publish=False)
    private = _page(home_page, "team-only")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="pw")
    _page(private, "under-team-only")
    program, modules, lessons = make_course(home_page, modules=1, lessons=2)
    make_lesson(modules[0], title="Preview", free_preview=True)
    return home_page, modules


def _xml(view) -> str:
    response = view(RequestFactory().get("/sitemap.xml"))
    response.render()
    return response.content.decode()


def test_lists_what_wagtails_sitemap_lists(site):
    mine = _xml(sitemap)
    assert mine == _xml(wagtail_sitemap)
    assert "/about/" in mine and "/program/m1/preview/" in mine
    for hidden in ("draft-pricing", "team-only", "/program/m1/l1/", "/program/m1/l2/"):
        assert hidden not in mine


def test_same_sitemap_for_visitors_and_signed_in(client, site, user):
    # Published at 03:00 UTC: still 31 December in New York (the site's zone), already 1 January
    # where this visitor lives. The dates are the site's for everyone.
    Page.objects.update(last_published_at=datetime.datetime(2026, 1, 1, 3, 0, tzinfo=datetime.UTC))
    user.time_zone = "Pacific/Kiritimati"
    user.save()
    anonymous = client.get("/sitemap.xml").content
    assert b"<lastmod>2025-12-31</lastmod>" in anonymous and b"2026-01-01" not in anonymous
    client.force_login(user)
    assert client.get("/sitemap.xml").content == anonymous


def _queries(client) -> int:
    client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
    return len(queries)


def test_queries_fixed_as_pages_and_types_grow(client, site, user, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(user)
    before = _queries(client)
    home_page, modules = site
    for n in range(3):
        _page(home_page, f"more-{n}")
    program, more_modules, _ = make_course(home_page, slug="second", modules=2, lessons=3)
    make_lesson(more_modules[1], title="Another preview", free_preview=True)
    after = _queries(client)
    assert after == before <= 12
    assert "/second/" in client.get("/sitemap.xml").content.decode()
