"""Version counters in the shared cache: part of cache keys, moved to forget every entry at once.

A missing counter (fresh or evicted cache) starts from the clock in nanoseconds, so it can never
fall back to a number an older key already used.

Within one request (`VersionScopeMiddleware`) a counter is read from the shared cache once and then
reused, so the several caches keyed on it cost one round trip; a bump made during the request is
seen at once. Outside a request (commands, tasks) every read goes to the shared cache.
"""

import time
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache

_scope: ContextVar[dict | None] = ContextVar("huddle_cache_versions", default=None)

# Moves on every page save, publish, unpublish, move and delete, every Site, view-restriction and
# site-settings change: the key of cached sites, routes, program outlines, the menu and settings.
PAGES_VERSION_KEY = "home:pages-version"
# Moves on every site-settings save: the key of the cached settings (so a publish leaves them warm).
SETTINGS_VERSION_KEY = "home:settings-version"
# Moves on every Site save or delete and when a site's root page is published, moved or deleted:
# the key of the cached Site per hostname (so a publish elsewhere leaves it warm).
SITES_VERSION_KEY = "home:sites-version"
# Moves when a page at the top of a site (depth 3 or above: the menu's items and the site root) is
# published, unpublished, moved or deleted, and on Site changes: the key of the cached menu and of
# the shared header and footer fragments (so publishing a lesson leaves them warm).
MENU_VERSION_KEY = "home:menu-version"
# Moves on every change to a program page: the key of the program pages kept per process.
PROGRAMS_VERSION_KEY = "home:programs-version"
# Moves on every write of one leader's learning rows (progress, answers, commitments, enrollments,
# unlocks, certificates: `program.learner_data`): the key of that leader's cached lesson page body.
LEARNER_VERSION_KEY = "home:learner-version:{pk}"
# Moves on writes that may touch many leaders at once (a bulk update, an unlock for everyone).
LEARNERS_VERSION_KEY = "home:learners-version"
# Read together, in one round trip, the first time a request needs any of them.
PREFETCH = (
    PAGES_VERSION_KEY,
    SETTINGS_VERSION_KEY,
    SITES_VERSION_KEY,
    MENU_VERSION_KEY,
    PROGRAMS_VERSION_KEY,
    LEARNERS_VERSION_KEY,
)


def learner_version_key(pk) -> str:
    return LEARNER_VERSION_KEY.format(pk=int(pk))


# Each gives the counters of one user (their primary key) that a signed-in request of theirs may
# read: the learning version here, the user cache's (`accounts.user_cache`, registered by accounts).
_per_user: list[Callable[[object], list[str]]] = [lambda pk: [learner_version_key(pk)]]


def register_user_counters(counters: Callable[[object], list[str]]) -> None:
    if counters not in _per_user:
        _per_user.append(counters)


def read_along(user_pk) -> list[str]:
    """The counters a request of user `user_pk` (None: not signed in, or not known yet) reads:
    `seed` them from a read the request makes anyway (the session's), so they cost no round trip
    of their own; else the first `current_version` of the request reads them all together."""
    if user_pk is None:
        return list(PREFETCH)
    return list(dict.fromkeys([*PREFETCH, *(key for counters in _per_user for key in counters(user_pk))]))


def seed(keys: list[str], found: dict) -> None:
    """`keys` (from `read_along`) were read together just now, `found` their values: this request
    uses them as `current_version` would have read them (a missing counter is read, and started,
    by `current_version` itself)."""
    scope = _scope.get()
    if scope is None:
        return
    salt = release()
    for key in keys:
        if key in found and key not in scope:
            scope[key] = f"{salt}.{found[key]}"
    if all(key in keys for key in PREFETCH):
        scope.setdefault("-prefetched", True)


def bump_versions(*keys: str) -> None:
    """Move each counter now and again when the transaction commits (a reader that raced the
    change cannot keep an old copy under the new number)."""
    from django.db import transaction

    def bump() -> None:
        for key in keys:
            bump_version(key)

    bump()
    transaction.on_commit(bump)


def release() -> str:
    """This deploy's release (`settings.RELEASE`: env `RELEASE`, else the git commit, else "dev")."""
    return getattr(settings, "RELEASE", "") or "dev"


def current_version(key: str) -> str:
    """The counter's value with this deploy's release, "<release>.<n>", creating the counter when
    missing. No database query. Every key built from it carries the release, so a deploy starts
    with fresh keys while the counters (and their bumps) stay shared by old and new processes."""
    scope = _scope.get()
    if scope is not None:
        if key in scope:
            return scope[key]
        if key in PREFETCH and "-prefetched" not in scope:
            keys = read_along(_signed_in_pk(scope.get("-request")))
            seed(keys, cache.get_many(keys))
            if key in scope:
                return scope[key]
    number = cache.get(key)
    if number is None:
        cache.add(key, time.time_ns(), timeout=None)
        number = cache.get(key, 0)
    version = f"{release()}.{number}"
    if scope is not None:
        scope[key] = version
    return version


def _signed_in_pk(request):
    """The primary key the request's session is signed in as (Django's `SESSION_KEY`, which
    `get_user` reads), when the session has been read already, else None: never a read of its own.
    Only a hint of which user's counters to read along in the same round trip (a session whose user
    then fails Django's checks costs a counter read, nothing more)."""
    session = getattr(request, "session", None)
    if session is None or not session.accessed:
        return None
    return session.get(SESSION_KEY)


def current_versions(keys: list[str]) -> list[str]:
    """`current_version` of each key; those this request has not read yet are read in one round
    trip (with the shared counters, when the request has not read them yet either)."""
    scope = _scope.get()
    if scope is not None:
        wanted = [key for key in keys if key not in scope]
        if wanted and "-prefetched" not in scope:
            along = read_along(_signed_in_pk(scope.get("-request")))
            wanted = [*along, *(key for key in wanted if key not in along)]
        if wanted:
            seed(wanted, cache.get_many(wanted))
    return [current_version(key) for key in keys]


def current_request():
    """The request this code runs for (inside `VersionScopeMiddleware`), else None: lets URL
    building prefer the request's own Site, as Wagtail's `page.get_url(request)` does."""
    scope = _scope.get()
    return scope.get("-request") if scope is not None else None


def bump_version(key: str) -> None:
    """Move the counter on, so every key built from the old value is never read again."""
    scope = _scope.get()
    if scope is not None:
        scope.pop(key, None)
    try:
        cache.incr(key)
    except ValueError:  # missing: start again from a fresh, larger value
        cache.add(key, time.time_ns(), timeout=None)


class VersionScopeMiddleware:
    """Read each version counter at most once per request (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _scope.set({"-request": request})
        try:
            return self.get_response(request)
        finally:
            _scope.reset(token)
