"""A shared cache of anonymous visitors' Wagtail pages (home, standard pages, program sales pages).

Only what is the same for every anonymous visitor is stored: a GET without a query string, from a
request with no session or messages cookie, answered 200 by Wagtail's page view with no cookie set
(so no CSRF token, message or session was used) and no `Cache-Control: private/no-cache/no-store`
(the lesson page and every per-user view say `never_cache`), and no CSP nonce used (a stored nonce would
be the same for every visitor). Logged-in users never read or write it.
Entries carry a version that moves on every page publish, unpublish, move or delete and on a settings
save; entries also expire after `PAGE_CACHE_SECONDS` (snippets such as testimonials have no signal).
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, resolve

from home.core.caching import quick_read
from home.core.caching.switches import off
from home.core.caching.versions import bump_versions, current_version, release

VERSION_KEY = "home:page-cache-version"
PAGE_KEY = "home:page:3:{digest}"  # the entry carries the version it was made under; 3: headers with length
SKIP_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
UNCACHEABLE = ("private", "no-cache", "no-store", "max-age=0")


def page_cache_version() -> str:
    return current_version(VERSION_KEY)


def bump_page_cache() -> None:
    """Forget every cached anonymous page, now and again when the transaction commits."""
    bump_versions(VERSION_KEY)


def _eligible_request(request) -> bool:
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and not any(name in request.COOKIES for name in SKIP_COOKIES)
        and _is_wagtail_page(request)
    )


def _is_wagtail_page(request) -> bool:
    """Would Wagtail's page view answer this path? Only those pay the cache round trip."""
    return _serves_pages(settings.ROOT_URLCONF, request.path_info)


@functools.lru_cache(maxsize=4096)
def _serves_pages(urlconf: str, path: str) -> bool:
    """Remembered per path (the URLconf is fixed for a process's life): Django resolves the path
    again for the view, so a request that is not a page pays one walk of the URLconf, not two."""
    try:
        return resolve(path, urlconf).url_name == "wagtail_serve"
    except Resolver404:
        return False


def _key(request) -> str:
    """The entry's key: a digest of the scheme, host and path. The host is Django's `get_host()`
    (validated against ALLOWED_HOSTS); its result depends only on the request's scheme and the META
    values below (and settings fixed for a process's life), so it is remembered per those values,
    and only once it validated: a disallowed host raises here on every request, as before."""
    meta = request.META
    scheme = request.scheme
    given = (scheme, request.path, *(meta.get(name) for name in _HOST_META))
    key = _keys.get(given)
    if key is None:
        address = f"{scheme}://{request.get_host()}{request.path}"
        key = PAGE_KEY.format(digest=hashlib.sha256(address.encode()).hexdigest()[:40])
        if len(_keys) >= _MAX_KEYS:
            _keys.clear()
        _keys[given] = key
    return key


# What `HttpRequest.get_host()` reads besides the scheme (Django 5.2's `_get_raw_host`, `get_port`).
_HOST_META = ("HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT")
_MAX_KEYS = 4096
_keys: dict[tuple, str] = {}


@receiver(setting_changed)
def _forget_keys(setting, **kwargs) -> None:
    if setting in ("ALLOWED_HOSTS", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT", "SECURE_PROXY_SSL_HEADER", "DEBUG"):
        _keys.clear()


class AnonymousPageCacheMiddleware:
    """Serve anonymous Wagtail pages from the shared cache (see the module docstring).

    It sits near the top of MIDDLEWARE, below only the metrics, the request id and Django's
    SecurityMiddleware (the HTTPS redirect comes first): a hit costs one cache round trip
    (`quick_read`) and skips everything below, sessions, auth and CSRF included. That is safe
    because the request carries no session or messages cookie, exactly like the anonymous request
    the page was rendered for, and the stored headers are the page's own after every middleware
    below ran (Content-Security-Policy, Permissions-Policy, X-Frame-Options, Vary...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible_request(request) or not _seconds() or off("page_cache"):
            return self.get_response(request)
        key = _key(request)
        found = quick_read.get_many([VERSION_KEY, key])
        number = found.get(VERSION_KEY)
        version = f"{release()}.{number}" if number is not None else None
        hit = found.get(key)
        if hit is not None and version is not None and hit[0] == version:
            _, status, content, headers = hit
            response = HttpResponse(content, status=status, headers=headers)
            request.metrics_view = "wagtail_serve"  # home/core/metrics.py: the view it stands for
            return response
        response = self.get_response(request)
        if getattr(request.resolver_match, "url_name", None) == "wagtail_serve" and self._storable(request, response):
            entry = (version if version is not None else page_cache_version(), 200, response.content, _sent(response))
            cache.set(key, entry, _seconds())
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return False
        if isinstance(request.__dict__.get("_csp_nonce"), str):  # django-csp: a nonce was used
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in UNCACHEABLE):
            return False
        return "cookie" not in response.get("Vary", "").lower() or not request.COOKIES


def _sent(response) -> dict[str, str]:
    """The headers a hit sends: the page's own, its Content-Length (which CommonMiddleware, below
    this one, set on the miss; without it gunicorn would send the hit chunked, one more write and the
    client's chunk parsing), and `X-Page-Cache: hit`."""
    stored = dict(response.items())
    stored["Content-Length"] = str(len(response.content))
    stored["X-Page-Cache"] = "hit"
    return stored


def _seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)
