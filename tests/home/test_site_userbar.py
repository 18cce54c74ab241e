"""Wagtail's userbar on the site's pages (`{% site_userbar %}`, home/templatetags/site_userbar.py):
Wagtail's items and permissions, the coach's Wagtail profile read once cold and kept warm (a change
shows on the next request through the cache), the parent page read with the route."""

import hashlib
import inspect

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.admin.userbar import Userbar
from wagtail.models import GroupPagePermission
from wagtail.users.models import UserProfile

from home.core.caching import memo
from home.models import StandardPage
from home.templatetags.site_userbar import WAGTAIL_SOURCE_SHA
from tests.factories import CoachFactory, UserFactory

pytestmark = pytest.mark.django_db


def _cold():
    cache.clear()
    memo.clear()


@pytest.fixture
def about(home_page):
    page = StandardPage(title="About us", slug="about")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def coach(client):
    user = CoachFactory()
    UserProfile.get_for_user(user)
    client.force_login(user)
    return user


def _profile_reads(queries) -> int:
    return len([q for q in queries if '"wagtailusers_userprofile"' in q["sql"]])


def test_the_copy_follows_wagtails_userbar():
    """KeptProfileUserbar.get_context_data copies Wagtail's: a Wagtail upgrade that changes it fails
    here, to be compared and copied again."""
    source = inspect.getsource(Userbar.get_context_data)
    assert hashlib.sha256(source.encode()).hexdigest() == WAGTAIL_SOURCE_SHA


def test_the_coach_gets_wagtails_items_and_the_parent_read_with_the_route(
    client, coach, home_page, about, without_page_cache
):
    for _visit in ("cold", "warm"):
        if _visit == "cold":
            _cold()
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(about.url).content.decode()
        assert f"/admin/pages/{about.pk}/edit/" in html
        assert f"/admin/pages/{home_page.pk}/" in html  # "Show in Explorer": the parent
        assert f"/admin/pages/{about.pk}/add_subpage/" in html
        parent_reads = [q for q in ctx.captured_queries if f"\"path\" = '{home_page.path}'" in q["sql"]]
        assert parent_reads == [] if _visit == "cold" else len(parent_reads) <= 1


def test_the_profile_is_read_once_cold_none_warm_and_a_change_shows_next(client, coach, about, without_page_cache):
    _cold()
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(about.url).content.decode()
    assert _profile_reads(ctx.captured_queries) == 1
    assert "w-theme-system" in html
    with CaptureQueriesContext(connection) as ctx:
        client.get(about.url)
    assert _profile_reads(ctx.captured_queries) == 0

    profile = UserProfile.objects.get(user=coach)
    profile.theme = "dark"
    profile.save()

    assert "w-theme-dark" in client.get(about.url).content.decode()


def test_a_coach_without_a_profile_gets_one_made(client, about, without_page_cache):
    user = CoachFactory()
    UserProfile.objects.filter(user=user).delete()
    client.force_login(user)
    assert "Edit this page" in client.get(about.url).content.decode()
    assert UserProfile.objects.filter(user=user).exists()


def test_a_revoked_page_permission_removes_the_edit_items_on_the_next_request(client, coach, about, without_page_cache):
    assert "Edit this page" in client.get(about.url).content.decode()

    GroupPagePermission.objects.filter(group__user=coach).delete()

    html = client.get(about.url).content.decode()
    assert "Edit this page" not in html
    assert "Add a child page" not in html


def test_no_userbar_without_admin_access(client, about, without_page_cache):
    client.force_login(UserFactory())
    assert "wagtail-userbar" not in client.get(about.url).content.decode()
    template = Template("{% load site_userbar %}{% site_userbar %}")
    assert template.render(Context({})) == ""


def test_in_the_preview_panel_only_the_content_checker(coach, about):
    request = RequestFactory().get(about.url)
    request.user = coach
    request.in_preview_panel = True
    html = Template("{% load site_userbar %}{% site_userbar %}").render(Context({"request": request, "page": about}))
    assert "wagtail-userbar" in html
    assert "Edit this page" not in html
