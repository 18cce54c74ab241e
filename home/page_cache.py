"""A shared cache of anonymous visitors' Wagtail pages (home, standard pages, program sales pages).

Only what is the same for every anonymous visitor is stored: a GET without a query string, from a
request with no session or messages cookie, answered 200 by Wagtail's page view with no cookie set
(so no CSRF token, message or session was used) and no `Cache-Control: private/no-cache/no-store`
(the lesson page and every per-user view say `never_cache`). Logged-in users never read or write it.
Keys carry a version that moves on every page publish, unpublish, move or delete and on a settings
save; entries also expire after `PAGE_CACHE_SECONDS` (snippets such as testimonials have no signal).
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

VERSION_KEY = "home:page-cache-version"
PAGE_KEY = "home:page:{version}:{scheme}:{host}:{path}"
SKIP_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
UNCACHEABLE = ("private", "no-cache", "no-store", "max-age=0")


def page_cache_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, int(timezone.now().timestamp() * 1000), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return version


def bump_page_cache() -> None:
    """Forget every cached anonymous page."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(timezone.now().timestamp() * 1000), timeout=None)


def _eligible_request(request) -> bool:
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and not any(name in request.COOKIES for name in SKIP_COOKIES)
        and getattr(request.resolver_match, "url_name", None) == "wagtail_serve"
    )


def _key(request) -> str:
    return PAGE_KEY.format(
        version=page_cache_version(), scheme=request.scheme, host=request.get_host(), path=request.path
    )


class AnonymousPageCacheMiddleware:
    """Serve anonymous Wagtail pages from the shared cache (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_huddle_page_cache_key", None)
        if key and self._storable(request, response):
            cache.set(key, (response.status_code, response.content, response["Content-Type"]), _seconds())
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _seconds() or not _eligible_request(request):
            return None
        key = _key(request)
        hit = cache.get(key)
        if hit is None:
            request._huddle_page_cache_key = key
            return None
        status, content, content_type = hit
        response = HttpResponse(content, status=status, content_type=content_type)
        response["X-Page-Cache"] = "hit"
        patch_vary_headers(response, ("Cookie",))  # as the page itself: a proxy must not share it
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in UNCACHEABLE):
            return False
        return "cookie" not in response.get("Vary", "").lower() or not request.COOKIES


def _seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)
