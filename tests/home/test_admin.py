"""The coach's two admin areas open for staff, and stay closed to everyone else."""

from types import ModuleType

import pytest

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_wagtail_admin_loads_for_the_coach(client, home_page):
    client.force_login(StaffFactory())
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"Dashboard" in response.content
    # The page tree is editable: the home page's explorer opens.
    assert client.get(f"/admin/pages/{home_page.pk}/").status_code == 200


def test_wagtail_admin_turns_away_a_leader(client, user, home_page):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"]


def test_django_admin_loads_for_staff(client):
    client.force_login(StaffFactory())
    response = client.get("/django-admin/")
    assert response.status_code == 200
    assert b"Site administration" in response.content
    assert client.get("/django-admin/accounts/user/").status_code == 200


def test_django_admin_redirects_anonymous_visitors_to_log_in(client):
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]


def test_server_error_renders_the_designed_500_page(client, home_page, settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    import config.urls

    urls = ModuleType("broken_urls")  # our real URLs and error handlers, plus one view that fails
    urls.urlpatterns = [path("broken/", broken), *config.urls.urlpatterns]
    urls.handler500 = config.urls.handler500
    settings.ROOT_URLCONF = urls
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "/static/css/huddle.css" in html
    assert "boom" not in html
