"""No input reaches a 500 on the Wagtail admin screens Huddle subclasses (the page explorer, the
page editor, the site history and aging-pages reports, home/admin_views/): bad page numbers, filter
values, orderings, dates and ids get Wagtail's own answer (the listing, a form error, a 404), for a
Coaches-group coach and a superuser (hypothesis for the free-text values)."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import CoachFactory, UserFactory
from tests.lessons.factories import make_course

pytestmark = pytest.mark.django_db

BAD = ["abc", "0", "-1", "99999", "", "1.5", "%00", "' OR 1=1 --", "\u202e", "x" * 300]
PARAMS = [
    "p",
    "ordering",
    "owner",
    "edited_by",
    "site",
    "locale",
    "content_type",
    "has_child_pages",
    "latest_revision_created_at_from",
    "latest_revision_created_at_to",
    "q",
    "action",
    "user",
    "timestamp_from",
    "timestamp_to",
    "object_type",
    "last_published_at",
    "export",
]


@pytest.fixture
def world(home_page):
    program, modules, lessons = make_course(home_page, modules=2, lessons=2)
    coach, owner = Client(), Client()
    coach.force_login(CoachFactory())
    owner.force_login(UserFactory(email="owner@example.com", is_superuser=True))
    urls = [
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[home_page.pk]),
        reverse("wagtailadmin_explore", args=[program.pk]),
        reverse("wagtailadmin_pages:edit", args=[lessons[0].pk]),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:aging_pages"),
    ]
    return {"clients": (coach, owner), "urls": urls}


@pytest.mark.parametrize("value", BAD)
def test_bad_values_of_every_parameter_never_reach_a_500(world, value):
    for client in world["clients"]:
        for url in world["urls"]:
            for name in PARAMS:
                response = client.get(url, {name: value})
                assert response.status_code in (200, 302, 400, 404), (url, name, value, response.status_code)


def test_pages_that_do_not_exist_are_404(world):
    for client in world["clients"]:
        for url in (reverse("wagtailadmin_explore", args=[999999]), reverse("wagtailadmin_pages:edit", args=[999999])):
            assert client.get(url).status_code == 404


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(PARAMS), value=st.text(max_size=40))
def test_any_text_in_any_parameter_never_reaches_a_500(world, name, value):
    coach, _ = world["clients"]
    for url in world["urls"]:
        response = coach.get(url, {name: value.replace("\x00", "")})
        assert response.status_code in (200, 302, 400, 404), (url, name, value, response.status_code)
