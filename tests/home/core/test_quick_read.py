"""The page cache's own Redis read (`quick_read`) and the hit it builds: the same values as the
cache API, a timeout rather than a hang, and a hit that sends the page's own headers with its length."""

import os
import signal
import time

import pytest
from django.core.cache import cache, caches

from home.core.caching import page_cache, quick_read
from tests.home.runtime.test_redis_outage import own_redis, redis_settings  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

VALUES = {
    "number": 7,
    "negative": -42,
    "zero": 0,
    "huge": 10**30,
    "float": 1.5,
    "true": True,
    "text": "12 monkeys",
    "digits as text": "123",
    "bytes": b"\x80not a pickle",
    "large": os.urandom(300_000),  # several reads of the socket
    "page": ("dev.1", 200, b"<p>hi</p>", {"Vary": "Cookie"}),
}


def test_quick_read_decodes_every_kind_of_value_as_the_cache_api_does(redis_settings, monkeypatch):  # noqa: F811
    cache.set_many(VALUES)
    keys = [*VALUES, "missing"]
    expected = cache.get_many(keys)
    assert expected == VALUES
    monkeypatch.setattr(caches["default"], "get_many", lambda *a, **k: pytest.fail("the quick path fell back"))
    assert quick_read.get_many(keys) == expected
    assert quick_read.get_many(keys) == expected  # the same connection, again


def test_a_redis_that_stops_answering_costs_a_timeout_not_a_hang(redis_settings):  # noqa: F811
    cache.set("page", "stored")
    assert quick_read.get_many(["page"]) == {"page": "stored"}
    redis_settings.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        assert quick_read.get_many(["page"]) == {}  # IGNORE_EXCEPTIONS: a miss, never a 500
        assert time.monotonic() - started < 2  # SOCKET_TIMEOUT (0.25 s) here, then in the fallback
    finally:
        redis_settings.send_signal(signal.SIGCONT)
    assert quick_read.get_many(["page"]) == {"page": "stored"}  # a fresh connection


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def _sent_headers(response) -> dict[str, str]:
    return {name: value for name, value in response.items() if name not in ("X-Page-Cache", "X-Request-ID")}


@pytest.mark.parametrize("shared", ["local memory", "redis"])
def test_a_hit_sends_the_pages_own_headers_and_its_length(client, home_page, page_cache_on, shared, request):
    if shared == "redis":
        request.getfixturevalue("redis_settings")
    miss = client.get("/")
    hit = client.get("/")
    assert "X-Page-Cache" not in miss and hit["X-Page-Cache"] == "hit"
    assert hit.content == miss.content and hit["Content-Length"] == str(len(hit.content))
    assert _sent_headers(hit) == _sent_headers(miss)
    assert hit["Content-Type"] == "text/html; charset=utf-8" and hit["Vary"] == "Cookie"


def test_a_disallowed_host_is_refused_on_every_request_after_hits(client, home_page, page_cache_on):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    for _ in range(2):
        assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_the_key_is_the_same_for_the_same_address_and_differs_by_scheme_host_and_path(rf, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    key = page_cache._key
    assert key(rf.get("/x/", HTTP_HOST="a.example")) == key(rf.get("/x/", HTTP_HOST="a.example"))
    others = {
        key(rf.get("/x/", HTTP_HOST="a.example", secure=True)),
        key(rf.get("/x/", HTTP_HOST="b.example")),
        key(rf.get("/x/", HTTP_HOST="a.example:8000")),
        key(rf.get("/y/", HTTP_HOST="a.example")),
    }
    assert len(others) == 4 and key(rf.get("/x/", HTTP_HOST="a.example")) not in others


def _other_process(port: int):
    """A connection of its own, as another app server process (or machine) holds."""
    import redis

    return redis.Redis(host="127.0.0.1", port=port, db=9)


def test_a_version_moved_by_another_process_is_seen_by_the_very_next_hit(client, home_page, redis_settings, own_redis):  # noqa: F811
    """No copy of the version or the page is kept in process: the move another process makes (its
    own connection, as `bump_page_cache` there) turns this process's next request into a miss."""
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert quick_read._local.connection[1] is not False  # the quick path, not the fallback
    _other_process(own_redis[0]).incr(cache.client.make_key(page_cache.VERSION_KEY))
    assert "X-Page-Cache" not in client.get("/")  # the very next request: rendered again
    assert client.get("/")["X-Page-Cache"] == "hit"  # and stored under the new version


def test_a_connection_the_server_closed_costs_one_fallback_read_then_the_quick_path_again(redis_settings, own_redis):  # noqa: F811
    """A Redis restart or idle timeout closes this process's connection under it: the next read
    goes through the cache API (a fresh connection: the value, not a miss, not a 500)."""
    cache.set("page", "stored")
    assert quick_read.get_many(["page"]) == {"page": "stored"}
    connection = quick_read._local.connection[1]
    assert _other_process(own_redis[0]).client_kill_filter(_type="normal", skipme=True) >= 1
    assert quick_read.get_many(["page"]) == {"page": "stored"}
    assert quick_read._local.connection[1] is connection  # the same connection, connected again
    assert quick_read.get_many(["page"]) == {"page": "stored"}
