"""A signed-in request on the production cache (a Redis server of the test's own): the session and
the user come from Redis (accounts/sessions.py, accounts/user_cache.py), no query, and a session
or user the cache has lost comes from the database again."""

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path

from accounts.user_cache import _entry_key, _keys
from home.core.caching import quick_read, versions
from tests.factories import UserFactory
from tests.home.runtime.test_redis_outage import own_redis, redis_settings  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def who(request):
    return HttpResponse(request.user.email if request.user.is_authenticated else "nobody")


def count(request):
    request.session["count"] = request.session.get("count", 0) + 1
    return HttpResponse(str(request.session["count"]))


urlpatterns = [path("who/", who), path("count/", count)]


@pytest.fixture
def signed_in(client, settings, redis_settings):  # noqa: F811
    settings.ROOT_URLCONF = __name__
    user = UserFactory()
    client.force_login(user)
    assert client.get("/who/").content == user.email.encode()  # fills the user's entry
    return user


def test_a_warm_signed_in_request_asks_the_database_nothing(client, signed_in, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/who/").content == signed_in.email.encode()
    assert quick_read._local.connection[1] is not False  # through the quick path, not the fallback
    assert cache.get(_entry_key(signed_in.pk)) is not None


def test_a_session_or_user_the_cache_lost_comes_from_the_database(client, signed_in, django_assert_num_queries):
    cache.delete(KEY_PREFIX + client.cookies["sessionid"].value)
    cache.delete(_entry_key(signed_in.pk))
    with django_assert_num_queries(2):  # the session row, the user row
        assert client.get("/who/").content == signed_in.email.encode()
    with django_assert_num_queries(0):  # both back in the cache
        assert client.get("/who/").content == signed_in.email.encode()


def test_session_writes_are_read_back_and_deactivation_applies_at_once(client, signed_in):
    assert [client.get("/count/").content for _ in range(3)] == [b"1", b"2", b"3"]
    signed_in.is_active = False
    signed_in.save()
    assert client.get("/who/").content == b"nobody"


def test_the_user_is_read_in_the_sessions_round_trip(client, signed_in, monkeypatch):
    reads = []
    real = quick_read.get_many
    monkeypatch.setattr(quick_read, "get_many", lambda keys: reads.append(keys) or real(keys))
    client.get("/who/")  # this process now knows the session's user
    reads.clear()
    assert client.get("/who/").content == signed_in.email.encode()
    # One round trip: the session, the user's two versions and entry, and the version counters the
    # request will use (home.core.caching.versions.read_along: the shared ones and the user's own).
    assert len(reads) == 1 and set(reads[0][1:]) == {*_keys(signed_in.pk), *versions.read_along(signed_in.pk)}
    assert len(reads[0]) == len(set(reads[0]))


def test_a_change_after_the_session_was_read_is_seen_by_the_user_load(client, signed_in):
    from accounts.auth_backends import ModelBackend
    from accounts.sessions import SessionStore

    client.get("/who/")
    session = SessionStore(client.cookies["sessionid"].value)
    session.load()  # the user's entry read along (and kept for this request's user load)
    signed_in.is_active = False
    signed_in.save()
    assert ModelBackend().get_user(signed_in.pk) is None
