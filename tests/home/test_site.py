import json

import pytest
from django.core.management import call_command

from home.models import HomePage, StandardPage


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert {k: body[k] for k in ("status", "database", "cache")} == {"status": "ok", "database": "ok", "cache": "ok"}
    assert body["processes"]["worker"] == {"alive": False, "last_heartbeat": None, "age_seconds": None}


@pytest.mark.django_db
def test_unknown_url_gives_designed_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"find that page" in response.content


@pytest.mark.django_db
def test_robots_points_to_sitemap_and_hides_private_areas(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /dashboard/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    counts = (HomePage.objects.count(), StandardPage.objects.count())
    call_command("seed_demo")
    assert (HomePage.objects.count(), StandardPage.objects.count()) == counts == (1, 4)


@pytest.mark.django_db
def test_home_page_renders_with_navigation(client):
    call_command("seed_demo")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lead a sales team that delivers" in html
    assert 'href="/about/"' in html  # nav built from the page tree
