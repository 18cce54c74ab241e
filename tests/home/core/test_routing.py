"""Cached Wagtail routing (home/core/caching/routing.py): fewer queries, and never a stale or wrong page."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from home.core.caching.routing import VERSION_KEY, _remember_route
from home.core.caching.versions import SITES_VERSION_KEY, current_version
from home.models import StandardPage
from lessons.models import LessonPage
from tests.lessons.factories import enrol, make_course

pytestmark = pytest.mark.django_db

LESSON_URL = "/program/m1/l1/"


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def about(home_page):
    page = StandardPage(title="About us", slug="about")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def leader_client(client, home_page, user):
    program, modules, lessons = make_course(home_page)
    enrol(user, program)
    client.force_login(user)
    return client, program, modules, lessons


def test_second_visit_finds_site_and_page_without_walking_the_tree(leader_client):
    client, program, modules, lessons = leader_client
    first, first_sql = _queries(client, LESSON_URL)
    second, second_sql = _queries(client, LESSON_URL)
    assert first.status_code == second.status_code == 200
    assert b"SECRET body of Lesson 1.1" in second.content
    assert not any('"wagtailcore_site"' in sql for sql in second_sql)
    assert not any("wagtailcore_pageviewrestriction" in sql for sql in second_sql)
    # session, user, the lesson, its program and the leader's own rows: nothing per tree level
    assert len(second_sql) <= 5 < len(first_sql)


def test_unpublished_page_is_not_served_from_a_cached_route_even_without_a_signal(leader_client):
    client, program, modules, lessons = leader_client
    assert client.get(LESSON_URL).status_code == 200
    version = current_version(VERSION_KEY)
    Page.objects.filter(pk=lessons[0].pk).update(live=False)  # no signal: the version stays
    assert current_version(VERSION_KEY) == version
    assert client.get(LESSON_URL).status_code == 404


def test_deleted_page_is_a_404_not_a_stale_hit(without_page_cache, client, about):
    assert client.get("/about/").status_code == 200
    about.delete()
    assert client.get("/about/").status_code == 404


def test_moved_or_renamed_page_answers_only_at_its_new_address(without_page_cache, client, home_page, about):
    assert client.get("/about/").status_code == 200
    about.slug = "who-we-are"
    about.save_revision().publish()
    assert client.get("/about/").status_code == 404
    assert client.get("/who-we-are/").status_code == 200

    other = StandardPage(title="Team", slug="team")
    home_page.add_child(instance=other)
    other.save_revision().publish()
    Page.objects.get(pk=about.pk).move(other, pos="last-child")
    old = client.get("/who-we-are/")
    assert old.status_code == 301 and old["Location"] == "/team/who-we-are/"  # Wagtail's redirect, not the page
    assert client.get("/team/who-we-are/").status_code == 200


def test_publish_and_site_changes_move_the_route_and_site_versions(home_page, about):
    version, sites = current_version(VERSION_KEY), current_version(SITES_VERSION_KEY)
    about.save_revision().publish()
    after_publish = current_version(VERSION_KEY)
    assert after_publish != version
    assert current_version(SITES_VERSION_KEY) == sites  # a page below the root leaves sites cached
    home_page.save_revision().publish()  # the root page: every route starts from its url_path
    assert current_version(SITES_VERSION_KEY) != sites
    sites = current_version(SITES_VERSION_KEY)
    site = Site.objects.get()
    site.site_name = "Renamed"
    site.save()
    assert current_version(VERSION_KEY) != after_publish
    assert current_version(SITES_VERSION_KEY) != sites


def test_renaming_the_site_root_reroutes_every_page(without_page_cache, client, home_page, about):
    assert client.get("/about/").status_code == 200
    home_page.slug = "start"
    home_page.save_revision().publish()
    response = client.get("/about/")
    assert response.status_code == 200 and b"About us" in response.content


def test_sub_routes_are_left_to_wagtail(rf, about, home_page):
    request = rf.get("/about/extra/")
    request._wagtail_route_for_request = (about, ["extra"], {})
    site = Site.objects.get()
    from django.core.cache import cache

    _remember_route(request, site, "about/extra/", "key-for-test")
    assert cache.get("key-for-test") is None
    request._wagtail_route_for_request = (about, [], {})
    _remember_route(request, site, "about/", "key-for-test")
    assert cache.get("key-for-test") == (about.content_type_id, about.pk, (home_page.content_type_id,))


def test_a_new_view_restriction_applies_at_once_to_cached_routes(without_page_cache, client, about):
    url = "/about/"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # route and summary cached
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_restriction_on_an_ancestor_still_guards_a_lesson(leader_client, home_page):
    client, program, modules, lessons = leader_client
    assert client.get(LESSON_URL).status_code == 200
    restriction = PageViewRestriction.objects.create(page=program, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Insiders"))
    response = client.get(LESSON_URL)
    assert response.status_code == 302  # the leader is not in the group
    restriction.delete()
    assert client.get(LESSON_URL).status_code == 200


def test_unknown_paths_are_404_and_are_not_remembered(client, home_page):
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404


def test_a_kept_lesson_is_checked_in_the_leaders_own_query(leader_client):
    """From the third visit the lesson comes from the process's kept copy; its "still live here"
    check rides in the leader's UNION, so the page costs the session, the user and that one query."""
    client, program, modules, lessons = leader_client
    for _ in range(2):
        assert client.get(LESSON_URL).status_code == 200
    response, sql = _queries(client, LESSON_URL)
    assert response.status_code == 200
    assert b"SECRET body of Lesson 1.1" in response.content
    assert not any("lessons_lessonpage" in q for q in sql)
    assert len(sql) <= 3


