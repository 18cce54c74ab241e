"""`current_versions`: several counters in one shared-cache round trip, the same values as
`current_version` reads one by one, and a bump seen at once (home/core/caching/versions.py)."""

from unittest import mock

from django.core.cache import cache

from home.core.caching.versions import VersionScopeMiddleware, bump_version, current_version, current_versions


def test_reads_the_same_values_as_one_by_one_and_creates_missing_counters():
    found = current_versions(["test:a", "test:b"])  # neither exists yet: both are created
    assert found == [current_version("test:a"), current_version("test:b")]
    bump_version("test:a")
    again = current_versions(["test:a", "test:b"])
    assert again[0] != found[0] and again[1] == found[1]


def test_one_round_trip_in_a_request_and_none_for_counters_read_already():
    current_versions(["test:c", "test:d"])  # the counters exist

    def view(request):
        with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
            first = current_versions(["test:c", "test:d"])
            assert current_versions(["test:d", "test:c"]) == first[::-1]
            assert current_version("test:c") == first[0]
        assert get_many.call_count == 1
        bump_version("test:c")  # a bump during the request is seen at once
        assert current_versions(["test:c"]) != first[:1]
        return "ok"

    assert VersionScopeMiddleware(view)(object()) == "ok"


def _signed_in_request(pk):
    from django.contrib.auth import SESSION_KEY
    from django.test import RequestFactory

    from accounts.sessions import SessionStore

    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.session[SESSION_KEY] = str(pk)
    request.session.accessed = False  # as a request's session before anything reads it
    return request


def test_a_read_session_brings_its_users_counters_along_in_the_same_round_trip():
    from home.core.caching.versions import PAGES_VERSION_KEY, learner_version_key

    current_versions([PAGES_VERSION_KEY, learner_version_key(7)])  # the counters exist
    request = _signed_in_request(7)

    def view(request):
        request.session.get("anything")  # the session is read (as loading the user reads it)
        with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
            current_version(PAGES_VERSION_KEY)
        assert get_many.call_count == 1
        with mock.patch.object(cache, "get_many") as get_many_again, mock.patch.object(cache, "get") as get:
            current_version(learner_version_key(7))  # read along already: no round trip
        assert get_many_again.call_count == 0 and get.call_count == 0
        assert learner_version_key(7) in get_many.call_args.args[0]
        return "ok"

    assert VersionScopeMiddleware(view)(request) == "ok"


def test_a_session_nobody_read_is_not_read_for_the_counters():
    from home.core.caching.versions import PAGES_VERSION_KEY, learner_version_key

    request = _signed_in_request(8)

    def view(request):
        with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
            current_version(PAGES_VERSION_KEY)
        assert learner_version_key(8) not in get_many.call_args.args[0]
        assert request.session.accessed is False  # not loaded for this
        return "ok"

    assert VersionScopeMiddleware(view)(request) == "ok"
