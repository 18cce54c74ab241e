"""What the middleware keeps promising while doing less per request: metrics for page-cache hits
and errors, a request id that stays sane, no session or user loaded for a request without a session
cookie, messages made only when used, the page cache's own Redis reads, no page stored with a nonce."""

import logging

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from prometheus_client import REGISTRY

from home.core.caching import page_cache, quick_read
from home.core.observability import RequestIdFilter
from tests.home.runtime.test_redis_outage import own_redis, redis_settings  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def bare(request):
    return HttpResponse("ok")


def boom(request):
    raise ValueError("broken")


def with_message(request):
    messages.info(request, "Saved.")
    return HttpResponse("saved")


def show_messages(request):
    return HttpResponse(engines["django"].from_string("{% for m in messages %}{{ m }}{% endfor %}").render({}, request))


def not_found(request, exception):
    return HttpResponse("not here", status=404)


handler404 = not_found
urlpatterns = [
    path("bare/", bare, name="bare"),
    path("boom/", boom, name="boom"),
    path("add/", with_message),
    path("show/", show_messages),
]


def _sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_a_page_cache_hit_is_counted_and_timed_as_the_page_view(client, home_page, page_cache_on):
    name = "django_http_requests_latency_seconds_by_view_method_count"
    before = _sample(name, view="wagtail_serve", method="GET")
    assert client.get("/").status_code == 200
    hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit"
    assert _sample(name, view="wagtail_serve", method="GET") == before + 2
    assert hit["Content-Security-Policy"] and hit["Permissions-Policy"] and hit["X-Frame-Options"] == "DENY"
    assert hit["Strict-Transport-Security" if hit.wsgi_request.is_secure() else "X-Content-Type-Options"]
    assert hit["X-Request-ID"] != client.get("/")["X-Request-ID"]  # the id is never stored with the page


def test_an_error_is_counted_by_type_and_view(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    before = _sample("django_http_exceptions_total_by_type_total", type="ValueError")
    responses = _sample(
        "django_http_responses_total_by_status_view_method_total", status="500", view="boom", method="GET"
    )
    assert client.get("/boom/").status_code == 500
    assert _sample("django_http_exceptions_total_by_type_total", type="ValueError") == before + 1
    assert _sample("django_http_exceptions_total_by_view_total", view="boom") >= 1
    after = _sample("django_http_responses_total_by_status_view_method_total", status="500", view="boom", method="GET")
    assert after == responses + 1


@pytest.mark.parametrize("given", ["line\tbreak", "x" * 201, 'quote"d', "spaced id"])
def test_a_strange_request_id_is_replaced(client, settings, given):
    settings.ROOT_URLCONF = __name__
    response = client.get("/bare/", HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] != given and len(response["X-Request-ID"]) == 32


def test_the_request_id_stays_on_the_log_line_django_writes_after_the_response(client, settings, caplog):
    settings.ROOT_URLCONF = __name__
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/nowhere/", HTTP_X_REQUEST_ID="Root=1-abc-def")
    assert response.status_code == 404
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.correlation_id == response["X-Request-ID"] == "Root=1-abc-def"


def test_a_request_without_a_session_cookie_loads_no_session_and_no_user(client, settings, monkeypatch):
    settings.ROOT_URLCONF = __name__
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    touched = []
    for method in ("get", "get_many", "set", "add", "delete", "incr", "has_key"):
        original = getattr(cache, method)
        monkeypatch.setattr(cache, method, lambda *a, _o=original, _m=method, **k: touched.append(_m) or _o(*a, **k))
    response = client.get("/bare/")
    assert response.status_code == 200 and not response.cookies
    assert touched == []
    assert "Cache-Control" not in response  # not a page for a logged-in person
    assert not response.wsgi_request.user.is_authenticated


def test_a_logged_in_request_is_still_private_and_in_its_time_zone(client, settings, user):
    settings.ROOT_URLCONF = __name__
    user.time_zone = "Asia/Tokyo"
    user.save()
    client.force_login(user)
    response = client.get("/bare/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_messages_are_made_when_used_and_shown_on_the_next_page(client, settings):
    settings.ROOT_URLCONF = __name__
    assert not client.get("/bare/").cookies  # no message: nothing written
    response = client.get("/add/")
    assert "messages" in response.cookies
    assert client.get("/show/").content == b"Saved."
    assert client.get("/show/").content == b""


def test_quick_read_falls_back_to_the_cache_without_redis():
    cache.set("k1", {"a": 1})
    assert quick_read.get_many(["k1", "missing"]) == {"k1": {"a": 1}}


def test_quick_read_reads_what_the_cache_wrote_on_its_own_connection_and_survives_an_outage(redis_settings):  # noqa: F811
    cache.set("page", (1, 200, b"<p>hi</p>", [("Vary", "Cookie")]))
    cache.set("number", 7)
    assert quick_read.get_many(["number", "page", "missing"]) == {
        "number": 7,
        "page": (1, 200, b"<p>hi</p>", [("Vary", "Cookie")]),
    }
    assert quick_read._local.connection[1] is not False  # the quick path, not the fallback
    redis_settings.terminate()
    redis_settings.wait(5)
    assert quick_read.get_many(["number", "page"]) == {}  # IGNORE_EXCEPTIONS: a miss, never a 500


def test_a_page_that_used_a_csp_nonce_is_not_stored(rf):
    request = rf.get("/")
    response = HttpResponse("page")
    assert page_cache.AnonymousPageCacheMiddleware._storable(request, response)
    request._csp_nonce = "abc123"  # what django-csp keeps once a template used {{ request.csp_nonce }}
    assert not page_cache.AnonymousPageCacheMiddleware._storable(request, response)