def test_a_kept_lesson_unpublished_without_a_signal_is_not_served(leader_client):
    client, program, modules, lessons = leader_client
    for _ in range(3):
        assert client.get(LESSON_URL).status_code == 200
    Page.objects.filter(pk=lessons[0].pk).update(live=False)  # no signal: the kept copy says live
    assert client.get(LESSON_URL).status_code == 404


def test_a_kept_lesson_moved_without_a_signal_is_routed_afresh(leader_client):
    client, program, modules, lessons = leader_client
    for _ in range(3):
        assert client.get(LESSON_URL).status_code == 200
    Page.objects.filter(pk=lessons[0].pk).update(url_path="/home/program/m1/elsewhere/", slug="elsewhere")
    assert client.get(LESSON_URL).status_code == 404
    response = client.get("/program/m1/elsewhere/")
    assert response.status_code == 200
    assert b"SECRET body of Lesson 1.1" in response.content


def test_a_kept_free_preview_lesson_is_checked_for_visitors_too(client, home_page):
    program, modules, lessons = make_course(home_page)
    LessonPage.objects.filter(pk=lessons[0].pk).update(free_preview=True)
    for _ in range(3):
        assert client.get(LESSON_URL).status_code == 200
    Page.objects.filter(pk=lessons[0].pk).update(live=False)
    assert client.get(LESSON_URL).status_code == 404


def test_menu_and_programs_versions_move_only_for_their_pages(home_page, about):
    from home.core.caching.versions import MENU_VERSION_KEY, PROGRAMS_VERSION_KEY

    program, modules, lessons = make_course(home_page)
    menu, programs = current_version(MENU_VERSION_KEY), current_version(PROGRAMS_VERSION_KEY)
    lessons[0].save_revision().publish()  # deep in the tree: the menu and program pages stay cached
    assert (current_version(MENU_VERSION_KEY), current_version(PROGRAMS_VERSION_KEY)) == (menu, programs)
    about.save_revision().publish()  # a menu item
    assert current_version(MENU_VERSION_KEY) != menu
    assert current_version(PROGRAMS_VERSION_KEY) == programs
    program.title = "Renamed program"
    program.save_revision().publish()
    assert current_version(PROGRAMS_VERSION_KEY) != programs


def test_the_menu_follows_a_page_moved_up_to_the_top(client, home_page, about):
    from home.selectors import main_navigation

    program, modules, lessons = make_course(home_page)
    Page.objects.filter(pk=lessons[0].pk).update(show_in_menus=True)
    site = Site.objects.get()
    before = [item["title"] for item in main_navigation(site=site)]
    Page.objects.get(pk=lessons[0].pk).move(home_page, pos="last-child")
    assert [item["title"] for item in main_navigation(site=site)] == [*before, "Lesson 1.1"]
