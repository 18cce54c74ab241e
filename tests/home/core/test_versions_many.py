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
