"""A small fixed-window rate limiter on the shared cache (Redis in production), keyed by client IP."""

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # Behind the proxy, REMOTE_ADDR is set from X-Forwarded-For by the proxy-aware server config.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limit_exceeded(request: HttpRequest, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for this IP in `scope`; True once more than `limit` happen in one window."""
    key = f"ratelimit:{scope}:{client_ip(request)}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count > limit
