"""A small per-process memo in front of the shared cache, for entries that never change.

Only for keys that carry a version (home.core.caching.versions) or a content hash: such an entry's value is
fixed for the key's lifetime, because any change makes a new key. The memo saves the shared cache's
round trip and unpickling on every request for the program outline, the site, a page's route and
the cached lesson body. The versions themselves are always read from the shared cache, so every
process forgets together: nothing here assumes one process.

Values are shared between the requests of one process: callers must treat them as read-only.
"""

from __future__ import annotations

import threading
import time

from django.core.cache import cache

from .switches import off

MAX_ENTRIES = 2000  # a few hundred pages and programs; when full, start afresh
SECONDS = 300  # an entry is also re-read from the shared cache at least this often
_memo: dict[str, tuple[float, object]] = {}
_lock = threading.Lock()
_MISSING = object()


def _lookup(key: str, now: float):
    entry = _memo.get(key)
    if entry is None or entry[0] < now:
        return _MISSING
    return entry[1]


def get_many(keys: list[str]) -> dict[str, object]:
    """Like `cache.get_many`: the memo first, then one shared-cache round trip for the rest."""
    if off("memo"):
        return cache.get_many(keys)
    now = time.monotonic()
    found = {}
    missing = []
    for key in keys:
        value = _lookup(key, now)
        if value is _MISSING:
            missing.append(key)
        else:
            found[key] = value
    if missing:
        fetched = cache.get_many(missing)
        remember(fetched)
        found.update(fetched)
    return found


def get(key: str, default=None):
    return get_many([key]).get(key, default)


def set_many(entries: dict[str, object], timeout: int) -> None:
    cache.set_many(entries, timeout)
    remember(entries, timeout)


def set(key: str, value, timeout: int) -> None:  # noqa: A001 (mirrors the cache API)
    set_many({key: value}, timeout)


def remember(entries: dict[str, object], timeout: int = SECONDS) -> None:
    """Keep `entries` in this process only (no shared-cache write), for at most `SECONDS`."""
    if not entries or off("memo"):
        return
    expires = time.monotonic() + min(timeout, SECONDS)
    with _lock:
        if len(_memo) + len(entries) > MAX_ENTRIES:
            _memo.clear()
        _memo.update({key: (expires, value) for key, value in entries.items()})


def recall(key: str, default=None):
    """An entry kept by `remember`, or `default` (no shared-cache read)."""
    value = _lookup(key, time.monotonic()) if not off("memo") else _MISSING
    return default if value is _MISSING else value


def clear() -> None:
    """Forget everything in this process (tests clear the shared cache and this together)."""
    with _lock:
        _memo.clear()
