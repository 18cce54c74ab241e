"""Issue 16: what a COLD Wagtail admin page (every cache empty) reads before its own work, filled
together: the user's Wagtail profile with the user's own load (accounts.admin_profile
`load_with_user`), a superuser's explorable root in one query (home/admin_views/permissions.py) and
the Sites once for both the request's Site and Wagtail's page URLs (home/core/caching/routing.py).
Each kept value still follows its changes on the very next request, through the cache."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.users.models import UserProfile

from accounts.admin_profile import load_with_user, prefill, profile_changed
from accounts.roles import with_coach_answer
from home.admin_views import permissions
from tests.factories import CoachFactory, UserFactory
from tests.url_roles.cold import empty_caches

pytestmark = pytest.mark.django_db

LOCKED = reverse("wagtailadmin_reports:locked_pages")
AGING = reverse("wagtailadmin_reports:aging_pages")
ROOT = PagePermissionPolicy._explorable_root_instance_cache_name


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def _classes(response) -> list[str]:
    return re.search(r'<html [^>]*class="([^"]*)"', response.content.decode()).group(1).split()


def _reads(sqls, table) -> int:
    return sum(f'FROM "{table}"' in sql for sql in sqls)


def test_a_cold_page_reads_the_profile_with_the_user_and_keeps_it(client, home_page):
    coach = CoachFactory()
    UserProfile.get_for_user(coach)
    client.force_login(coach)
    empty_caches()
    cold, cold_sql = _get(client, LOCKED)
    assert _reads(cold_sql, "wagtailusers_userprofile") == 0
    assert sum('JOIN "wagtailusers_userprofile"' in sql for sql in cold_sql) == 1
    assert "w-theme-dark" not in _classes(cold)
    _, warm_sql = _get(client, LOCKED)
    assert not any("wagtailusers_userprofile" in sql for sql in warm_sql), warm_sql  # kept
    profile = UserProfile.objects.get(user=coach)
    profile.theme = "dark"
    profile.save()
    assert "w-theme-dark" in _classes(_get(client, LOCKED)[0])  # the next request, through the cache
    # a user loaded afresh (her own change) joins the profile again: the new one, kept
    get_user_model().objects.filter(pk=coach.pk).update(full_name="Cora Changed")
    UserProfile.objects.filter(user=coach).update(density="snug")
    profile_changed(coach.pk)
    coach.save()  # moves the user's version: the next request loads her (and her profile) again
    response, sql = _get(client, LOCKED)
    assert sum('JOIN "wagtailusers_userprofile"' in q for q in sql) == 1
    assert {"w-theme-dark", "w-density-snug"} <= set(_classes(response))
    _, warm_sql = _get(client, LOCKED)
    assert not any("wagtailusers_userprofile" in q for q in warm_sql)


def test_a_profile_changed_while_the_user_loads_is_not_kept_as_current(home_page):
    coach = CoachFactory()
    UserProfile.get_for_user(coach)
    user = load_with_user(with_coach_answer(), coach.pk)  # the profile joined, theme "system"
    UserProfile.objects.filter(user=coach).update(theme="dark")  # a change racing the load
    profile_changed(coach.pk)
    prefill(user)  # keeps what the load read, under the version read before it
    assert user.wagtail_userprofile.theme != "dark"
    fresh = get_user_model().objects.get(pk=coach.pk)
    prefill(fresh)
    assert fresh.wagtail_userprofile.theme == "dark"


def test_a_superusers_cold_root_is_wagtails_in_one_query(home_page):
    owner = UserFactory(email="owner@example.com", is_superuser=True)
    for _ in range(2):
        empty_caches()
        user = get_user_model().objects.get(pk=owner.pk)
        with CaptureQueriesContext(connection) as queries:
            permissions.prefill(user)
        expected = PagePermissionPolicy().explorable_root_instance(get_user_model().objects.get(pk=owner.pk))
        assert getattr(user, ROOT) == expected
        kept = get_user_model().objects.get(pk=owner.pk)
        permissions.prefill(kept)  # warm: the same, from the cache
        assert getattr(kept, ROOT) == expected
        assert len(queries) == 1  # the root nodes (Wagtail's own: them, then their common ancestor)
        if expected is None:
            break
        assert expected == Page.get_first_root_node()
        Page.add_root(instance=Page(title="A second tree", slug="second-tree"))  # no common ancestor
    assert expected is None


def test_a_cold_admin_page_of_page_urls_reads_the_sites_once(client, home_page):
    client.force_login(UserFactory(email="owner@example.com", is_superuser=True))
    empty_caches()
    response, sql = _get(client, AGING)
    assert home_page.title in response.content.decode()
    assert _reads(sql, "wagtailcore_site") == 1, sql
