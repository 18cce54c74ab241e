"""A shared cache of anonymous visitors' Wagtail pages (home, standard pages, program sales pages).

Only what is the same for every anonymous visitor is stored: a GET without a query string, from a
request with no session or messages cookie, answered 200 by Wagtail's page view with no cookie set
(so no CSRF token, message or session was used) and no `Cache-Control: private/no-cache/no-store`
(the lesson page and every per-user view say `never_cache`), and no CSP nonce used (a stored nonce would
be the same for every visitor). Logged-in users never read or write it.
Entries carry a version that moves on every page publish, unpublish, move or delete and on a settings
save; entries also expire after `PAGE_CACHE_SECONDS` (snippets such as testimonials have no signal).
A HEAD is answered from the GET's entry (the same headers, its Content-Length; gunicorn sends no body).

Once this middleware has served or stored a page for a request, it remembers the request's WSGI
values that made its key (`learn`): a later request with the same values is answered before Django
by `home/core/caching/wsgi_hit.py` (config/wsgi.py), which reads the entry the same way (`read`).
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
READ_METHODS = ("GET", "HEAD")  # a HEAD is answered from a stored GET, never stored itself
READ_KEY = "huddle.page_cache.read"  # environ: (key, found) the WSGI layer read and missed
UNCACHEABLE = ("private", "no-cache", "no-store", "max-age=0")


def page_cache_version() -> str:
    return current_version(VERSION_KEY)


def bump_page_cache() -> None:
    """Forget every cached anonymous page, now and again when the transaction commits."""
    bump_versions(VERSION_KEY)


def _eligible_request(request) -> bool:
    return (
        request.method in READ_METHODS
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
    forget_learned()  # any setting may change what Django does with a request (tests only)


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
        read_before = request.META.pop(READ_KEY, None)  # the WSGI layer's miss: not read twice
        hit, version = read(key, found=read_before[1] if read_before and read_before[0] == key else None)
        if hit is not None:
            _, status, content, headers = hit
            response = HttpResponse(content, status=status, headers=headers)
            request.metrics_view = "wagtail_serve"  # home/core/metrics.py: the view it stands for
            learn(request, key)
            return response
        response = self.get_response(request)
        if request.method != "GET":
            return response
        if getattr(request.resolver_match, "url_name", None) == "wagtail_serve" and self._storable(request, response):
            entry = (version if version is not None else page_cache_version(), 200, response.content, _sent(response))
            cache.set(key, entry, _seconds())
            learn(request, key)
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


def read(key: str, *, found: dict | None = None) -> tuple[tuple | None, str | None]:
    """(the entry, when stored under the current version, else None; the current version, None when
    the counter could not be read), in one round trip (`found`: that round trip's result, made already)."""
    if found is None:
        found = quick_read.get_many([VERSION_KEY, key])
    number = found.get(VERSION_KEY)
    version = f"{release()}.{number}" if number is not None else None
    hit = found.get(key)
    if hit is not None and version is not None and hit[0] == version:
        return hit, version
    return None, version


# What Django reads from the environ to make a request's key (`_key`: scheme, host, path) and to
# decide on the HTTPS redirect: SecurityMiddleware's, above this one. The values a request had when
# this middleware saw it are remembered with its key (`learn`): a request with the same values got
# past ALLOWED_HOSTS and the redirect, and its path is a Wagtail page. The proxy's scheme header is
# added from SECURE_PROXY_SSL_HEADER.
SIGNATURE_META = (
    "wsgi.url_scheme",
    "PATH_INFO",
    "SCRIPT_NAME",
    "SCRIPT_URL",
    "REDIRECT_URL",
    *_HOST_META,
)
_learned: dict[tuple, tuple[str, bool]] = {}
_learned_paths: set[str] = set()  # their PATH_INFOs: any other request is turned away on one lookup


def signature(meta) -> tuple:
    proxy = settings.SECURE_PROXY_SSL_HEADER
    return (*(meta.get(name) for name in SIGNATURE_META), meta.get(proxy[0]) if proxy else None)


def learn(request, key: str) -> None:
    given = signature(request.META)
    if given not in _learned:
        if len(_learned) >= _MAX_KEYS:
            _learned.clear()
            _learned_paths.clear()
        _learned[given] = (key, request.is_secure())
        _learned_paths.add(request.META.get("PATH_INFO"))


def forget_learned() -> None:
    _learned.clear()
    _learned_paths.clear()


def learned(meta) -> tuple[str, bool] | None:
    """(key, whether the request is HTTPS) of a request with these WSGI values, when learned."""
    if meta.get("PATH_INFO") not in _learned_paths:
        return None
    return _learned.get(signature(meta))


def _seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)
