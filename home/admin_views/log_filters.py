"""What Wagtail's site history report lists in its filters (the actions and object types of the log
entries the user may see; the users of every page log entry, as Wagtail 8's `HistoryFilterSet`
lists them) and which model-log content types the user may see, kept in the shared cache between
requests (issue 16): read afresh they cost four to seven queries on every visit (a DISTINCT over
the log entries for each filter and log model, and the model log's permission read).

Kept as primary keys and action names only (the users' names and the content types are read on
each visit, so a renamed user shows at once), per user (one entry for every superuser: they see
every entry), under:

- `LOG_ENTRIES_VERSION_KEY`, moved (now and on commit) by every save or delete of a log entry of
  any of Wagtail's log models (every logged action, a page's deletion included, is a new entry);
- `ADMIN_PERMISSIONS_VERSION_KEY` (home/admin_views/permissions.py: any page permission, page
  save, delete or move: which pages' entries a user may see);
- for a non-superuser, the user's two versions (accounts.user_cache: her groups, her own and any
  group's permissions, any Permission row, her superuser flag).

`user._allowed_content_type_ids` is the attribute in which Wagtail's `BaseLogEntryManager.
viewable_by_user` keeps, for one request, the content types a user has a permission for among
those with model log entries (it reads it before asking the database, and offers no other way to
give it): the kept set is put there before Wagtail builds the model log's visible entries.
"""

from __future__ import annotations

from django.core.cache import cache
from wagtail.models import BaseLogEntry

from accounts.user_cache import user_versions
from home.core.caching.receivers import register_versions
from home.core.caching.versions import bump_versions, current_versions

from .permissions import ADMIN_PERMISSIONS_VERSION_KEY

LOG_ENTRIES_VERSION_KEY = "home:log-entries-version"
KEPT_SECONDS = 60 * 60
ALLOWED = "_allowed_content_type_ids"  # Wagtail's per-request attribute (above)


def _entry_key(user) -> str:
    return "home:site-history-filters:all" if user.is_superuser else f"home:site-history-filters:{user.pk}"


def _versions(user) -> tuple:
    versions = tuple(current_versions([LOG_ENTRIES_VERSION_KEY, ADMIN_PERMISSIONS_VERSION_KEY]))
    return versions if user.is_superuser else (*versions, *user_versions(user.pk))


def kept(request) -> dict | None:
    """This request's kept filter data ({"actions", "user_ids", "content_type_ids", "allowed"}),
    None when there is none under the current versions. Read once per request; for a
    non-superuser, also puts the kept model-log content types where Wagtail looks for them."""
    state = request.__dict__.setdefault("_huddle_site_history_filters", {})
    if "versions" not in state:
        state["versions"] = _versions(request.user)
        entry = cache.get(_entry_key(request.user))
        state["data"] = entry[1] if type(entry) is tuple and entry[0] == state["versions"] else None
        data = state["data"]
        if data is not None and data["allowed"] is not None and not hasattr(request.user, ALLOWED):
            setattr(request.user, ALLOWED, set(data["allowed"]))
    return state["data"]


def keep(request, *, actions, user_ids, content_type_ids) -> dict:
    """Keep what was just read (under the versions read before it: `kept` was called first)."""
    state = request.__dict__["_huddle_site_history_filters"]
    allowed = getattr(request.user, ALLOWED, None)
    data = {
        "actions": tuple(sorted(actions)),
        "user_ids": tuple(sorted(user_ids, key=str)),
        "content_type_ids": tuple(sorted(content_type_ids)),
        "allowed": tuple(sorted(allowed)) if allowed is not None and not request.user.is_superuser else None,
    }
    cache.set(_entry_key(request.user), (state["versions"], data), KEPT_SECONDS)
    state["data"] = data
    return data


def log_entries_changed() -> None:
    bump_versions(LOG_ENTRIES_VERSION_KEY)


def connect() -> None:
    """A row of the version table (home.core.caching.receivers): every log model."""
    register_versions(BaseLogEntry, LOG_ENTRIES_VERSION_KEY)
