"""Wagtail's dashboard panels within the query budget (lessons/reports/dashboard.py): the page
count from the dashboard's one query, the recent edits and locked pages listed from one query each
and only when there are some, and the whole dashboard at most 12 queries for the coach."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from tests.factories import CoachFactory
from tests.lessons.factories import make_course

pytestmark = pytest.mark.django_db


def _dashboard(client) -> tuple[str, int]:
    client.get("/admin/")  # warm: the site's root paths and the like are cached once
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_page_count_is_wagtails(client, home_page):
    make_course(home_page, modules=2, lessons=3)
    client.force_login(CoachFactory())
    html, _ = _dashboard(client)
    pages = Page.objects.filter(depth__gt=1).count()  # every page but the tree's root
    assert f"{pages} Pages" in html
    assert f'href="/admin/pages/{home_page.pk}/"' in html  # one site: its home page, as Wagtail links


def test_recent_edits_and_locked_pages_cost_one_query_each_and_only_when_present(client, home_page):
    program, modules, lessons = make_course(home_page, modules=1, lessons=2)
    coach = CoachFactory()
    client.force_login(coach)
    html, bare = _dashboard(client)
    assert "Your most recent edits" not in html and "Your locked pages" not in html
    assert bare <= 11

    for page in (program, lessons[0]):
        PageLogEntry.objects.log_action(instance=page, action="wagtail.edit", user=coach)
    html, with_edits = _dashboard(client)
    assert "Your most recent edits" in html and lessons[0].title in html and program.title in html
    assert html.index(lessons[0].title) < html.index(program.title)  # newest first
    assert with_edits == bare + 1 <= 12

    Page.objects.filter(pk=modules[0].pk).update(locked=True, locked_by=coach, locked_at=timezone.now())
    html, with_locks = _dashboard(client)
    assert "Your locked pages" in html and modules[0].title in html
    assert with_locks == with_edits + 1


def test_other_users_edits_are_not_listed(client, home_page):
    program, _, _ = make_course(home_page, modules=1, lessons=1)
    PageLogEntry.objects.log_action(instance=program, action="wagtail.edit", user=CoachFactory())
    client.force_login(CoachFactory(email="assistant@example.com"))
    html, _ = _dashboard(client)
    assert "Your most recent edits" not in html
