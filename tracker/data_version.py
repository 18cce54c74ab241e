"""The version of all tracker data: part of the key of every cached tracker summary."""

from home.core.caching.versions import bump_versions, current_version

DATA_VERSION_KEY = "tracker:data-version"


def data_version() -> int:
    """The version of all tracker data, part of the key of every cached tracker summary. No query."""
    return current_version(DATA_VERSION_KEY)


def bump_data_version() -> None:
    """Invalidate every cached tracker summary: call after any tracker write that sends no signal
    (bulk_create, bulk_update, update). Saves and deletes of tracker models call it through
    signals (tracker/apps.py). Bumps now (seen at once, also inside the writer's transaction) and
    again on commit (so a reader that cached pre-commit rows meanwhile is not served after it)."""
    bump_versions(DATA_VERSION_KEY)


def tracker_row_changed(sender, **kwargs) -> None:
    """post_save / post_delete receiver for every tracker model."""
    bump_data_version()
