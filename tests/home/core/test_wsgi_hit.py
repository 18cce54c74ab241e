"""Page-cache hits answered at the WSGI layer (`home/core/caching/wsgi_hit.py`), through the WSGI
application gunicorn serves (`config.wsgi.application`) called with real environs: the same answer
as the middleware path, and every request it must not answer left to Django exactly as before."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from prometheus_client import REGISTRY

from home.core.caching import page_cache, quick_read, wsgi_environ, wsgi_hit
from home.core.caching.page_cache import bump_page_cache
from tests.home.runtime.test_redis_outage import own_redis, redis_settings  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
PROXY = {"HTTP_X_FORWARDED_PROTO": "https"}


@pytest.fixture
def application(settings, monkeypatch):
    """config/wsgi.py's application, made again for each test (Django's handler builds its middleware
    from the settings of the moment: a test's settings must be in place first), the page cache on,
    with Django's per-request database housekeeping off as the test client has it (it would close
    the test's transaction). config/wsgi.py's gc.freeze is left out of the test process."""
    monkeypatch.setattr("home.core.startup.freeze_startup_objects", lambda: 0)
    import config.wsgi

    assert isinstance(config.wsgi.application, wsgi_hit.PageCacheApplication)
    settings.PAGE_CACHE_SECONDS = 300
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield lambda: wsgi_hit.PageCacheApplication(WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def django_calls():
    """How many requests reached Django's handler."""
    calls = []

    def count(**kwargs):
        calls.append(1)

    request_started.connect(count)
    yield calls
    request_started.disconnect(count)


def environ(**kwargs) -> dict:
    return wsgi_environ.environ(host="testserver", **kwargs)


def call(application, **kwargs) -> tuple[str, dict, bytes]:
    started = []
    result = application(environ(**kwargs), lambda status, headers, exc_info=None: started.append((status, headers)))
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    status, headers = started[0]
    assert len({name.lower() for name, _ in headers}) == len(headers)  # no header twice
    return status, dict(headers), body


def without_id(headers: dict) -> dict:
    return {name: value for name, value in headers.items() if name != "X-Request-ID"}


def _served_by_wsgi(application, django_calls, **kwargs):
    before = len(django_calls)
    answer = call(application, **kwargs)
    return answer, len(django_calls) == before


def test_a_hit_is_answered_before_django_with_the_middleware_paths_headers(application, home_page, django_calls):
    application = application()
    status, miss, page = call(application, **PROXY)  # rendered and stored by the middleware
    assert status == "200 OK" and "X-Page-Cache" not in miss
    page_cache.forget_learned()  # the middleware serves the next hit (and learns it again)
    _, by_middleware, body = call(application, **PROXY)
    assert by_middleware["X-Page-Cache"] == "hit" and body == page
    (status, by_wsgi, body), skipped = _served_by_wsgi(application, django_calls, **PROXY)
    assert skipped and status == "200 OK" and body == page
    assert list(without_id(by_wsgi).items()) == list(without_id(by_middleware).items())  # same order too
    assert by_wsgi["Strict-Transport-Security"] == "max-age=3600"  # https: SecurityMiddleware's
    assert by_wsgi["Content-Security-Policy"] and by_wsgi["X-Content-Type-Options"] == "nosniff"
    assert by_wsgi["Content-Length"] == str(len(page)) and by_wsgi.get("Cache-Control") == miss.get("Cache-Control")
    assert by_wsgi["X-Request-ID"] != by_middleware["X-Request-ID"] and len(by_wsgi["X-Request-ID"]) == 32
    assert call(application, HTTP_X_REQUEST_ID="Root=1-abc", **PROXY)[1]["X-Request-ID"] == "Root=1-abc"


def test_head_is_answered_without_a_body_and_the_gets_headers(application, home_page, django_calls):
    application = application()
    _, _, page = call(application)
    _, get, _ = call(application)
    (status, head, body), skipped = _served_by_wsgi(application, django_calls, method="HEAD")
    assert skipped and status == "200 OK" and body == b""
    assert without_id(head) == without_id(get) and head["Content-Length"] == str(len(page))
    assert "Strict-Transport-Security" not in head  # plain http here, as Django decides


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"QUERY_STRING": "utm_source=mail"},
        {"HTTP_COOKIE": "sessionid=abc123"},
        {"HTTP_COOKIE": "csrftoken=x; messages=abc"},
        {"method": "POST"},
        {"method": "OPTIONS"},
    ],
    ids=["query string", "session cookie", "messages cookie", "POST", "OPTIONS"],
)
def test_what_the_middleware_would_not_serve_goes_to_django(application, home_page, django_calls, request_kwargs):
    application = application()
    call(application)
    assert call(application)[1]["X-Page-Cache"] == "hit"
    (status, headers, _), skipped = _served_by_wsgi(application, django_calls, **request_kwargs)
    assert not skipped and "X-Page-Cache" not in headers


