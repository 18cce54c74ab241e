"""The signed-in user of each request, kept in the shared cache between requests.

Every signed-in request loads its user: the row, "is this the coach?" and Django's permissions
(`roles.with_coach_answer`), one PostgreSQL query of about 0.4 ms of server CPU plus the ORM's work
in the app. Here the answer of that query is kept in the shared cache (`accounts:user:...:{pk}`) as
primitives, with the two versions it was read under:

- the user's own version (`accounts:user-version:{pk}`), moved by every save or delete of the user
  (a deactivation, a password, email or time-zone change, a log-in's `last_login`) and every change
  of their groups or their own permissions (`m2m_changed`, and saves and deletes of the link rows);
- the version of every user (`accounts:users-version`), moved by every change of a group's
  permissions, a group's deletion, any permission's save or delete, which can touch many users, and
  every bulk `QuerySet.update()` of users (`UserQuerySet.update`; Wagtail's "set active state" on
  several users is one), which sends no signal.

Both move now and again when the transaction commits (as `home.core.caching.versions` does), so a
request that read the row before a change can only keep it under a version that is already gone.
One read (the two versions and the entry, a single MGET through `quick_read`) answers a request;
an entry whose versions are not the current ones is ignored and replaced. Counters start from the
clock in nanoseconds when missing, so an evicted counter never returns to a number an old entry
carries. The key carries the release (a deploy may change the user's fields) and a fingerprint of
SECRET_KEY.

The password hash is never put in the cache: the user comes back with `password` deferred (read
from the database only if something asks for it, e.g. a password check) and with the session auth
hash computed from it when the entry was made (`User.get_session_auth_hash` answers from it while
the password is not loaded), so Django still checks every request's session against the password
(a password changed elsewhere moves the version: the next request computes the hash afresh).
Django sends no signal for link rows written or deleted through `User.groups.through.objects`
directly (the project has none): such code must call `user_changed(pk)`.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from functools import cache as once

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.crypto import salted_hmac

from home.core.caching import quick_read
from home.core.caching.versions import bump_version, current_versions, release

from .roles import _ANSWER, _GROUP_PERMS, _USER_PERMS

USERS_VERSION_KEY = "accounts:users-version"
SESSION_HASH = "_huddle_session_auth_hash"  # read by User.get_session_auth_hash
ENTRY_SECONDS = 6 * 60 * 60
_EXTRAS = (_ANSWER, _USER_PERMS, _GROUP_PERMS)


def _version_key(pk) -> str:
    return f"accounts:user-version:{pk}"


@once
def _entry_prefix(secret: str, salt: str) -> str:
    fingerprint = salted_hmac("huddle.accounts.user-cache", "fingerprint", secret=secret).hexdigest()[:12]
    return f"accounts:user:{salt}:{fingerprint}:"


def _entry_key(pk) -> str:
    return f"{_entry_prefix(settings.SECRET_KEY, release())}{pk}"


@once
def _fields() -> tuple[str, ...]:
    """The attnames kept: every concrete field but the password."""
    return tuple(f.attname for f in get_user_model()._meta.concrete_fields if f.attname != "password")


@setting_changed.connect
def _forget(setting, **kwargs) -> None:
    if setting in ("SECRET_KEY", "RELEASE"):
        _entry_prefix.cache_clear()


def _keys(pk) -> list[str]:
    return [_version_key(pk), USERS_VERSION_KEY, _entry_key(pk)]


def version_keys(pk) -> list[str]:
    """The counters user `pk`'s entry is kept under (none when `pk` is None): also part of the
    keys of what is cached per user elsewhere (`lessons.page_body`), which then forgets with it."""
    return [_version_key(pk), USERS_VERSION_KEY] if pk is not None else []


# Read along with the session (one round trip for both, `accounts.sessions`): the user this process
# last saw signed in with each session key (a hint only: what is read is used only when the session
# says the same user), and what was read for them, for this request's user load (once, soon).
_HINTS_KEPT = 10_000
_hints: dict[str, str] = {}
_prefetched: ContextVar[tuple | None] = ContextVar("huddle_prefetched_user", default=None)


def keys_with_session(session_key: str) -> tuple[str | None, list[str]]:
    """The user this session was last signed in as, if known, and the keys to read for them."""
    pk = _hints.get(session_key)
    return pk, (_keys(pk) if pk is not None else [])


def read_with_session(session_key: str, session: dict | None, found: dict, hinted: str | None) -> None:
    """The session was read (with `keys_with_session`'s keys for user `hinted`, answered in `found`;
    `session` None: not in the cache): remember who it is signed in as, and keep what was read
    about them for this request's user load when it is that user (else the load reads for itself)."""
    pk = session.get(SESSION_KEY) if session is not None else None
    if pk is None:
        _prefetched.set(None)
        _hints.pop(session_key, None)
    elif hinted == str(pk):
        _prefetched.set((str(pk), {key: found.get(key) for key in _keys(pk)}, time.monotonic()))
    else:
        _prefetched.set(None)
        if len(_hints) >= _HINTS_KEPT:
            _hints.clear()
        _hints[session_key] = str(pk)


