"""Content-Security-Policy, Permissions-Policy, and no caching of pages made for a logged-in person."""

import pytest

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def test_the_site_allows_only_its_own_scripts(client, home_page):
    response = client.get("/")
    directives = _directives(response)
    assert directives["script-src"] == "script-src 'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "object-src 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_the_wagtail_admin_has_its_own_policy(client, home_page):
    client.force_login(StaffFactory())
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in _directives(response)["script-src"]
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/dashboard/", "/profile/", "/profile/my-data.json", "/tracker/", "/accounts/email/"])
def test_personal_pages_are_never_stored(client, home_page, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code in (200, 302, 403), url
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "Cookie" in response["Vary"]


def test_public_pages_for_visitors_stay_cacheable(client, home_page):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_no_template_has_an_inline_script_or_event_handler():
    """script-src 'self' would block them: every script lives in static/js."""
    import re
    from pathlib import Path

    from django.conf import settings

    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
    offenders = []
    for root in [settings.BASE_DIR / "templates", *Path(settings.BASE_DIR).glob("*/templates")]:
        for path in Path(root).rglob("*.html"):
            if "/email/" in str(path) or "/pdf/" in str(path):
                continue
            text = path.read_text()
            if inline_script.search(text) or handler.search(text):
                offenders.append(str(path))
    assert offenders == []
