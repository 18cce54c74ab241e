"""The sitemap lists what visitors can read, and nothing that is not published."""

import pytest

from home.models import StandardPage

pytestmark = pytest.mark.django_db


def _add_page(parent, title, slug, *, publish=True):
    page = StandardPage(title=title, slug=slug, show_in_menus=True)
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.unpublish()
    return page


def test_sitemap_lists_published_pages_only(client, home_page):
    _add_page(home_page, "About", "about")
    _add_page(home_page, "Coaching", "coaching")
    _add_page(home_page, "Draft pricing", "draft-pricing", publish=False)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    assert "<loc>http://testserver/</loc>" in body
    assert "<loc>http://testserver/about/</loc>" in body
    assert "<loc>http://testserver/coaching/</loc>" in body
    assert "draft-pricing" not in body


def test_unpublishing_removes_a_page_from_the_sitemap(client, home_page):
    page = _add_page(home_page, "Workshops", "workshops")
    assert "/workshops/" in client.get("/sitemap.xml").content.decode()

    page.unpublish()

    assert "/workshops/" not in client.get("/sitemap.xml").content.decode()