def _take_prefetched(pk) -> dict | None:
    kept = _prefetched.get()
    if kept is None:
        return None
    _prefetched.set(None)
    return kept[1] if kept[0] == str(pk) and time.monotonic() - kept[2] < 1 else None


def cached_user(pk, load):
    """The user with primary key `pk` as `load(pk)` (the database) answers it, from the shared cache
    when its entry was made under the current versions; None when there is no such user."""
    version_key, entry_key = _version_key(pk), _entry_key(pk)
    found = _take_prefetched(pk)
    if found is None:
        found = quick_read.get_many([version_key, USERS_VERSION_KEY, entry_key])
    versions = (found.get(version_key), found.get(USERS_VERSION_KEY))
    entry = found.get(entry_key)
    if None not in versions and type(entry) is tuple and entry[0] == versions and len(entry[1]) == len(_fields()):
        return _thaw(entry)
    versions = (versions[0] or _start(version_key), versions[1] or _start(USERS_VERSION_KEY))
    user = load(pk)
    if user is not None:
        cache.set(entry_key, _freeze(user, versions), ENTRY_SECONDS)
    return user


def user_versions(pk) -> tuple:
    """The two versions a kept copy of user `pk` is made under (their own, every user's): what
    moves them (above) is what a cache of anything about this user's groups must forget on. Read
    as every version counter is (`current_versions`): in a request at most once, and with no round
    trip of its own when the session's read brought them along."""
    return tuple(current_versions(version_keys(pk)))


def _start(key: str) -> int:
    cache.add(key, time.time_ns(), timeout=None)
    return cache.get(key, 0)


def _freeze(user, versions: tuple) -> tuple:
    return (
        versions,
        tuple(getattr(user, name) for name in _fields()),
        tuple(getattr(user, name, None) for name in _EXTRAS),
        user.get_session_auth_hash(),
    )


def _thaw(entry: tuple):
    _, values, extras, session_hash = entry
    user = get_user_model().from_db("default", _fields(), values)
    for name, value in zip(_EXTRAS, extras, strict=True):
        setattr(user, name, value)
    setattr(user, SESSION_HASH, session_hash)
    return user


def _bump(*keys: str) -> None:
    for key in keys:  # moved as every version counter is (this request's own reading forgotten too)
        bump_version(key)


def _bump_now_and_on_commit(*keys: str) -> None:
    _prefetched.set(None)  # read before this change: never used after it
    _bump(*keys)
    transaction.on_commit(lambda: _bump(*keys))


def user_changed(*pks) -> None:
    """Forget the kept copies of these users (now and when the transaction commits)."""
    _bump_now_and_on_commit(*(_version_key(pk) for pk in pks if pk is not None))


def users_changed() -> None:
    """Forget every kept user (a group's permissions, a group or a permission changed, a bulk update)."""
    _bump_now_and_on_commit(USERS_VERSION_KEY)


def _user_saved_or_deleted(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        user_changed(instance.pk)


def _user_links_changed(sender, instance, action, reverse, pk_set=None, **kwargs) -> None:
    """`user.groups` / `user.user_permissions` changed (or, reversed, `group.user_set`...)."""
    if not action.startswith("post_") and action != "pre_clear":
        return
    if not reverse:
        user_changed(instance.pk)
    elif action == "pre_clear":  # the users are unknown after the clear: every kept user goes
        users_changed()
    else:
        user_changed(*(pk_set or ()))


def _group_permissions_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        users_changed()


def _any_permission_change(sender, raw=False, **kwargs) -> None:
    if not raw:
        users_changed()


def connect() -> None:
    User = get_user_model()
    post_save.connect(_user_saved_or_deleted, sender=User, dispatch_uid="accounts.user_cache.save")
    post_delete.connect(_user_saved_or_deleted, sender=User, dispatch_uid="accounts.user_cache.delete")
    for name, through in (("groups", User.groups.through), ("perms", User.user_permissions.through)):
        m2m_changed.connect(_user_links_changed, sender=through, dispatch_uid=f"accounts.user_cache.{name}")
    through = Group.permissions.through
    m2m_changed.connect(_group_permissions_changed, sender=through, dispatch_uid="accounts.user_cache.group-perms")
    # A group's or a permission's deletion removes its link rows without a signal of their own.
    for model in (Group, Permission):
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            uid = f"accounts.user_cache.{model.__name__}.{name}"
            signal.connect(_any_permission_change, sender=model, dispatch_uid=uid)
