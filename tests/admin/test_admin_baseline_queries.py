"""Issue 16: what every Wagtail admin page reads before its content (the session only, warm: the
user's Wagtail profile and the locales come from the shared cache, accounts/admin_profile.py and
home/admin_views/locales.py). The profile and the locales follow every change on the very next
request (through the cache: each test warms it first)."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale, Site
from wagtail.users.models import UserProfile

from tests.factories import CoachFactory, UserFactory

pytestmark = pytest.mark.django_db

HISTORY = reverse("wagtailadmin_reports:site_history")
LOCKED = reverse("wagtailadmin_reports:locked_pages")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def _reads(sqls, table) -> int:
    return sum(f'FROM "{table}"' in sql for sql in sqls)


def _publish(page, user):
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)


@pytest.fixture
def people(home_page):
    owner = UserFactory(email="owner@example.com", full_name="Olga Owner", is_superuser=True)
    coach = CoachFactory(email="coach@example.com", full_name="Cora Coach")
    return {"superuser": owner, "coach": coach}


# The baseline -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coach", "superuser"])
def test_a_warm_admin_page_reads_neither_the_profile_nor_the_locales(people, role):
    client = _client(people[role])
    _, cold = _get(client, LOCKED)
    assert (_reads(cold, "wagtailusers_userprofile"), _reads(cold, "wagtailcore_locale")) == (1, 1)
    _, warm = _get(client, LOCKED)
    assert (_reads(warm, "wagtailusers_userprofile"), _reads(warm, "wagtailcore_locale")) == (0, 0), warm
    assert _reads(warm, "django_session") == 1
    # the session and the report's own two (the locked pages, their lockers): no explorable root for
    # the menu either (a superuser's was two page reads, home/admin_views/permissions.py)
    assert len(warm) == 3, warm


def _looks(html: str) -> dict:
    tag = re.search(r"<html [^>]*>", html).group(0)
    return {
        "lang": re.search(r'lang="([^"]+)"', tag).group(1),
        "classes": re.search(r'class="([^"]*)"', tag).group(1).split(),
        "zones": set(re.findall(r'datetime="[^"]+T[^"]+([+-]\d\d:\d\d)"', html)),
    }


def test_theme_density_language_time_zone_and_avatar_follow_the_profile_on_the_next_request(people):
    coach = people["coach"]
    _publish(Site.objects.get().root_page.specific, coach)
    client = _client(coach)
    _get(client, HISTORY)
    before, warm = _get(client, HISTORY)
    assert _reads(warm, "wagtailusers_userprofile") == 0  # the kept profile answers
    looks = _looks(before.content.decode())
    assert looks["lang"] != "fr" and "w-theme-dark" not in looks["classes"] and "w-density-snug" not in looks["classes"]
    profile = UserProfile.objects.get(user=coach)
    profile.theme, profile.density, profile.preferred_language = "dark", "snug", "fr"
    profile.current_time_zone, profile.avatar = "Asia/Tokyo", "avatar_images/cora.png"
    profile.save()
    html = _get(client, HISTORY)[0].content.decode()
    looks = _looks(html)
    assert looks["lang"] == "fr"
    assert {"w-theme-dark", "w-density-snug"} <= set(looks["classes"])
    assert looks["zones"] == {"+09:00"}
    assert "avatar_images/cora.png" in html


def test_the_site_profiles_time_zone_moves_the_kept_admin_zone(people, client):
    coach = people["coach"]
    _publish(Site.objects.get().root_page.specific, coach)
    client.force_login(coach)
    client.get(HISTORY)
    assert _looks(_get(client, HISTORY)[0].content.decode())["zones"] != {"+09:00"}
    data = {"full_name": "Cora Coach", "company": "", "job_title": "", "time_zone": "Asia/Tokyo"}
    assert client.post(reverse("accounts:profile"), data).status_code == 302  # a bulk update of the profile
    assert _looks(_get(client, HISTORY)[0].content.decode())["zones"] == {"+09:00"}


def test_a_deleted_profile_is_not_kept(people):
    coach = people["coach"]
    client = _client(coach)
    UserProfile.objects.filter(user=coach).update(theme="dark")  # before anything is kept
    client.get(LOCKED)
    assert "w-theme-dark" in _looks(_get(client, LOCKED)[0].content.decode())["classes"]
    UserProfile.objects.get(user=coach).delete()
    response, sqls = _get(client, LOCKED)
    assert "w-theme-dark" not in _looks(response.content.decode())["classes"]
    assert _reads(sqls, "wagtailusers_userprofile") == 1  # Wagtail asks, and finds none


def _config(response) -> dict:
    found = re.search(r'<script id="wagtail-config" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(found.group(1))


def test_the_locales_follow_every_save_and_delete(people):
    client = _client(people["superuser"])
    client.get(LOCKED)
    assert [loc["code"] for loc in _config(_get(client, LOCKED)[0])["LOCALES"]] == ["en"]
    french = Locale.objects.create(language_code="fr")
    assert [loc["code"] for loc in _config(_get(client, LOCKED)[0])["LOCALES"]] == ["en", "fr"]
    french.language_code = "de"
    french.save()
    assert [loc["code"] for loc in _config(_get(client, LOCKED)[0])["LOCALES"]] == ["de", "en"]
    french.delete()
    assert [loc["code"] for loc in _config(_get(client, LOCKED)[0])["LOCALES"]] == ["en"]


def test_the_config_is_wagtails_own_and_the_template_wagtails_but_one_tag(people, rf):
    """A Wagtail upgrade that changes its `wagtail_config` tag or `admin_base.html` fails here."""
    from pathlib import Path

    import wagtail
    from django.conf import settings
    from wagtail.admin.templatetags.wagtailadmin_tags import wagtail_config

    from home.templatetags.huddle_admin import huddle_wagtail_config

    Locale.objects.create(language_code="fr")
    request = rf.get(LOCKED)
    request.user = people["coach"]
    for context in ({"request": request}, {"request": request, "locale": Locale.objects.get(language_code="fr")}):
        ours, wagtails = huddle_wagtail_config(context), wagtail_config(context)
        assert ours.pop("CSRF_TOKEN") and wagtails.pop("CSRF_TOKEN")  # a new masked token each call
        assert ours == wagtails
    wagtails = Path(wagtail.__file__).parent / "admin/templates/wagtailadmin/admin_base.html"
    ours = Path(settings.BASE_DIR) / "templates/wagtailadmin/admin_base.html"
    changed = {
        "{% load i18n wagtailadmin_tags %}": "{% load i18n wagtailadmin_tags huddle_admin %}",
        "{% wagtail_config as config %}": "{% huddle_wagtail_config as config %}",
    }
    expected = wagtails.read_text()
    for old, new in changed.items():
        assert old in expected
        expected = expected.replace(old, new)
    assert ours.read_text() == expected
