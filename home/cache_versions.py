"""Version counters in the shared cache: part of cache keys, moved to forget every entry at once.

A missing counter (fresh or evicted cache) starts from the clock in nanoseconds, so it can never
fall back to a number an older key already used.
"""

import time

from django.core.cache import cache


def current_version(key: str) -> int:
    """The counter's value, creating it when missing. No database query."""
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key, 0)
    return version


def bump_version(key: str) -> None:
    """Move the counter on, so every key built from the old value is never read again."""
    try:
        cache.incr(key)
    except ValueError:  # missing: start again from a fresh, larger value
        cache.add(key, time.time_ns(), timeout=None)
