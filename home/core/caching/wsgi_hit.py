"""Anonymous page-cache hits answered at the WSGI layer, before Django's request handling.

`config/wsgi.py` wraps Django's WSGI application in `PageCacheApplication`. A request it can answer
from the page cache costs the Redis read and the headers; everything else (and every request it is
not sure about) goes to Django untouched. On a hit Django would build a `WSGIRequest`, send
`request_started` and `request_finished` (closing stale database connections, which the next
request that reaches Django does anyway), run the three middleware above the page cache and build
an `HttpResponse`: about a third of a hit's instructions (bench/callgrind_hit.py).

What a hit here must do, it does as the middleware path does, or it does not answer:

- only a request whose WSGI values (scheme, proxy header, host values, path) Django itself turned
  into a page-cache key: `page_cache.learn` remembers them when `AnonymousPageCacheMiddleware`
  served or stored a page for such a request, so the host passed ALLOWED_HOSTS, no HTTPS redirect
  applied and the path is a Wagtail page; a request with other values (a new host, http when
  SECURE_SSL_REDIRECT is on) goes to Django, which refuses, redirects or renders as it always did;
- a GET or HEAD, no query string, no session or messages cookie (`page_cache.SKIP_COOKIES`, the
  cookies parsed as Django parses them), the page cache on: as `page_cache._eligible_request`;
- the entry read with `page_cache.read`: the same key, the version with the release salt;
  a miss, or Redis down (`quick_read` then answers nothing), goes to Django, which is handed the
  read (`page_cache.READ_KEY`) so the middleware does not read again;
- the headers the middleware path sends: the entry's, then SecurityMiddleware's (computed by
  Django's SecurityMiddleware itself, once per process, for http and for https, and added only when
  the page did not set them, as it does), then `X-Request-ID` (`observability.start_request`);
  `count_request` records the hit as the metrics middleware does (view `wagtail_serve`). HEAD: no
  body, the GET's Content-Length;
- only while MIDDLEWARE above the page cache is exactly the three listed in `ABOVE`: another
  middleware there would have to be taught here, so until then every request goes to Django.

Any exception here sends the request to Django (logged), never a 500 of our own.
"""

from __future__ import annotations

import logging
import time
from http.client import responses

from django.conf import settings
from django.core.handlers.wsgi import get_str_from_wsgi
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie
from django.middleware.security import SecurityMiddleware

from home.core.caching import page_cache, quick_read
from home.core.caching.switches import off
from home.core.metrics import count_request
from home.core.observability import REQUEST_ID_HEADER, start_request

logger = logging.getLogger(__name__)

PAGE_CACHE = "home.core.caching.page_cache.AnonymousPageCacheMiddleware"
ABOVE = (
    "home.core.metrics.RequestMetricsMiddleware",
    "home.core.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
)
_plan: dict = {}


def _security_headers(secure: bool) -> tuple[tuple[str, str], ...]:
    """The headers Django's SecurityMiddleware adds to a response that has none of them, for an
    https (or http) request, in the order it adds them."""
    request = HttpRequest()
    request.is_secure = lambda: secure  # the only thing process_response asks of the request
    response = HttpResponse()
    before = set(response.headers)
    SecurityMiddleware(lambda request: response).process_response(request, response)
    return tuple((name, value) for name, value in response.items() if name not in before)


def plan() -> dict:
    """What a hit needs from settings, worked out once per process (again after a settings change)."""
    if not _plan:
        middleware = list(settings.MIDDLEWARE)
        on = (
            PAGE_CACHE in middleware
            and tuple(middleware[: middleware.index(PAGE_CACHE)]) == ABOVE
            and bool(page_cache._seconds())
            and not off("page_cache")
        )
        _plan.update(on=on, security={secure: _security_headers(secure) for secure in (False, True)})
    return _plan


@receiver(setting_changed)
def _forget_plan(**kwargs) -> None:
    _plan.clear()


def answer(environ: dict) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """(status, headers, body) of the page-cache hit for this request, or None: Django's turn."""
    method = environ.get("REQUEST_METHOD", "").upper()
    if method not in page_cache.READ_METHODS or environ.get("QUERY_STRING") or not plan()["on"]:
        return None
    known = page_cache.learned(environ)
    if known is None:
        return None
    if "HTTP_COOKIE" in environ:  # parsed as Django parses it (WSGIRequest.COOKIES)
        cookies = parse_cookie(get_str_from_wsgi(environ, "HTTP_COOKIE", ""))
        if any(name in cookies for name in page_cache.SKIP_COOKIES):
            return None
    key, secure = known
    found = quick_read.get_many([page_cache.VERSION_KEY, key])
    hit, _version = page_cache.read(key, found=found)
    if hit is None:
        environ[page_cache.READ_KEY] = (key, found)
        return None
    _, status, content, stored = hit
    headers = list(stored.items())
    present = {name.lower() for name in stored}
    headers += [(name, value) for name, value in plan()["security"][secure] if name.lower() not in present]
    headers.append((REQUEST_ID_HEADER, start_request(given=environ.get("HTTP_X_REQUEST_ID"))))
    return status, headers, b"" if method == "HEAD" else content


class PageCacheApplication:
    """A WSGI application: page-cache hits answered here, every other request by `application`."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        try:
            found = answer(environ)
        except Exception:  # never a 500 of ours: Django serves the request as it would have
            logger.exception("page cache: the WSGI layer failed; Django serves the request")
            environ.pop(page_cache.READ_KEY, None)
            found = None
        if found is None:
            return self.application(environ, start_response)
        status, headers, body = found
        method = environ["REQUEST_METHOD"].upper()
        count_request(view="wagtail_serve", method=method, status=status, elapsed=time.perf_counter() - started)
        start_response(f"{status} {responses.get(status, 'Unknown Status Code')}", headers)  # Django's reason phrase
        return [body]