def test_an_unrelated_cookie_still_gets_the_hit(application, home_page, django_calls):
    application = application()
    call(application)
    call(application)
    (_, headers, _), skipped = _served_by_wsgi(application, django_calls, HTTP_COOKIE="csrftoken=abc; theme=dark")
    assert skipped and headers["X-Page-Cache"] == "hit"


def test_a_disallowed_host_is_refused_by_django_after_hits(application, home_page, django_calls):
    application = application()
    call(application)
    call(application)
    for _ in range(2):
        (status, _, _), skipped = _served_by_wsgi(application, django_calls, HTTP_HOST="evil.example")
        assert not skipped and status.startswith("400")
    # Another allowed host value (with a port) is its own key: Django's answer first, then a hit.
    (_, headers, _), skipped = _served_by_wsgi(application, django_calls, HTTP_HOST="testserver:9999")
    assert not skipped and "X-Page-Cache" not in headers
    assert _served_by_wsgi(application, django_calls, HTTP_HOST="testserver:9999")[1]
    assert _served_by_wsgi(application, django_calls)[1]


def test_the_https_redirect_still_comes_first(application, home_page, django_calls, settings):
    settings.SECURE_SSL_REDIRECT = True
    application = application()
    call(application, **PROXY)
    assert _served_by_wsgi(application, django_calls, **PROXY)[1]
    (status, headers, _), skipped = _served_by_wsgi(application, django_calls)  # plain http
    assert not skipped and status.startswith("301") and headers["Location"] == "https://testserver/"


def test_a_publish_is_seen_at_once_and_the_miss_reads_redis_once(application, home_page, django_calls, monkeypatch):
    application = application()
    call(application)
    assert _served_by_wsgi(application, django_calls)[1]
    bump_page_cache()
    reads = []
    original = quick_read.get_many
    monkeypatch.setattr(quick_read, "get_many", lambda keys: reads.append(keys) or original(keys))
    (_, headers, _), skipped = _served_by_wsgi(application, django_calls)
    assert not skipped and "X-Page-Cache" not in headers  # rendered again under the new version
    assert len(reads) == 1  # the WSGI layer's read, handed to the middleware
    assert _served_by_wsgi(application, django_calls)[1]


def test_redis_down_falls_through_to_django_which_renders(application, home_page, django_calls, redis_settings):  # noqa: F811
    application = application()
    call(application)
    assert _served_by_wsgi(application, django_calls)[1]
    redis_settings.terminate()
    redis_settings.wait(5)
    for _ in range(2):
        (status, headers, body), skipped = _served_by_wsgi(application, django_calls)
        assert not skipped and status == "200 OK" and "X-Page-Cache" not in headers and b"Huddle" in body


def test_a_hit_is_counted_as_the_page_view(application, home_page, django_calls):
    application = application()
    name = "django_http_requests_latency_seconds_by_view_method_count"
    responses = "django_http_responses_total_by_status_view_method_total"
    call(application)
    before = [REGISTRY.get_sample_value(name, {"view": "wagtail_serve", "method": m}) or 0 for m in ("GET", "HEAD")]
    counted = REGISTRY.get_sample_value(responses, {"status": "200", "view": "wagtail_serve", "method": "GET"}) or 0
    assert _served_by_wsgi(application, django_calls)[1]
    assert _served_by_wsgi(application, django_calls, method="HEAD")[1]
    after = [REGISTRY.get_sample_value(name, {"view": "wagtail_serve", "method": m}) for m in ("GET", "HEAD")]
    assert after == [before[0] + 1, before[1] + 1]
    assert (
        REGISTRY.get_sample_value(responses, {"status": "200", "view": "wagtail_serve", "method": "GET"}) == counted + 1
    )


def test_a_middleware_added_above_the_page_cache_turns_the_wsgi_layer_off(
    application, home_page, settings, django_calls
):
    application = application()
    index = settings.MIDDLEWARE.index(wsgi_hit.PAGE_CACHE)
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:index],
        "django.middleware.gzip.GZipMiddleware",
        *settings.MIDDLEWARE[index:],
    ]
    call(application)
    (_, headers, _), skipped = _served_by_wsgi(application, django_calls)
    assert not skipped and headers["X-Page-Cache"] == "hit"  # the middleware path, still a hit


def test_an_error_in_the_wsgi_layer_lets_django_answer(application, home_page, django_calls, monkeypatch):
    application = application()
    call(application)
    monkeypatch.setattr(page_cache, "learned", lambda meta: 1 / 0)
    (status, headers, _), skipped = _served_by_wsgi(application, django_calls)
    assert not skipped and status == "200 OK" and headers["X-Page-Cache"] == "hit"


def test_the_page_cache_off_sends_every_request_to_django(application, home_page, django_calls, settings):
    application = application()
    call(application)
    settings.CACHING_OFF = ["page_cache"]
    assert not _served_by_wsgi(application, django_calls)[1]
