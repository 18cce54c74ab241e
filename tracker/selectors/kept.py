"""A team's read models kept in the shared cache between requests: the month grid and the rankings
board, the most expensive reads of the leader's pages (three ORM queries and the arithmetic).

The key holds the team, the selector's arguments and the team's data version
(`tracker.data_version.team_version`), which every tracker write to that team moves (a write whose
team is not known moves every team's): saves and deletes of any tracker model
through signals, bulk writes explicitly, each time at once and again on commit. So the next render
after a write reads the database again, in every process, and a reader that raced a write cannot
keep pre-commit rows under the version readers use after it. The team in the key keeps one team's
rows from another's pages; access is checked before any of this runs. Entries are pickled, so
every reader gets its own copy to change. They are built from a bare copy of the team (its own
fields only), so no user the request loaded with it (the leader) is stored along.
"""

import copy
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from ..data_version import team_version

T = TypeVar("T")
KEPT_SECONDS = 6 * 3600  # unused entries expire; a write has already made them unreachable


def kept(*, team, name: str, parts: tuple, build: Callable[[object], T]) -> T:
    """`build(team)`'s value for this team and these arguments, from the shared cache when an entry
    of the current tracker data version is there, else built (from a bare copy of the team) and
    stored."""
    key = f"tracker:kept:{name}:{team.pk}:{':'.join(str(p) for p in parts)}:{team_version(team.pk)}"
    value = cache.get(key)
    if value is None:
        value = build(_bare(team))
        cache.set(key, value, KEPT_SECONDS)
    return value


def _bare(team):
    """A copy of the team without the related rows loaded with it."""
    bare = copy.copy(team)
    bare._state = copy.copy(team._state)
    bare._state.fields_cache = {}
    return bare
