"""A small fixed-window rate limiter on the shared cache (Redis in production), keyed by client IP."""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address, for rate limits and the consent ledger.

    With `TRUSTED_PROXY_COUNT = N` (> 0), each of our N proxies appended the address it saw to
    X-Forwarded-For, so the N-th entry from the right is the one the outermost proxy saw: the
    right-most address we did not add ourselves. Entries left of it come from the client and may be
    forged, so they are ignored. Without trusted proxies, or when the header is missing or holds
    something that is not an IP, REMOTE_ADDR is used."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count <= 0 or not forwarded:
        return remote
    # Fewer entries than proxies: the request skipped one; the left-most is still a proxy's.
    candidate = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def rate_limit_exceeded(request: HttpRequest, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for this IP in `scope`; True once more than `limit` happen in one window."""
    return rate_limit_hit(scope=scope, key=client_ip(request), limit=limit, window_seconds=window_seconds)


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `key` (an address, a session, an IP) in `scope`; True once more
    than `limit` happen in one window. Keys are hashed, so no email sits in the cache as text."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    if count is None:  # the cache is away (errors ignored): let the request through, never a 500
        return False
    return count > limit
