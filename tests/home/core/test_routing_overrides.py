"""A remembered route never skips what Wagtail's own routing would ask: an ancestor's `route()`."""

import pytest
from django.http import Http404
from wagtail.models import Page

from home.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_area(home_page):
    members = StandardPage(title="Members", slug="members")
    home_page.add_child(instance=members)
    members.save_revision().publish()
    secret = StandardPage(title="Members only", slug="secret")
    members.add_child(instance=secret)
    secret.save_revision().publish()
    return members, secret


def hide_children_from_visitors(self, request, path_components):
    """A parent that shows its children to logged-in users only (as a members area might)."""
    if path_components and not request.user.is_authenticated:
        raise Http404
    return Page.route(self, request, path_components)


def test_a_parents_route_override_still_hides_a_remembered_child(client, user, members_area, monkeypatch):
    monkeypatch.setattr(StandardPage, "route", hide_children_from_visitors)
    client.force_login(user)
    for _ in range(3):  # routed by Wagtail, then (if it were remembered) from the cache and the memo
        response = client.get("/members/secret/")
        assert response.status_code == 200 and b"Members only" in response.content
    client.logout()
    assert client.get("/members/secret/").status_code == 404
    assert client.get("/members/secret/").status_code == 404
    assert client.get("/members/").status_code == 200  # the parent itself is public


def test_a_route_override_added_later_is_asked_even_for_routes_remembered_before(
    client, user, members_area, monkeypatch
):
    client.force_login(user)
    for _ in range(3):  # remembered while every page routes by Wagtail's default
        assert client.get("/members/secret/").status_code == 200
    monkeypatch.setattr(StandardPage, "route", hide_children_from_visitors)
    client.logout()
    assert client.get("/members/secret/").status_code == 404
