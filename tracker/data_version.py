"""The versions of tracker data: part of the key of every cached tracker summary.

Counters in the shared cache (home.core.caching.versions), moved at once and again on commit by
every tracker write:
- `team_version(team_id)`: one team's data. A write moves its team's counter when it knows the team
  (the row's `team_id`, or its member's, communication's, plan's team when that object is loaded
  already: the receiver never queries), else the epoch of every team. A team's cached pages are keyed
  on both, so a write with no known team still reaches every team.
"""

from home.core.caching.versions import bump_versions, current_version, current_versions

TEAMS_EPOCH_KEY = "tracker:teams-epoch"  # moves when a write's team is not known: every team's version


def team_version_key(team_id: int) -> str:
    return f"tracker:team-version:{int(team_id)}"


def team_version(team_id: int) -> str:
    """The version of one team's tracker data (with this deploy's release): part of the key of
    every cached page fragment of that team. No query."""
    return f"{current_version(TEAMS_EPOCH_KEY)}-{current_version(team_version_key(team_id))}"


def teams_version(team_ids: list[int]) -> str:
    """`team_version` of every team in `team_ids` as one string (a key part for a fragment that
    shows several teams), read in one round trip. No query."""
    keys = [TEAMS_EPOCH_KEY, *(team_version_key(pk) for pk in team_ids)]
    return "-".join(current_versions(keys))


def bump_data_version(*, team_id: int | None = None) -> None:
    """Invalidate cached tracker summaries: call after any tracker write that sends no signal
    (bulk_create, bulk_update, update), with the team it wrote to when it knows it (else every
    team's cached pages go). Saves and deletes of tracker models call it through signals
    (tracker/apps.py). Bumps now (seen at once, also inside the writer's transaction) and again on
    commit (so a reader that cached pre-commit rows meanwhile is not served after it)."""
    bump_versions(team_version_key(team_id) if team_id is not None else TEAMS_EPOCH_KEY)


# The loaded objects a row's team is read through, nearest first (Target -> member -> team, ...).
_TEAM_PATHS = ("member", "communication", "plan", "acknowledgement")


def team_id_of(instance, depth: int = 0) -> int | None:
    """The team a tracker row belongs to, from the row or the related objects already loaded on
    it; None when that would need a query."""
    from .models import Team

    if isinstance(instance, Team):
        return instance.pk
    team_id = getattr(instance, "team_id", None)
    if team_id is not None or depth >= 3:
        return team_id
    fields_cache = instance._state.fields_cache
    for name in _TEAM_PATHS:
        related = fields_cache.get(name)
        if related is not None:
            return team_id_of(related, depth + 1)
    return None


def tracker_row_changed(sender, instance=None, **kwargs) -> None:
    """post_save / post_delete receiver for every tracker model."""
    bump_data_version(team_id=team_id_of(instance) if instance is not None else None)
