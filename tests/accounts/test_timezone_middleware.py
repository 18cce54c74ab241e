"""UserTimezoneMiddleware switches zones only when there is one to switch to: an anonymous request
in the site's zone touches nothing, and still runs in the site's zone when another was left active."""

import zoneinfo

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from accounts.middleware import UserTimezoneMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOKYO = "Asia/Tokyo"


def _zone_seen(user=None, cookies=None) -> str:
    seen = []
    middleware = UserTimezoneMiddleware(
        lambda request: seen.append(timezone.get_current_timezone_name()) or HttpResponse()
    )
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    if user is not None:
        request.user = user
    middleware(request)
    return seen[0]


def test_an_anonymous_request_runs_in_the_sites_zone_and_leaves_it_so():
    assert settings.TIME_ZONE != TOKYO
    assert _zone_seen() == settings.TIME_ZONE
    assert _zone_seen(user=AnonymousUser()) == settings.TIME_ZONE
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_an_anonymous_request_after_a_zone_left_active_still_runs_in_the_sites_zone():
    with timezone.override(zoneinfo.ZoneInfo(TOKYO)):
        assert _zone_seen() == settings.TIME_ZONE
        assert timezone.get_current_timezone_name() == TOKYO  # put back as it was


def test_a_signed_in_leader_gets_her_zone_and_the_thread_gets_the_sites_back():
    leader = UserFactory(time_zone=TOKYO)
    assert _zone_seen(user=leader, cookies={settings.SESSION_COOKIE_NAME: "x"}) == TOKYO
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_a_signed_in_person_without_a_zone_runs_in_the_sites_zone():
    person = UserFactory(time_zone="")
    with timezone.override(zoneinfo.ZoneInfo(TOKYO)):
        assert _zone_seen(user=person, cookies={settings.SESSION_COOKIE_NAME: "x"}) == settings.TIME_ZONE
